// SASL on the embedded brokers: PLAIN and SCRAM-SHA-256/512 exchanges over SaslHandshake v1 +
// SaslAuthenticate (KIP-152), checked with a client written here from RFC 4616 / RFC 5802 (the SCRAM client
// verifies the server signature too); Kafka's refusals: a wrong password, a mechanism not enabled, a request
// before authentication, SASL APIs where no exchange is under way.
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto'
import { ErrorCode } from '@x/protocol'
import { describe, expect, it } from 'vitest'
import { ManualClock } from '../clock.js'
import { EmbeddedKafkaCluster } from '../embedded-kafka-cluster.js'
import { useCluster } from '../testing/cluster-fixture.js'
import { KafkaWireClient } from '../wire-client/kafka-wire-client.js'

const encoder = new TextEncoder()
const decoder = new TextDecoder()
const users = { alice: 'wonderland', 'bob,=x': 'builder' }

/** The client side of SCRAM (RFC 5802) without channel binding. */
function scramClient(mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512', user: string, password: string) {
  const digest = mechanism === 'SCRAM-SHA-256' ? 'sha256' : 'sha512'
  const hmac = (key: Uint8Array, text: string) => createHmac(digest, key).update(text).digest()
  const clientFirstBare = `n=${user.replace(/=/g, '=3D').replace(/,/g, '=2C')},r=${randomBytes(18).toString('base64')}`
  let serverSignature = ''
  return {
    first: () => encoder.encode(`n,,${clientFirstBare}`),
    final(serverFirstBytes: Uint8Array): Uint8Array {
      const serverFirst = decoder.decode(serverFirstBytes)
      const fields = Object.fromEntries(serverFirst.split(',').map((part) => [part[0], part.slice(2)]))
      const salted = pbkdf2Sync(
        password,
        Buffer.from(fields.s!, 'base64'),
        Number(fields.i),
        digest === 'sha256' ? 32 : 64,
        digest,
      )
      const clientKey = hmac(salted, 'Client Key')
      const withoutProof = `c=biws,r=${fields.r}`
      const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`
      const signature = hmac(createHash(digest).update(clientKey).digest(), authMessage)
      const proof = clientKey.map((byte, i) => byte ^ signature[i]!)
      serverSignature = `v=${hmac(hmac(salted, 'Server Key'), authMessage).toString('base64')}`
      return encoder.encode(`${withoutProof},p=${Buffer.from(proof).toString('base64')}`)
    },
    verifies: (serverFinal: Uint8Array) => decoder.decode(serverFinal) === serverSignature,
  }
}

describe('SASL authentication', () => {
  const { cluster, connect } = useCluster({
    topics: ['t'],
    sasl: { mechanisms: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'], users },
  })

  it('lists the SASL APIs and authenticates PLAIN, then serves every API', async () => {
    const client = await connect()
    const versions = await client.apiVersions()
    const range = (key: number) => versions.apiKeys.find((api) => api.apiKey === key)
    expect(range(17)).toMatchObject({ minVersion: 1, maxVersion: 1 })
    expect(range(36)).toMatchObject({ minVersion: 0, maxVersion: 2 })
    const handshake = await client.request('SaslHandshake', { mechanism: 'PLAIN' })
    expect(handshake).toMatchObject({
      errorCode: ErrorCode.NONE,
      mechanisms: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'],
    })
    const authenticated = await client.request('SaslAuthenticate', {
      authBytes: encoder.encode('\u0000alice\u0000wonderland'),
    })
    expect(authenticated).toMatchObject({ errorCode: ErrorCode.NONE, sessionLifetimeMs: 0n })
    expect((await client.request('Metadata', { topics: null })).topics.map((topic) => topic.name)).toEqual([
      't',
    ])
    expect(
      cluster()
        .requestLog.entries()
        .map((entry) => entry.apiKey),
    ).toEqual([18, 17, 36, 3])
  })

  it.each(['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const)(
    'authenticates %s and proves the server knew the password',
    async (mechanism) => {
      const client = await connect()
      await client.apiVersions()
      expect((await client.request('SaslHandshake', { mechanism })).errorCode).toBe(ErrorCode.NONE)
      const scram = scramClient(mechanism, 'bob,=x', 'builder')
      const serverFirst = await client.request('SaslAuthenticate', { authBytes: scram.first() })
      expect(serverFirst.errorCode).toBe(ErrorCode.NONE)
      const serverFinal = await client.request('SaslAuthenticate', {
        authBytes: scram.final(serverFirst.authBytes),
      })
      expect(serverFinal.errorCode).toBe(ErrorCode.NONE)
      expect(scram.verifies(serverFinal.authBytes)).toBe(true)
      expect((await client.request('Metadata', { topics: null })).brokers.map((b) => b.nodeId)).toEqual([1])
    },
  )

  it('closes the connection on a request sent before authentication', async () => {
    const client = await connect()
    await expect(client.request('Metadata', { topics: null })).rejects.toMatchObject({
      code: 'CONNECTION_CLOSED',
    })
    expect(cluster().requestLog.entries({ api: 'Metadata' })[0]!.outcome).toBe('disconnected')
  })

  it('answers ILLEGAL_SASL_STATE to SASL requests once authenticated', async () => {
    const client = await connect()
    await client.request('SaslHandshake', { mechanism: 'PLAIN' })
    await client.request('SaslAuthenticate', { authBytes: encoder.encode('\u0000alice\u0000wonderland') })
    expect((await client.request('SaslHandshake', { mechanism: 'PLAIN' })).errorCode).toBe(
      ErrorCode.ILLEGAL_SASL_STATE,
    )
    expect(await client.request('SaslAuthenticate', { authBytes: new Uint8Array(0) })).toMatchObject({
      errorCode: ErrorCode.ILLEGAL_SASL_STATE,
      errorMessage: 'SaslAuthenticate request received after successful authentication',
    })
  })
})

describe('SASL failures', () => {
  async function failingCluster() {
    const clock = new ManualClock(0)
    const cluster = await EmbeddedKafkaCluster.start({
      listen: false,
      clock,
      sasl: { mechanisms: ['SCRAM-SHA-256'], users },
    })
    const broker = cluster.brokers[0]!
    const client = await KafkaWireClient.connect({
      host: broker.host,
      port: broker.port,
      transport: cluster.transport,
    })
    return { clock, cluster, client }
  }

  it('refuses a wrong password with SASL_AUTHENTICATION_FAILED and closes the connection 100 ms later', async () => {
    const { clock, cluster, client } = await failingCluster()
    try {
      await client.request('SaslHandshake', { mechanism: 'SCRAM-SHA-256' })
      const scram = scramClient('SCRAM-SHA-256', 'alice', 'looking-glass')
      const serverFirst = await client.request('SaslAuthenticate', { authBytes: scram.first() })
      const refused = await client.request('SaslAuthenticate', {
        authBytes: scram.final(serverFirst.authBytes),
      })
      expect(refused).toMatchObject({
        errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED,
        errorMessage: 'Authentication failed: Invalid user credentials',
      })
      await clock.advanceAsync(99)
      expect(client.isClosed).toBe(false)
      await clock.advanceAsync(1)
      expect(client.isClosed).toBe(true)
    } finally {
      await cluster.stop()
    }
  })

  it('answers a mechanism it does not enable with UNSUPPORTED_SASL_MECHANISM and the enabled ones, then closes', async () => {
    const { clock, cluster, client } = await failingCluster()
    try {
      expect(await client.request('SaslHandshake', { mechanism: 'PLAIN' })).toMatchObject({
        errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM,
        mechanisms: ['SCRAM-SHA-256'],
      })
      await clock.advanceAsync(100)
      expect(client.isClosed).toBe(true)
    } finally {
      await cluster.stop()
    }
  })

  it('answers SASL requests with ILLEGAL_SASL_STATE on a cluster without SASL', async () => {
    const cluster = await EmbeddedKafkaCluster.start({ listen: false })
    try {
      const broker = cluster.brokers[0]!
      const client = await KafkaWireClient.connect({
        host: broker.host,
        port: broker.port,
        transport: cluster.transport,
      })
      expect((await client.request('SaslHandshake', { mechanism: 'PLAIN' })).errorCode).toBe(
        ErrorCode.ILLEGAL_SASL_STATE,
      )
      client.close()
    } finally {
      await cluster.stop()
    }
  })

  it('refuses an empty or unknown mechanism list', async () => {
    await expect(
      EmbeddedKafkaCluster.start({ listen: false, sasl: { mechanisms: [], users } }),
    ).rejects.toMatchObject({ code: 'INVALID_OPTION' })
    await expect(
      EmbeddedKafkaCluster.start({ listen: false, sasl: { mechanisms: ['GSSAPI' as 'PLAIN'], users } }),
    ).rejects.toMatchObject({ code: 'INVALID_OPTION', message: expect.stringContaining('GSSAPI') })
  })
})
