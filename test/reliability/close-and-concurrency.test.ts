// Checklist F19 (close semantics) and F22 (concurrent sends) with the KafkaProducer façade on the embedded
// cluster. Every send is in the oracle's ledger, so "exactly one completion per send" is checked, not assumed.
import { ProducerClosedError } from '@x/producer'
import { DeliveryLedger } from '@x/testkit'
import { describe, expect, it } from 'vitest'
import { useEmbeddedCluster } from './support/embedded-fixture.js'
import { type ProducerMode, sendMany, sendRecorded, sleep, tableRow } from './support/oracle-producer.js'

const fixture = useEmbeddedCluster()
const modes: ProducerMode[] = ['idempotent', 'plain']

/** Rejects when `promise` takes longer than `ms`: a deadlock shows up as a failure, not as a hung suite. */
function watchdog<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms (deadlock?)`)), ms)
    }),
  ]).finally(() => clearTimeout(timer))
}

describe.each(modes)('%s producer: close semantics (F19)', (mode) => {
  it('close({ timeoutMs: 0 }) with requests in flight fails every pending send once, forcefully, and resolves', async () => {
    const cluster = await fixture.start()
    cluster.createTopic({ name: 'f19', partitions: 2, replicationFactor: 3 })
    const producer = fixture.producer(mode, { lingerMs: 0 })
    await producer.partitionsFor('f19')
    const held = cluster.faults.hold({ api: 'Produce', count: 2 })
    const ledger = new DeliveryLedger({ runId: `f19-force-${mode}` })
    await sendMany(producer, ledger, { topic: 'f19', count: 50, keys: 4 })
    await held.waitFor(1)
    await watchdog(producer.close({ timeoutMs: 0 }), 10_000, 'close(0)')
    await ledger.whenCompleted(5_000)
    held.releaseAll()
    await sleep(100)
    const failures = ledger.failures()
    expect(failures).toHaveLength(50)
    for (const failure of failures) {
      expect(ProducerClosedError.isInstance(failure.error)).toBe(true)
      expect((failure.error as ProducerClosedError).code).toBe('PRODUCER_CLOSED_FORCEFULLY')
    }
    const report = fixture.check(ledger, 'f19', { idempotent: mode === 'idempotent' })
    expect(report.counts).toMatchObject({ multipleCompletions: 0, outcomeMismatches: 0, uncompleted: 0 })
    expect(report.counts.abortedRead).toBe(0) // held batches were appended: possibly persisted, not "not persisted"
  })

  it('close({ timeoutMs }) waits for slow acknowledgements and delivers everything', async () => {
    const cluster = await fixture.start()
    cluster.createTopic({ name: 'f19', partitions: 2, replicationFactor: 3 })
    cluster.faults.latency({ api: 'Produce', ms: 200 })
    const producer = fixture.producer(mode, { lingerMs: 50 })
    const ledger = new DeliveryLedger({ runId: `f19-wait-${mode}` })
    await sendMany(producer, ledger, { topic: 'f19', count: 200, keys: 4 })
    await watchdog(producer.close({ timeoutMs: 10_000 }), 15_000, 'close(10 s)')
    expect(ledger.pending).toBe(0)
    const report = fixture.check(ledger, 'f19', { idempotent: mode === 'idempotent' })
    tableRow({
      id: 'F19',
      scenario: 'close(10 s) with 200 ms acknowledgements',
      broker: 'embedded',
      mode,
      report,
    })
    expect(report.counts).toMatchObject({ acked: 200, read: 200 })
    expect(report.violations).toEqual([])
  })

  it('close() twice is one close; a send during close throws ProducerClosedError synchronously', async () => {
    const cluster = await fixture.start()
    cluster.createTopic({ name: 'f19', partitions: 1, replicationFactor: 3 })
    cluster.faults.latency({ api: 'Produce', ms: 100 })
    const producer = fixture.producer(mode)
    const ledger = new DeliveryLedger({ runId: `f19-twice-${mode}` })
    await sendMany(producer, ledger, { topic: 'f19', count: 10, keys: 1 })
    const first = producer.close()
    const second = producer.close()
    expect(second).toBe(first)
    const late = ledger.next({ topic: 'f19', key: 'late' })
    expect(() => producer.send(late)).toThrow(ProducerClosedError)
    ledger.complete(late.id, {
      ok: false,
      error: new ProducerClosedError({ operation: 'send' }),
      persisted: 'no',
    })
    await watchdog(first, 10_000, 'close()')
    const report = fixture.check(ledger, 'f19', { idempotent: mode === 'idempotent' })
    expect(report.counts).toMatchObject({ acked: 10, failed: 1, abortedRead: 0 })
    expect(report.violations).toEqual([])
  })

  it('flush() and close() called from a completion callback settle without deadlock', async () => {
    const cluster = await fixture.start()
    cluster.createTopic({ name: 'f19', partitions: 1, replicationFactor: 3 })
    const producer = fixture.producer(mode, { lingerMs: 5 })
    const ledger = new DeliveryLedger({ runId: `f19-callback-${mode}` })
    let flushed: Promise<void> | undefined
    let closed: Promise<void> | undefined
    for (let i = 0; i < 20; i++) {
      const record = ledger.next({ topic: 'f19', key: 'k' })
      const recordCallback = ledger.callback(record.id)
      void ledger.track(
        record.id,
        producer.send(record, (metadata, error) => {
          recordCallback(metadata, error)
          if (i === 0) flushed = producer.flush()
          if (i === 1) closed = producer.close()
        }),
      )
    }
    await watchdog(
      (async () => {
        await ledger.whenCompleted(10_000)
        await flushed
        await closed
      })(),
      15_000,
      'flush()/close() from a callback',
    )
    const report = fixture.check(ledger, 'f19', { idempotent: mode === 'idempotent' })
    expect(report.counts).toMatchObject({ multipleCompletions: 0, uncompleted: 0, outcomeMismatches: 0 })
    expect(report.counts.acked + report.counts.failed).toBe(20)
    expect(report.violations).toEqual([])
  })
})

describe.each(modes)('%s producer: concurrent sends (F22)', (mode) => {
  it('1000 sends from 50 interleaved async tasks get 1000 distinct, contiguous offsets', async () => {
    const cluster = await fixture.start()
    cluster.createTopic({ name: 'f22', partitions: 1, replicationFactor: 3 })
    const producer = fixture.producer(mode, { lingerMs: 1 })
    const ledger = new DeliveryLedger({ runId: `f22-${mode}` })
    await Promise.all(
      Array.from({ length: 50 }, async (_, task) => {
        for (let i = 0; i < 20; i++) {
          if ((task + i) % 3 === 0) await new Promise((resolve) => setImmediate(resolve))
          else await Promise.resolve()
          sendRecorded(producer, ledger, ledger.next({ topic: 'f22', key: `task-${task}`, partition: 0 }))
        }
      }),
    )
    await producer.flush()
    await ledger.whenCompleted()
    const offsets = Array.from({ length: 1000 }, (_, id) => {
      const outcome = ledger.outcome(id)
      return outcome.state === 'ok' ? outcome.offset : -1
    }).sort((a, b) => a - b)
    expect(offsets).toEqual(Array.from({ length: 1000 }, (_, i) => i))
    const report = fixture.check(ledger, 'f22', { idempotent: true }) // order holds for both modes without faults
    tableRow({
      id: 'F22',
      scenario: '1000 concurrent sends from 50 tasks, 1 partition',
      broker: 'embedded',
      mode,
      report,
    })
    expect(report.violations).toEqual([])
    if (mode === 'idempotent') {
      // distinct, contiguous sequences on the broker (only meaningful with a producer id)
      const sequences = cluster.records('f22', 0).map((record) => record.sequence)
      expect(sequences).toEqual(Array.from({ length: 1000 }, (_, i) => i))
    }
  })
})
