// A batch's per-record info and record locations: what lets the producer keep one completion shared by many
// records (the create time and sizes each record's metadata needs live in the batch), and lets a record's
// handle find it again after `removeRecord` shifted it or `split` moved it (`locate`, `setCompletion`).
import { describe, expect, it } from 'vitest'
import { ProducerBatch } from './producer-batch.js'
import { recordBatchBuilderFactory } from './record-batch-builder-factory.js'
import type { RecordCompletion } from './record-completion.js'
import { CompletionRecorder } from './test-support.test-helper.js'

const NOW = 1_700_000_000_000
const factory = recordBatchBuilderFactory()
const batchOf = (size: number) =>
  new ProducerBatch({ topic: 't', partition: 0, buffer: new Uint8Array(size), factory, createdMs: NOW })
const bytes = (length: number) => new Uint8Array(length).fill(7)

/** A completion that records, per call, the record info the batch reports for its index. */
function infoReader(seen: [number, number, number, number][]): RecordCompletion {
  return {
    onCompletion(batch, index) {
      seen.push([
        index,
        batch.recordTimestamp(index),
        batch.recordKeySize(index),
        batch.recordValueSize(index),
      ])
    },
  }
}

describe('ProducerBatch record info', () => {
  it("keeps each record's create time and key and value sizes (-1 for null) for its completion", () => {
    const batch = batchOf(16_384)
    const seen: [number, number, number, number][] = []
    const shared = infoReader(seen)
    batch.tryAppend(NOW + 1, null, bytes(10), null, shared, NOW)
    batch.tryAppend(NOW + 2, bytes(3), null, null, shared, NOW)
    batch.tryAppend(NOW + 3, bytes(0), bytes(5), null, shared, NOW)
    batch.close()
    batch.complete(0n, -1)
    expect(seen).toEqual([
      [0, NOW + 1, -1, 10],
      [1, NOW + 2, 3, -1],
      [2, NOW + 3, 0, 5],
    ])
  })

  it('keeps the info of every record when the batch outgrows its first estimate', () => {
    const batch = batchOf(4096)
    const seen: [number, number, number, number][] = []
    const shared = infoReader(seen)
    batch.tryAppend(NOW, null, bytes(2000), null, shared, NOW) // sized for ~3 records
    let appended = 1
    while (batch.tryAppend(NOW + appended, null, bytes(1), null, shared, NOW)) appended++
    expect(appended).toBeGreaterThan(100)
    batch.close()
    batch.complete(0n, -1)
    expect(seen).toHaveLength(appended)
    expect(seen[0]).toEqual([0, NOW, -1, 2000])
    for (let i = 1; i < appended; i++) expect(seen[i]).toEqual([i, NOW + i, -1, 1])
  })

  it("moves a record's info with it when removeRecord shifts the records after it", () => {
    const batch = batchOf(16_384)
    const seen: [number, number, number, number][] = []
    const shared = infoReader(seen)
    const removed: RecordCompletion = { onCompletion: () => expect.unreachable('removed record completed') }
    batch.tryAppend(NOW, null, bytes(1), null, shared, NOW)
    batch.tryAppend(NOW + 1, null, bytes(2), null, removed, NOW)
    batch.tryAppend(NOW + 2, null, bytes(3), null, shared, NOW)
    expect(batch.removeRecord(removed)).toBe(true)
    batch.close()
    batch.complete(0n, -1)
    expect(seen).toEqual([
      [0, NOW, -1, 1],
      [1, NOW + 2, -1, 3],
    ])
  })
})

