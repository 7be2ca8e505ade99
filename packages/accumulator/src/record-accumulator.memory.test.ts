// Bounded memory and back-pressure (the acceptance test), ordering of appends that wait for memory,
// and the batch-granularity wake-up stream.
import { BufferExhaustedError, BufferPool } from '@x/buffer-pool'
import { describe, expect, it } from 'vitest'
import type { RecordAppendResult } from './results.js'
import {
  CompletionRecorder,
  cluster,
  createAccumulator,
  KEY,
  ManualTimer,
  RECORD_BATCH_OVERHEAD,
  TOPIC,
} from './test-support.test-helper.js'

const tick = () => new Promise<void>((resolve) => setImmediate(resolve))

describe('RecordAccumulator memory', () => {
  it('gives each append that waited its own result, even when several land in existing batches', async () => {
    const batchSize = 1024
    const timer = new ManualTimer()
    const pool = new BufferPool({ totalMemory: 3 * batchSize, poolableSize: batchSize, timer })
    const { accumulator } = createAccumulator({ batchSize, bufferPool: pool, timer })
    const completions = new CompletionRecorder()
    const value = new Uint8Array(10)
    const append = (partition: number) =>
      accumulator.append(TOPIC, partition, 0, KEY, value, null, completions.next(), 1000, false, 0, cluster)
    append(0)
    append(1)
    const held = pool.allocate(batchSize, 0, undefined) as Uint8Array
    const waiting = [append(2), append(0), append(1)]
    for (const result of waiting) expect(result).toBeInstanceOf(Promise)
    pool.deallocate(held)
    const [toNew, toFirst, toSecond] = await Promise.all(waiting)
    expect([toNew!.partition, toNew!.newBatchCreated, toNew!.ordinal]).toEqual([2, true, 0])
    // Both went into an open batch; the second must not overwrite the first's result.
    expect([toFirst!.partition, toFirst!.batch!.partition, toFirst!.ordinal]).toEqual([0, 0, 1])
    expect([toSecond!.partition, toSecond!.batch!.partition, toSecond!.ordinal]).toEqual([1, 1, 1])
  })

  it('bounds memory: appending ten times buffer.memory with nothing draining waits, then fails after max.block.ms', async () => {
    const totalMemory = 64 * 1024
    const batchSize = 4096
    const timer = new ManualTimer()
    const pool = new BufferPool({ totalMemory, poolableSize: batchSize, timer })
    const { accumulator } = createAccumulator({ batchSize, bufferPool: pool, timer, lingerMs: 1000 })
    let maxHandedOut = 0
    pool.state$.subscribe((state) => {
      maxHandedOut = Math.max(maxHandedOut, state.totalMemory - state.availableMemory)
    })
    const completions = new CompletionRecorder()
    const value = new Uint8Array(100)
    const results: (RecordAppendResult | Promise<RecordAppendResult>)[] = []
    let appendedBytes = 0
    while (appendedBytes < 10 * totalMemory) {
      results.push(
        accumulator.append(TOPIC, 0, 0, KEY, value, null, completions.next(), 200, false, 0, cluster),
      )
      appendedBytes += value.length
    }
    const waiting = results.filter((result) => result instanceof Promise)
    expect(waiting.length).toBeGreaterThan(0)
    expect(pool.queued).toBe(1) // one waits in the pool; the others queue behind it in the accumulator
    expect(pool.availableMemory).toBe(0)
    expect(maxHandedOut).toBeLessThanOrEqual(totalMemory)

    timer.advance(199)
    await tick()
    const settled = await Promise.race([
      Promise.allSettled(waiting).then(() => 'settled'),
      tick().then(() => 'pending'),
    ])
    expect(settled).toBe('pending')
    // The first waiter times out; each one behind it then gets its own (already spent) budget and fails too.
    timer.advance(1)
    for (let i = 0; i < 5; i++) await tick()
    const outcomes = await Promise.allSettled(waiting)
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected')
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(BufferExhaustedError)
    }
    expect(maxHandedOut).toBeLessThanOrEqual(totalMemory)
    expect(totalMemory - pool.availableMemory).toBeLessThanOrEqual(totalMemory)
    expect(completions.calls).toHaveLength(0) // failed appends never reached a batch
    expect(pool.metrics()['buffer-exhausted-total']).toBeGreaterThan(0)
  })

  it('keeps append order when later appends arrive while one waits for memory', async () => {
    const batchSize = 128
    const timer = new ManualTimer()
    const pool = new BufferPool({ totalMemory: 2 * batchSize, poolableSize: batchSize, timer })
    const { accumulator } = createAccumulator({ batchSize, bufferPool: pool, timer })
    const completions = new CompletionRecorder()
    const value = new Uint8Array(40)
    const ids: number[] = []
    const results: (RecordAppendResult | Promise<RecordAppendResult>)[] = []
    for (let i = 0; i < 8; i++) {
      const completion = completions.next()
      ids.push(completion.id)
      results.push(accumulator.append(TOPIC, 0, i, null, value, null, completion, 10_000, false, 0, cluster))
    }
    expect(results.some((result) => result instanceof Promise)).toBe(true)
    // Drain and free batches until every append went through.
    for (let round = 0; round < 10; round++) {
      for (const batch of accumulator.drain(cluster, [0], Number.MAX_SAFE_INTEGER, 0).get(0)!) {
        batch.complete(0n, -1)
        accumulator.deallocate(batch)
      }
      await tick()
    }
    await Promise.all(results)
    for (const batch of accumulator.drain(cluster, [0], Number.MAX_SAFE_INTEGER, 0).get(0)!)
      batch.complete(0n, -1)
    expect(completions.calls.map((call) => call.id)).toEqual(ids)
  })

  it('rejects an append waiting for memory when the accumulator closes, returning nothing it did not own', async () => {
    const timer = new ManualTimer()
    const pool = new BufferPool({ totalMemory: 256, poolableSize: 128, timer })
    const { accumulator } = createAccumulator({ batchSize: 128, bufferPool: pool, timer })
    const append = () =>
      accumulator.append(
        TOPIC,
        0,
        0,
        null,
        new Uint8Array(40),
        null,
        new CompletionRecorder().next(),
        1000,
        false,
        0,
        cluster,
      )
    expect(append()).not.toBeInstanceOf(Promise)
    expect(append()).not.toBeInstanceOf(Promise)
    const waiting = append()
    expect(waiting).toBeInstanceOf(Promise)
    accumulator.abortIncompleteBatches()
    await expect(waiting).rejects.toThrow(/closed/)
    expect(pool.availableMemory).toBe(256)
  })
})

describe('RecordAccumulator wake-ups', () => {
  it('emits once per new batch and once when a batch fills, never per record, plus flush and close', async () => {
    const batchSize = 1024
    const { accumulator } = createAccumulator({
      batchSize: batchSize + RECORD_BATCH_OVERHEAD,
      totalMemory: 64 * 1024,
    })
    const events: string[] = []
    accumulator.wakeups$.subscribe((event) => events.push(`${event.type}${event.partition ?? ''}`))
    const value = new Uint8Array(10)
    for (let i = 0; i < 500; i++) {
      accumulator.append(
        TOPIC,
        0,
        0,
        null,
        value,
        null,
        new CompletionRecorder().next(),
        1000,
        false,
        0,
        cluster,
      )
    }
    const batches = accumulator.batchesFor(TOPIC, 0).length
    expect(batches).toBeGreaterThan(3)
    expect(events.filter((event) => event === 'batch-created0')).toHaveLength(batches)
    expect(events.length).toBeLessThanOrEqual(2 * batches)
    void accumulator.flush()
    accumulator.close()
    expect(events.slice(-2)).toEqual(['flush', 'close'])
  })
})
