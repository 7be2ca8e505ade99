// bufferMemory back-pressure against slow brokers (checklist S2/R6 on the embedded cluster): Produce answers
// 300 ms late, bufferMemory is 1 MiB and maxBlockMs 500 ms. A producer that ignores back-pressure gets
// BufferExhaustedError for what does not fit in time (not persisted, never read back); one that waits on
// producer.backPressure() gets none. Either way nothing acknowledged is lost, the pool is whole at the end,
// and the process's memory stays bounded by the budget plus what the waiting sends hold.
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { BufferExhaustedError } from '@x/buffer-pool'
import { DeliveryLedger } from '@x/testkit'
import { describe, expect, it } from 'vitest'
import { useEmbeddedCluster } from './support/embedded-fixture.js'
import { sendMany, sendRecorded, tableRow } from './support/oracle-producer.js'

const fixture = useEmbeddedCluster()
const BUFFER_MEMORY = 1024 * 1024
const MiB = 1024 * 1024
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

/** Samples RSS every 20 ms until stopped; returns the peak growth over the starting RSS. */
function rssPeak() {
  const before = process.memoryUsage().rss
  let peak = before
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, 20)
  return {
    stop() {
      clearInterval(timer)
      return peak - before
    },
  }
}

describe('bufferMemory back-pressure with slow brokers', () => {
  it('a producer faster than the brokers gets BufferExhaustedError after maxBlockMs for what does not fit', async () => {
    const cluster = await fixture.start()
    cluster.createTopic({ name: 'slow', partitions: 3, replicationFactor: 3 })
    cluster.faults.latency({ api: 'Produce', ms: 300 })
    const producer = fixture.producer('idempotent', {
      bufferMemory: BUFFER_MEMORY,
      batchSize: 16 * 1024,
      maxBlockMs: 500,
      lingerMs: 5,
    })
    await producer.partitionsFor('slow')
    const ledger = new DeliveryLedger({ runId: 'bp-exhausted' })
    gc()
    const heapBefore = process.memoryUsage().heapUsed
    // 40,000 × 200 B = 8 MiB offered at once against a 1 MiB budget
    await sendMany(producer, ledger, { topic: 'slow', count: 40_000, keys: 8, valueBytes: 200 })
    gc()
    const pending = ledger.pending
    const perPendingSend = (process.memoryUsage().heapUsed - heapBefore) / pending
    await producer.flush()
    await ledger.whenCompleted(60_000)
    const failures = ledger.failures()
    const report = fixture.check(ledger, 'slow', { idempotent: true })
    tableRow({
      id: 'S2',
      scenario: '8 MiB offered at once, bufferMemory 1 MiB, Produce 300 ms late, maxBlockMs 500',
      broker: 'embedded',
      mode: 'idempotent',
      report,
      note: `${failures.length} BufferExhaustedError; ${Math.round(perPendingSend)} B of live heap per pending send (oracle record and its ledger promise included)`,
    })
    expect(failures.length).toBeGreaterThan(0)
    for (const failure of failures) {
      expect(BufferExhaustedError.isInstance(failure.error), String(failure.error)).toBe(true)
      expect(failure.persisted).toBe('no')
    }
    expect(report.counts.acked).toBeGreaterThan(0)
    expect(report.counts).toMatchObject({ lost: 0, abortedRead: 0, duplicated: 0, uncompleted: 0 })
    expect(producer.metrics()['buffer-available-bytes']).toBe(BUFFER_MEMORY)
    // beyond the pool, memory grows only with the sends waiting for it (what they hold is in the doc)
    expect(perPendingSend).toBeLessThan(3_072)
  })

  it('a producer that waits on backPressure() gets no BufferExhaustedError and delivers everything', async () => {
    const cluster = await fixture.start()
    cluster.createTopic({ name: 'slow', partitions: 3, replicationFactor: 3 })
    cluster.faults.latency({ api: 'Produce', ms: 100 })
    const producer = fixture.producer('idempotent', {
      bufferMemory: BUFFER_MEMORY,
      batchSize: 16 * 1024,
      maxBlockMs: 500,
      lingerMs: 5,
    })
    await producer.partitionsFor('slow')
    const ledger = new DeliveryLedger({ runId: 'bp-waiting' })
    const rss = rssPeak()
    let waits = 0
    for (let i = 0; i < 20_000; i++) {
      sendRecorded(producer, ledger, ledger.next({ topic: 'slow', key: `k${i % 8}`, valueBytes: 200 }))
      const waiting = producer.backPressure()
      if (waiting) {
        waits++
        await waiting
      }
    }
    await producer.flush()
    await ledger.whenCompleted(60_000)
    const rssGrowth = rss.stop()
    const report = fixture.check(ledger, 'slow', { idempotent: true })
    tableRow({
      id: 'S2',
      scenario: '20,000 × 200 B through backPressure(), bufferMemory 1 MiB, Produce 100 ms late',
      broker: 'embedded',
      mode: 'idempotent',
      report,
      note: `${waits} waits on backPressure(); RSS peak +${Math.round(rssGrowth / MiB)} MiB`,
    })
    expect(rssGrowth).toBeLessThan(48 * MiB) // the 1 MiB pool, batches in flight, the ledger, GC slack
    expect(waits).toBeGreaterThan(0)
    expect(report.counts).toMatchObject({ acked: 20_000, failed: 0, read: 20_000 })
    expect(report.violations).toEqual([])
    expect(producer.metrics()['buffer-available-bytes']).toBe(BUFFER_MEMORY)
  })
})