describe('ProducerBatch record locations', () => {
  it('swaps the completion of a pending record found by ordinal, only if it is the expected one', () => {
    const batch = batchOf(16_384)
    const calls = new CompletionRecorder()
    const first = calls.next()
    const own = calls.next()
    const shared = calls.next()
    batch.tryAppend(NOW, null, bytes(1), null, first, NOW)
    batch.tryAppend(NOW, null, bytes(1), null, own, NOW)
    expect(batch.lastAppendOrdinal).toBe(1)
    expect(batch.replaceCompletion(1, calls.next(), shared)).toBe(false)
    expect(batch.replaceCompletion(0, own, shared)).toBe(false)
    expect(batch.replaceCompletion(1, own, shared)).toBe(true)
    expect(batch.holds(own)).toBe(false)
    batch.close()
    batch.complete(0n, -1)
    expect(calls.calls.map((call) => [call.id, call.index])).toEqual([
      [first.id, 0],
      [shared.id, 1],
    ])
    expect(batch.replaceCompletion(1, shared, own)).toBe(false) // done: nothing to swap
  })

  it('locates a record by ordinal after removeRecord shifted it, and not the removed one', () => {
    const batch = batchOf(16_384)
    const calls = new CompletionRecorder()
    const completions = [0, 1, 2, 3, 4].map(() => calls.next())
    for (const completion of completions) batch.tryAppend(NOW, null, bytes(1), null, completion, NOW)
    expect(batch.removeRecord(completions[1]!)).toBe(true)
    expect(batch.removeRecord(completions[3]!)).toBe(true)
    expect(batch.locate(0)).toEqual({ batch, index: 0 })
    expect(batch.locate(1)).toBeUndefined()
    expect(batch.locate(2)).toEqual({ batch, index: 1 })
    expect(batch.locate(3)).toBeUndefined()
    expect(batch.locate(4)).toEqual({ batch, index: 2 })
    // A record appended after the removals gets the next ordinal.
    batch.tryAppend(NOW, null, bytes(1), null, calls.next(), NOW)
    expect(batch.lastAppendOrdinal).toBe(5)
    expect(batch.locate(5)).toEqual({ batch, index: 3 })
  })

  it('locates a record in the batch a split moved it to, through a second split', () => {
    const batch = batchOf(16_384)
    const calls = new CompletionRecorder()
    for (let i = 0; i < 10; i++) batch.tryAppend(NOW + i, null, bytes(100), null, calls.next(), NOW)
    const parts = batch.split(1024, 1, 4) // 4 + 4 + 2 records
    expect(parts.map((part) => part.recordCount)).toEqual([4, 4, 2])
    expect(batch.locate(0)).toEqual({ batch: parts[0], index: 0 })
    expect(batch.locate(5)).toEqual({ batch: parts[1], index: 1 })
    expect(batch.locate(9)).toEqual({ batch: parts[2], index: 1 })
    const halves = parts[1]!.split(1024, 1, 2)
    expect(batch.locate(5)).toEqual({ batch: halves[0], index: 1 })
    expect(batch.locate(6)).toEqual({ batch: halves[1], index: 0 })
    expect(halves[1]!.recordTimestamp(0)).toBe(NOW + 6)
  })

  it('lets a located record take its completion back while pending, and refuses once the batch is done', () => {
    const batch = batchOf(16_384)
    const calls = new CompletionRecorder()
    const shared = calls.next()
    const own = calls.next()
    for (let i = 0; i < 3; i++) batch.tryAppend(NOW, null, bytes(1), null, shared, NOW)
    batch.setCompletion(1, own)
    expect(() => batch.setCompletion(3, own)).toThrow('no record 3')
    batch.close()
    batch.complete(0n, -1)
    expect(calls.calls.map((call) => [call.id, call.index])).toEqual([
      [shared.id, 0],
      [own.id, 1],
      [shared.id, 2],
    ])
    expect(() => batch.setCompletion(0, own)).toThrow('already succeeded')
  })

  it('tells each record its own error after a failure, and none after a success', () => {
    const failed = batchOf(16_384)
    const calls = new CompletionRecorder()
    for (let i = 0; i < 3; i++) failed.tryAppend(NOW, null, bytes(1), null, calls.next(), NOW)
    const top = new Error('INVALID_RECORD')
    const own = new Error('record 1 is invalid')
    failed.close()
    failed.completeExceptionally(top, (index) => (index === 1 ? own : undefined))
    expect([0, 1, 2].map((index) => failed.recordError(index))).toEqual([top, own, top])

    const succeeded = batchOf(16_384)
    succeeded.tryAppend(NOW, null, bytes(1), null, calls.next(), NOW)
    succeeded.close()
    succeeded.complete(0n, -1)
    expect(succeeded.recordError(0)).toBeUndefined()

    const aborted = batchOf(16_384)
    aborted.tryAppend(NOW, null, bytes(1), null, calls.next(), NOW)
    const reason = new Error('closed')
    aborted.abortRecordAppends()
    aborted.abort(reason)
    expect(aborted.recordError(0)).toBe(reason)
  })
})
