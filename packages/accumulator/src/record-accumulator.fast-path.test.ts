// append() tries the open batch of the chosen queue itself and hands a refusal to the general path, which must
// carry on from exactly there: Java's RecordAccumulator.append order (tryAppend, abortOnNewBatch, allocate,
// partitionChanged, new batch) is kept whichever path took the record.
import { UNKNOWN_PARTITION } from '@x/partitioners'
import { describe, expect, it } from 'vitest'
import type { RecordAppendResult } from './results.js'
import { CompletionRecorder, cluster, createAccumulator, TOPIC } from './test-support.test-helper.js'

const sync = (result: RecordAppendResult | Promise<RecordAppendResult>) => {
  if (result instanceof Promise) throw new Error('append unexpectedly waited')
  return result
}

describe('RecordAccumulator append fast path', () => {
  it('opens the next batch of an explicit partition when the open one refuses a record, allocating once', () => {
    const batchSize = 256
    const { accumulator, pool } = createAccumulator({ batchSize, totalMemory: 4 * batchSize })
    const completions = new CompletionRecorder()
    const append = () =>
      sync(
        accumulator.append(
          TOPIC,
          1,
          0,
          null,
          new Uint8Array(50),
          null,
          completions.next(),
          0,
          false,
          0,
          cluster,
        ),
      )
    const first = append()
    expect(first.newBatchCreated).toBe(true)
    expect(pool.availableMemory).toBe(3 * batchSize)
    const firstBatch = first.batch!
    let appended = 1
    for (let result = first; result.batch === firstBatch; appended++) result = append()
    // The refusing append opened exactly one new batch: the open one was closed, memory taken once.
    expect(pool.availableMemory).toBe(2 * batchSize)
    const batches = accumulator.batchesFor(TOPIC, 1)
    expect(batches).toHaveLength(2)
    expect(batches[0]!.isFull()).toBe(true)
    expect(batches[1]!.recordCount).toBe(1)
    expect(firstBatch.recordCount + 1).toBe(appended)
  })

  it('with the built-in partitioner and abortOnNewBatch, reports a refusal on the sticky partition without switching', () => {
    const { accumulator, pool } = createAccumulator({ batchSize: 256, totalMemory: 4 * 256, lingerMs: 0 })
    const append = (abortOnNewBatch: boolean) =>
      sync(
        accumulator.append(
          TOPIC,
          UNKNOWN_PARTITION,
          0,
          null,
          new Uint8Array(50),
          null,
          new CompletionRecorder().next(),
          0,
          abortOnNewBatch,
          0,
          cluster,
        ),
      )
    const sticky = append(false).partition
    let result = append(true)
    while (!result.abortForNewBatch) {
      expect(result.partition).toBe(sticky)
      result = append(true)
    }
    expect(result.partition).toBe(sticky)
    expect(result.batch).toBeUndefined()
    expect(pool.availableMemory).toBe(3 * 256) // nothing allocated for the refused record
    expect(accumulator.builtInPartitioner(TOPIC)!.peekCurrentPartitionInfo(cluster).partition).toBe(sticky)
  })

  it('switches the sticky partition after the append that fills a batch that already passed batch.size', () => {
    // batch.size 256, but the first record is larger, so its batch's buffer is larger than batch.size: the
    // sticky byte count passes batch.size while the batch still has room, and the switch waits for it to fill.
    const { accumulator } = createAccumulator({
      batchSize: 256,
      totalMemory: 64 * 1024,
      lingerMs: 0,
      random: (() => {
        let next = 0
        return () => next++ / 0x80000000
      })(),
    })
    const append = (size: number) =>
      sync(
        accumulator.append(
          TOPIC,
          UNKNOWN_PARTITION,
          0,
          null,
          new Uint8Array(size),
          null,
          new CompletionRecorder().next(),
          0,
          false,
          0,
          cluster,
        ),
      )
    const first = append(300)
    expect(first.partition).toBe(0)
    const bigBatch = first.batch!
    expect(bigBatch.isFull()).toBe(false)
    // Fill the large batch exactly: it is full after this record, and the postponed switch is then due.
    let result = append(1)
    while (!bigBatch.isFull()) result = append(1)
    expect(result.partition).toBe(0)
    expect(append(1).partition).toBe(1)
  })

  it('opens the next batch on the sticky partition when explicit appends filled its batch first', () => {
    const { accumulator } = createAccumulator({ batchSize: 256, totalMemory: 64 * 1024, lingerMs: 0 })
    // 32-byte values make 39-byte records: 61 + 5 × 39 = 256 fills the 256-byte batch exactly.
    const append = (partition: number) =>
      sync(
        accumulator.append(
          TOPIC,
          partition,
          0,
          null,
          new Uint8Array(32),
          null,
          new CompletionRecorder().next(),
          0,
          false,
          0,
          cluster,
        ),
      )
    const sticky = append(UNKNOWN_PARTITION).partition
    for (let i = 0; i < 4; i++) append(sticky)
    const [batch, ...others] = accumulator.batchesFor(TOPIC, sticky)
    expect(others).toHaveLength(0)
    expect(batch!.isFull()).toBe(true) // full, though the partitioner counted only its first record's bytes
    const next = append(UNKNOWN_PARTITION)
    expect(next.partition).toBe(sticky)
    expect(next.newBatchCreated).toBe(true)
    expect(accumulator.batchesFor(TOPIC, sticky)).toHaveLength(2)
  })
})
