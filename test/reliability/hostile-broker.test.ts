// Checklist F17: a hostile broker. The n-th Produce responses are replaced by a wrong correlation id, a
// frame cut short by a closed connection, an undecodable body, a size prefix beyond any limit, or a
// well-formed answer about a partition the request never named — after the broker applied the request.
// The producer must reset the connection and retry (the records are possibly persisted), never crash or
// hang, and complete every send exactly once; lost stays 0. The plain producer may duplicate the records
// whose response was hostile (reported); the idempotent one may not.
import { DeliveryLedger } from '@x/testkit'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { useEmbeddedCluster } from './support/embedded-fixture.js'
import { type HostileFrame, HostileTransport } from './support/hostile-transport.js'
import { type ProducerMode, sendMany, tableRow } from './support/oracle-producer.js'

const fixture = useEmbeddedCluster()
const frames: HostileFrame[] = [
  'wrong-correlation-id',
  'truncated-frame',
  'garbage-body',
  'oversized-frame',
  'unknown-partition',
]
const modes: ProducerMode[] = ['idempotent', 'plain']

const uncaught: unknown[] = []
const onUncaught = (error: unknown) => uncaught.push(error)
beforeEach(() => {
  uncaught.length = 0
  process.on('uncaughtException', onUncaught)
  process.on('unhandledRejection', onUncaught)
})
afterEach(() => {
  process.off('uncaughtException', onUncaught)
  process.off('unhandledRejection', onUncaught)
})

describe.each(modes)('%s producer against a hostile broker', (mode) => {
  it.each(frames)('F17 %s: resets, retries, completes every send once and loses nothing', async (frame) => {
    const cluster = await fixture.start()
    cluster.createTopic({ name: 'f17', partitions: 2, replicationFactor: 3 })
    const transport = new HostileTransport(cluster.transport, frame, [3, 7])
    const producer = fixture.producer(mode, {
      transport,
      lingerMs: 2,
      requestTimeoutMs: 3_000,
      deliveryTimeoutMs: 10_000,
      retryBackoffMs: 20,
    })
    const ledger = new DeliveryLedger({ runId: `f17-${frame}-${mode}` })
    await sendMany(producer, ledger, { topic: 'f17', count: 300, keys: 6, yieldEvery: 25 })
    await producer.flush()
    await ledger.whenCompleted(30_000)
    const after = await sendMany(producer, ledger, { topic: 'f17', count: 20, keys: 6 })
    await producer.flush()
    await ledger.whenCompleted(30_000)
    const report = fixture.check(ledger, 'f17', { idempotent: mode === 'idempotent' })
    tableRow({
      id: 'F17',
      scenario: `hostile Produce responses #3 and #7: ${frame}`,
      broker: 'embedded',
      mode,
      report,
    })
    expect(transport.injected).toBeGreaterThan(0)
    expect(uncaught).toEqual([])
    expect(report.counts).toMatchObject({ uncompleted: 0, multipleCompletions: 0, lost: 0, unseen: 0 })
    expect(after.every((id) => ledger.outcome(id).state === 'ok')).toBe(true)
    if (mode === 'idempotent') expect(report.violations).toEqual([])
    else expect(report.violations.filter((v) => !v.startsWith('duplicated'))).toEqual([])
  })
})
