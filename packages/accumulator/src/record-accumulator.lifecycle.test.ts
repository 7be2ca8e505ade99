// Scenarios of Java's RecordAccumulatorTest: testRetryBackoff, testExponentialRetryBackoff,
// testReadyAndDrainWhenABatchIsBeingRetried, testFlush, testAbortIncompleteBatches, testAbortUnsentBatches,
// testExpiredBatch*, testExpiredBatchesRetry, testSplitAndReenqueue, testSplitBatchOffAccumulator.
import { StaticClusterView } from '@x/partitioners'
import { describe, expect, it } from 'vitest'
import { AccumulatorClosedError } from './accumulator-closed-error.js'
import { recordBatchBuilderFactory } from './record-batch-builder-factory.js'
import {
  CompletionRecorder,
  cluster,
  createAccumulator,
  expectedNumAppends,
  KEY,
  RECORD_BATCH_OVERHEAD,
  recordsOf,
  TOPIC,
  VALUE,
} from './test-support.test-helper.js'

const MAX = Number.MAX_SAFE_INTEGER

describe('RecordAccumulator retries, expiry, flush, abort and split', () => {
  it('backs off a retried batch while other partitions of the node still drain', () => {
    const lingerMs = 1000
    const { accumulator } = createAccumulator({
      batchSize: 1024 + RECORD_BATCH_OVERHEAD,
      lingerMs,
      retryBackoffMs: 100,
    })
    const completions = new CompletionRecorder()
    accumulator.append(TOPIC, 0, 0, KEY, VALUE, null, completions.next(), 1000, false, 0, cluster)
    let drained = accumulator.drain(
      cluster,
      accumulator.ready(cluster, lingerMs + 1).readyNodes,
      MAX,
      lingerMs + 1,
    )
    const batch = drained.get(0)![0]!
    accumulator.reenqueue(batch, 2000)

    accumulator.append(TOPIC, 1, 0, KEY, VALUE, null, completions.next(), 1000, false, 2000, cluster)
    // 50 ms after the re-enqueue: partition 0 still backs off (100 ms), partition 1 still lingers.
    expect(accumulator.ready(cluster, 2050).readyNodes.size).toBe(0)
    expect(accumulator.ready(cluster, 2050).nextReadyCheckDelayMs).toBe(50)
    // Draining the node anyway takes partition 1 but skips partition 0 while it backs off.
    drained = accumulator.drain(cluster, [0], MAX, 2050)
    expect(drained.get(0)!.map((b) => b.partition)).toEqual([1])
    drained = accumulator.drain(cluster, accumulator.ready(cluster, 2100).readyNodes, MAX, 2100)
    expect(drained.get(0)).toEqual([batch])
    expect(batch.attempts).toBe(1)
    expect(batch.inRetry()).toBe(true)
  })

  it('grows the retry backoff exponentially up to retry.backoff.max.ms', () => {
    const { accumulator } = createAccumulator({
      batchSize: 1024 + RECORD_BATCH_OVERHEAD,
      lingerMs: 0,
      retryBackoffMs: 100,
      retryBackoffMaxMs: 1000,
      deliveryTimeoutMs: MAX,
    })
    accumulator.append(
      TOPIC,
      0,
      0,
      KEY,
      VALUE,
      null,
      new CompletionRecorder().next(),
      1000,
      false,
      0,
      cluster,
    )
    const [batch] = accumulator.drain(cluster, [0], MAX, 0).get(0)!
    for (const backoffMs of [100, 200, 400, 800, 1000, 1000]) {
      accumulator.reenqueue(batch!, 0)
      expect(accumulator.ready(cluster, backoffMs - 1).readyNodes.size).toBe(0)
      expect(accumulator.ready(cluster, backoffMs - 1).nextReadyCheckDelayMs).toBe(1)
      expect(accumulator.drain(cluster, [0], MAX, backoffMs).get(0)).toEqual([batch])
    }
  })

  it('skips the backoff when a retry goes to a newer leader epoch', () => {
    const withEpoch = (epoch: number) =>
      new StaticClusterView([{ topic: TOPIC, partition: 0, leader: 0, leaderEpoch: epoch }])
    const { accumulator } = createAccumulator({ batchSize: 10, lingerMs: 10, deliveryTimeoutMs: MAX })
    accumulator.append(
      TOPIC,
      0,
      0,
      KEY,
      VALUE,
      null,
      new CompletionRecorder().next(),
      1000,
      false,
      0,
      cluster,
    )
    let now = 11
    const [batch] = accumulator
      .drain(cluster, accumulator.ready(withEpoch(100), now).readyNodes, MAX, now)
      .get(0)!
    expect(batch!.currentLeaderEpoch).toBe(100)
    accumulator.reenqueue(batch!, now)

    now += 1 // same leader: back off
    expect(accumulator.ready(withEpoch(100), now).readyNodes.size).toBe(0)
    now += 1 // new leader: go now
    expect(accumulator.ready(withEpoch(101), now).readyNodes).toEqual(new Set([0]))
    expect(accumulator.drain(withEpoch(101), [0], MAX, now).get(0)).toEqual([batch])
    expect(batch!.attemptsWhenLeaderLastChanged).toBe(1)
  })

  it('flush makes everything ready and resolves only when the batches appended before it are done', async () => {
    const { accumulator, pool } = createAccumulator({
      batchSize: 4 * 1024 + RECORD_BATCH_OVERHEAD,
      totalMemory: 64 * 1024,
      lingerMs: MAX,
    })
    const completions = new CompletionRecorder()
    for (let i = 0; i < 100; i++) {
      accumulator.append(TOPIC, i % 3, 0, KEY, VALUE, null, completions.next(), 1000, false, 0, cluster)
    }
    expect(accumulator.ready(cluster, 0).readyNodes.size).toBe(0)
    const flushed = accumulator.flush()
    let done = false
    void flushed.then(() => {
      done = true
    })
    const ready = accumulator.ready(cluster, 0).readyNodes
    expect(ready).toEqual(new Set([0, 1]))
    const drained = [...accumulator.drain(cluster, ready, MAX, 0).values()].flat()
    expect(drained).toHaveLength(3)
    expect(accumulator.hasUndrained()).toBe(false)
    await Promise.resolve()
    expect(done).toBe(false)
    for (const batch of drained) {
      batch.complete(0n, -1)
      accumulator.deallocate(batch)
    }
    await flushed
    expect(accumulator.flushInProgress()).toBe(false)
    expect(accumulator.hasIncomplete()).toBe(false)
    expect(completions.calls).toHaveLength(100)
    expect(pool.availableMemory).toBe(64 * 1024)
  })

  it('aborts every incomplete batch, drained or not, completing each record once and freeing memory', () => {
    const { accumulator, pool } = createAccumulator({
      batchSize: 128 + RECORD_BATCH_OVERHEAD,
      totalMemory: 64 * 1024,
      lingerMs: MAX,
    })
    const completions = new CompletionRecorder()
    for (let i = 0; i < 100; i++) {
      accumulator.append(TOPIC, i % 3, 0, KEY, VALUE, null, completions.next(), 1000, false, 0, cluster)
    }
    const drained = [
      ...accumulator.drain(cluster, accumulator.ready(cluster, 0).readyNodes, MAX, 0).values(),
    ].flat()
    const drainedRecords = drained.reduce((sum, batch) => sum + batch.recordCount, 0)
    expect(drainedRecords).toBeGreaterThan(0)
    expect(drainedRecords).toBeLessThan(100)
    expect(accumulator.hasUndrained()).toBe(true)

    accumulator.abortIncompleteBatches()
    expect(completions.calls).toHaveLength(100)
    for (let id = 0; id < 100; id++) {
      const [call] = completions.callsFor(id)
      expect(call?.error).toBeInstanceOf(AccumulatorClosedError)
      expect(call?.error?.message).toContain('closed forcefully')
    }
    expect(accumulator.hasUndrained()).toBe(false)
    expect(accumulator.hasIncomplete()).toBe(false)
    expect(pool.availableMemory).toBe(64 * 1024)
    expect(() =>
      accumulator.append(TOPIC, 0, 0, KEY, VALUE, null, completions.next(), 1000, false, 0, cluster),
    ).toThrow(AccumulatorClosedError)
  })

  it('aborts only the undrained batches on abortUndrainedBatches', () => {
    const { accumulator } = createAccumulator({
      batchSize: 128 + RECORD_BATCH_OVERHEAD,
      totalMemory: 64 * 1024,
      lingerMs: MAX,
    })
    const completions = new CompletionRecorder()
    for (let i = 0; i < 100; i++) {
      accumulator.append(TOPIC, i % 3, 0, KEY, VALUE, null, completions.next(), 1000, false, 0, cluster)
    }
    const drained = [
      ...accumulator.drain(cluster, accumulator.ready(cluster, 0).readyNodes, MAX, 0).values(),
    ].flat()
    const cause = new Error('transaction aborted')
    accumulator.abortUndrainedBatches(cause)
    const drainedRecords = drained.reduce((sum, batch) => sum + batch.recordCount, 0)
    expect(completions.calls.every((call) => call.error === cause)).toBe(true)
    expect(completions.calls.length + drainedRecords).toBe(100)
    expect(drained.every((batch) => !batch.isDone())).toBe(true)
    expect(accumulator.hasUndrained()).toBe(false)
    expect(accumulator.hasIncomplete()).toBe(true)
  })

  it('expires queued batches after delivery.timeout.ms, muted or not, and only then', () => {
    const batchSize = 1025
    const { accumulator } = createAccumulator({
      batchSize: batchSize + RECORD_BATCH_OVERHEAD,
      lingerMs: 300,
      deliveryTimeoutMs: 3200,
    })
    let now = 0
    for (const muted of [false, true]) {
      accumulator.resetNextBatchExpiryTime()
      accumulator.append(
        TOPIC,
        0,
        now,
        KEY,
        VALUE,
        null,
        new CompletionRecorder().next(),
        1000,
        false,
        now,
        cluster,
      )
      now += 300
      expect(accumulator.ready(cluster, now).readyNodes).toEqual(new Set([0]))
      expect(accumulator.expiredBatches(now)).toEqual([])
      expect(accumulator.nextExpiryTimeMs()).toBe(now - 300 + 3200)
      if (muted) accumulator.mutePartition(TOPIC, 0)
      else accumulator.unmutePartition(TOPIC, 0)
      now += 3200 - 300
      const expired = accumulator.expiredBatches(now)
      expect(expired).toHaveLength(1)
      expect(expired[0]!.isFull()).toBe(true) // appends aborted
      expect(accumulator.ready(cluster, now).readyNodes.size).toBe(0)
    }
    expect(expectedNumAppends(batchSize)).toBeGreaterThan(1)
  })

  it('expires a retried batch only while it is queued (muted), not once it was drained again', () => {
    const { accumulator } = createAccumulator({
      batchSize: 1025 + RECORD_BATCH_OVERHEAD,
      lingerMs: 3000,
      deliveryTimeoutMs: 3200,
    })
    let now = 0
    for (const muted of [false, true]) {
      accumulator.append(
        TOPIC,
        0,
        0,
        KEY,
        VALUE,
        null,
        new CompletionRecorder().next(),
        0,
        false,
        now,
        cluster,
      )
      now += 3000
      const [batch] = accumulator.drain(cluster, accumulator.ready(cluster, now).readyNodes, MAX, now).get(0)!
      now += 1000
      accumulator.reenqueue(batch!, now)
      if (muted) accumulator.mutePartition(TOPIC, 0)
      else accumulator.unmutePartition(TOPIC, 0)
      now += 3200 - 1000
      accumulator.drain(cluster, [0], MAX, now)
      expect(accumulator.expiredBatches(now)).toHaveLength(muted ? 1 : 0)
    }
  })

  it('splits a too-large batch into batch.size batches, moving completions and sequences along', () => {
    const { accumulator, pool } = createAccumulator({
      batchSize: 1024,
      totalMemory: 10 * 1024,
      lingerMs: 10,
      recordsBuilderFactory: recordBatchBuilderFactory({ compression: 'gzip' }),
    })
    // A good compression estimate lets the batch take far more random (incompressible) bytes than fit.
    accumulator.compressionRatioEstimator.setEstimation(TOPIC, 0.1)
    const completions = new CompletionRecorder()
    const random = new Uint8Array(100)
    let seed = 7
    const ids: number[] = []
    for (let i = 0; i < 20; i++) {
      for (let j = 0; j < random.length; j++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff
        random[j] = seed >>> 16
      }
      const completion = completions.next()
      ids.push(completion.id)
      accumulator.append(TOPIC, 0, 1000 + i, null, random.slice(), null, completion, 0, false, 0, cluster)
    }
    const [big] = accumulator.drain(cluster, accumulator.ready(cluster, 10).readyNodes, MAX, 10).get(0)!
    expect(big!.recordCount).toBe(20)
    expect(big!.records().byteLength).toBeGreaterThan(1024 + RECORD_BATCH_OVERHEAD)
    const parts = accumulator.splitAndReenqueue(big!)
    accumulator.deallocate(big!)
    expect(parts).toBeGreaterThan(1)
    expect(big!.finalState).toBe('split')

    let offset = 0n
    let drainedRecords = 0
    for (let i = 0; i < parts; i++) {
      const [part] = accumulator.drain(cluster, [0], MAX, 10).get(0)!
      expect(part!.isSplitBatch).toBe(true)
      expect(part!.createdMs).toBe(big!.createdMs)
      expect(recordsOf(part!).map((record) => record.timestamp)).toEqual(
        Array.from({ length: part!.recordCount }, (_, index) => 1000 + drainedRecords + index),
      )
      drainedRecords += part!.recordCount
      part!.complete(offset, -1)
      offset += BigInt(part!.recordCount)
      accumulator.deallocate(part!)
    }
    expect(drainedRecords).toBe(big!.recordCount)
    expect(completions.calls.map((call) => call.id)).toEqual(ids.slice(0, drainedRecords))
    expect(completions.calls.map((call) => call.batch.baseOffset + BigInt(call.index))).toEqual(
      ids.slice(0, drainedRecords).map((_, index) => BigInt(index)),
    )
    // Split batches live outside the pool; the big batch's pooled buffer came back.
    expect(pool.availableMemory).toBe(10 * 1024 - (accumulator.hasUndrained() ? 1024 : 0))
  })
})
