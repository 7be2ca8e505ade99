// Recycling of ProducerBatch's completion arrays (completion-arrays.ts): a batch's array goes back for reuse
// once its completions fired, never while a batch can still read it.
import { describe, expect, it } from 'vitest'
import {
  growCompletionArray,
  NO_COMPLETIONS,
  recycleCompletionArray,
  spareCompletionArrayCount,
  takeCompletionArray,
} from './completion-arrays.js'
import { ProducerBatch } from './producer-batch.js'
import { recordBatchBuilderFactory } from './record-batch-builder-factory.js'
import type { RecordCompletion } from './record-completion.js'
import { CompletionRecorder } from './test-support.test-helper.js'

const NOW = 1_700_000_000_000
const factory = recordBatchBuilderFactory()
const completion = (id: number): RecordCompletion & { id: number } => ({ id, onCompletion() {} })
const batchOf = (size: number) =>
  new ProducerBatch({ topic: 't', partition: 0, buffer: new Uint8Array(size), factory, createdMs: NOW })

describe('completion arrays', () => {
  it('hands a recycled array back cleared, and a new one when no spare is large enough', () => {
    const array = takeCompletionArray(1000)
    expect(array.length).toBeGreaterThanOrEqual(1000)
    array[0] = completion(1)
    array[1] = completion(2)
    recycleCompletionArray(array, 2)
    expect(array[0]).toBeUndefined()
    expect(array[1]).toBeUndefined()
    expect(takeCompletionArray(1000)).toBe(array)
    expect(takeCompletionArray(1000)).not.toBe(array)
  })

  it('grows an array keeping its used slots in order', () => {
    const small = takeCompletionArray(8)
    for (let i = 0; i < small.length; i++) small[i] = completion(i)
    const original = [...small]
    const grown = growCompletionArray(small, small.length)
    expect(grown.length).toBeGreaterThan(small.length)
    for (let i = 0; i < small.length; i++) expect(grown[i]).toBe(original[i])
    expect(small.every((slot) => slot === undefined)).toBe(true)
  })

  it('never recycles the shared empty array', () => {
    const before = spareCompletionArrayCount()
    recycleCompletionArray(NO_COMPLETIONS, 0)
    expect(spareCompletionArrayCount()).toBe(before)
    expect(NO_COMPLETIONS).toHaveLength(0)
  })

  it('lets a completed batch give its array to the next batch, whose completions stay its own', () => {
    const first = batchOf(16_384)
    const firstCalls = new CompletionRecorder()
    const value = new Uint8Array(100)
    while (first.tryAppend(NOW, null, value, null, firstCalls.next(), NOW)) {}
    const appended = first.recordCount
    expect(appended).toBeGreaterThan(100)
    first.close()
    first.completeExceptionally(new Error('expired')) // e.g. delivery.timeout.ms, while still in flight
    expect(firstCalls.calls.map((call) => call.index)).toEqual([...Array(appended).keys()])

    const second = batchOf(16_384)
    const secondCalls = new CompletionRecorder()
    for (let i = 0; i < 3; i++) second.tryAppend(NOW, null, value, null, secondCalls.next(), NOW)
    // The broker's late success for the first batch must not reach the second batch's completions.
    expect(first.complete(10n, -1)).toBe(false)
    second.close()
    second.complete(20n, -1)
    expect(secondCalls.calls.map((call) => [call.batch, call.index])).toEqual([
      [second, 0],
      [second, 1],
      [second, 2],
    ])
    expect(firstCalls.calls).toHaveLength(appended)
  })

  it('keeps every completion of a batch that outgrows its first estimate (records shrinking)', () => {
    const batch = batchOf(4096)
    const calls = new CompletionRecorder()
    batch.tryAppend(NOW, null, new Uint8Array(2000), null, calls.next(), NOW) // sized for ~3 records
    let appended = 1
    while (batch.tryAppend(NOW, null, new Uint8Array(1), null, calls.next(), NOW)) appended++
    expect(appended).toBeGreaterThan(100)
    batch.close()
    batch.complete(0n, -1)
    expect(calls.calls.map((call) => call.id)).toEqual([...Array(appended).keys()])
  })
})
