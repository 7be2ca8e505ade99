// The real transports against @x/testkit's embedded broker on its 127.0.0.1 listener; TLS through a TLS
// listener in front of it (src/testing/tls-bridge.ts), as the testkit serves PLAINTEXT only. The TLS
// certificate is a throwaway self-signed one made with the openssl CLI for the test run.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type MetadataResponse, metadataApi, readMetadataResponse, writeMetadataRequest } from '@x/protocol'
import { EmbeddedKafkaCluster } from '@x/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NetworkError } from '../errors/network-error.js'
import type { ClientResponse } from '../network/client-request.js'
import { NetworkClient } from '../network/network-client.js'
import { serveTlsInFront } from '../testing/tls-bridge.js'
import { TcpTransport } from './tcp-transport.js'
import { TlsTransport } from './tls-transport.js'
import type { Transport } from './transport.js'

let dir: string
let key: string
let cert: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'x-sender-tls-'))
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  )
  key = readFileSync(join(dir, 'key.pem'), 'utf8')
  cert = readFileSync(join(dir, 'cert.pem'), 'utf8')
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const start = Date.now()
  return new Promise((resolve, reject) => {
    const check = () => {
      if (condition()) resolve()
      else if (Date.now() - start > timeoutMs) reject(new Error('condition not met in time'))
      else setTimeout(check, 5)
    }
    check()
  })
}

async function metadataOver(transport: Transport, port: number, host = '127.0.0.1') {
  const client = new NetworkClient({ transport, requestTimeoutMs: 5_000 })
  const errors: Error[] = []
  client.events$.subscribe((event) => {
    if (event.type === 'connection-state-changed' && event.error) errors.push(event.error)
  })
  const node = { id: 1, host, port, rack: null }
  client.ready(node, Date.now())
  await waitFor(() => client.isReady(1, Date.now()) || errors.length > 0)
  if (errors.length > 0) {
    client.close()
    return { errors, responses: [] }
  }
  const responses: ClientResponse<MetadataResponse>[] = []
  client.send(
    1,
    {
      api: metadataApi,
      body: { topics: [{ name: 't' }] },
      write: writeMetadataRequest,
      read: readMetadataResponse,
    },
    (response) => responses.push(response),
    Date.now(),
  )
  await waitFor(() => responses.length > 0)
  client.close()
  return { errors, responses }
}

/** One embedded broker on a real 127.0.0.1 listener, stopped after `body`. */
async function withBroker(
  topics: { name: string; partitions: number }[],
  body: (cluster: EmbeddedKafkaCluster, port: number) => Promise<void>,
): Promise<void> {
  const cluster = await EmbeddedKafkaCluster.start({ topics })
  try {
    await body(cluster, cluster.brokers[0]!.port)
  } finally {
    await cluster.stop()
  }
}

describe('TcpTransport', () => {
  it('carries requests and responses over a real TCP connection', async () => {
    await withBroker([{ name: 't', partitions: 2 }], async (_, port) => {
      const { responses } = await metadataOver(new TcpTransport(), port)
      expect(responses[0]!.body!.topics[0]!.partitions).toHaveLength(2)
    })
  })

  it('reports a refused connection as a retriable NetworkError', async () => {
    await withBroker([], async (cluster, port) => {
      await cluster.faults.brokerDown(1) // its listener closes: nothing accepts on the port
      const { errors } = await metadataOver(new TcpTransport(), port)
      expect(NetworkError.isInstance(errors[0])).toBe(true)
      expect(errors[0]).toMatchObject({ retriable: true })
    })
  })
})

describe('TlsTransport', () => {
  it('connects over TLS, verifying the broker certificate against tls.ca and the host name', async () => {
    await withBroker([{ name: 't', partitions: 1 }], async (_, brokerPort) => {
      const server = await serveTlsInFront({ host: '127.0.0.1', port: brokerPort }, { key, cert })
      try {
        const { responses, errors } = await metadataOver(
          new TlsTransport({ ca: cert }),
          server.port,
          'localhost',
        )
        expect(errors).toEqual([])
        expect(responses[0]!.body!.topics[0]!.name).toBe('t')
      } finally {
        await server.close()
      }
    })
  })

  it('refuses a certificate it cannot verify, with a non-retriable error naming tls.ca', async () => {
    await withBroker([], async (_, brokerPort) => {
      const server = await serveTlsInFront({ host: '127.0.0.1', port: brokerPort }, { key, cert })
      try {
        const { errors } = await metadataOver(new TlsTransport(), server.port, 'localhost')
        expect(errors[0]).toMatchObject({ retriable: false })
        expect(errors[0]!.message).toContain('tls.ca')
      } finally {
        await server.close()
      }
    })
  })
})
