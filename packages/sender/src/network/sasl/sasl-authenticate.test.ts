// SASL over the Kafka handshake (SaslHandshake v1 + SaslAuthenticate) against @x/testkit's embedded cluster,
// whose brokers implement the server side of PLAIN and SCRAM per RFC 4616 / RFC 5802 as Kafka's SASL listener
// runs them.
import { EmbeddedKafkaCluster, ManualClock, type SaslMechanismName } from '@x/testkit'
import { afterEach, describe, expect, it } from 'vitest'
import { AuthenticationError } from '../../errors/authentication-error.js'
import { NetworkClient } from '../network-client.js'
import type { SaslOptions } from './sasl-mechanism.js'

const clusters: EmbeddedKafkaCluster[] = []

afterEach(async () => {
  for (const cluster of clusters.splice(0)) await cluster.stop()
})

async function connectWith(enabled: SaslMechanismName[], sasl: SaslOptions) {
  const clock = new ManualClock(1_000_000)
  const cluster = await EmbeddedKafkaCluster.start({
    listen: false,
    clock,
    sasl: { mechanisms: enabled, users: { alice: 'wonderland' } },
  })
  clusters.push(cluster)
  const client = new NetworkClient({ transport: cluster.transport, clock, sasl })
  const events: { state: string; error?: Error }[] = []
  client.events$.subscribe((event) => {
    if (event.type === 'connection-state-changed')
      events.push({ state: event.state, ...(event.error ? { error: event.error } : {}) })
  })
  const broker = cluster.brokers[0]!
  client.ready({ id: 1, host: broker.host, port: broker.port, rack: null }, clock.now())
  for (let i = 0; i < 5; i++) await clock.settle()
  return { client, cluster, events }
}

describe('SASL authentication', () => {
  it.each(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const)(
    'authenticates with %s',
    async (mechanism) => {
      const { client, cluster } = await connectWith([mechanism], {
        mechanism,
        username: 'alice',
        password: 'wonderland',
      })
      expect(client.isReady(1, 0)).toBe(true)
      expect(cluster.requestLog.entries().map((r) => r.apiKey)).toEqual(
        mechanism === 'PLAIN' ? [18, 17, 36] : [18, 17, 36, 36],
      )
    },
  )

  it('fails with AuthenticationError on a wrong password and does not become ready', async () => {
    const { client, events } = await connectWith(['SCRAM-SHA-512'], {
      mechanism: 'SCRAM-SHA-512',
      username: 'alice',
      password: 'nope',
    })
    expect(client.isReady(1, 0)).toBe(false)
    const failure = events.find((event) => event.error !== undefined)
    expect(AuthenticationError.isInstance(failure?.error)).toBe(true)
    expect(failure?.error?.message).toContain('Invalid user credentials')
    expect(client.connectionState(1)).toBe('authentication-failed')
  })

  it('names the enabled mechanisms when the one configured is not', async () => {
    const { events } = await connectWith(['PLAIN'], {
      mechanism: 'SCRAM-SHA-256',
      username: 'alice',
      password: 'x',
    })
    const failure = events.find((event) => event.error !== undefined)?.error
    expect(failure).toMatchObject({ code: 'UNSUPPORTED_SASL_MECHANISM' })
    expect(failure?.message).toContain('it enables PLAIN')
  })
})
