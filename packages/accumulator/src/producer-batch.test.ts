// Scenarios of Java's ProducerBatchTest (apache/kafka clients/src/test/.../producer/internals/).
import { describe, expect, it } from 'vitest'
import { ProducerBatch } from './producer-batch.js'
import { recordBatchBuilderFactory } from './record-batch-builder-factory.js'
import { CompletionRecorder, recordsOf, text } from './test-support.test-helper.js'

const NOW = 1488748346917
const factory = recordBatchBuilderFactory()
const batchOf = (size = 512, onCompletionError?: (error: unknown) => void) =>
  new ProducerBatch({
    topic: 'topic',
    partition: 1,
    buffer: new Uint8Array(size),
    factory,
    createdMs: NOW,
    ...(onCompletionError ? { onCompletionError } : {}),
  })

describe('ProducerBatch', () => {
  it('completes each record once on abort and ignores a later completion', () => {
    const batch = batchOf()
    const completions = new CompletionRecorder()
    expect(batch.tryAppend(NOW, null, new Uint8Array(10), null, completions.next(), NOW)).toBe(true)
    const error = new Error('aborted')
    batch.abort(error)
    expect(completions.calls).toHaveLength(1)
    expect(completions.calls[0]!.error).toBe(error)
    expect(batch.complete(500n, 2342342341)).toBe(false)
    expect(batch.completeExceptionally(new Error('late'))).toBe(false)
    expect(completions.calls).toHaveLength(1)
    expect(() => batch.abort(new Error('again'))).toThrow(/already aborted/)
    expect(batch.finalState).toBe('aborted')
  })

  it('refuses a second success and exposes offsets for the completions', () => {
    const batch = batchOf()
    const completions = new CompletionRecorder()
    batch.tryAppend(NOW, null, new Uint8Array(10), null, completions.next(), NOW)
    batch.tryAppend(NOW, null, new Uint8Array(10), null, completions.next(), NOW)
    expect(batch.complete(500n, 10)).toBe(true)
    expect(
      completions.calls.map((call) => [call.batch.baseOffset + BigInt(call.index), call.batch.logAppendTime]),
    ).toEqual([
      [500n, 10],
      [501n, 10],
    ])
    expect(() => batch.complete(1000n, 20)).toThrow(/succeeded batch/)
  })

  it('fails records with their own errors where given, else the top-level error', () => {
    const batch = batchOf()
    const completions = new CompletionRecorder()
    for (let i = 0; i < 5; i++) batch.tryAppend(NOW, null, new Uint8Array(10), null, completions.next(), NOW)
    const top = new Error('top')
    const perRecord = new Map([
      [0, new Error('zero')],
      [3, new Error('three')],
    ])
    batch.completeExceptionally(top, (index) => perRecord.get(index))
    expect(completions.calls.map((call) => call.error?.message)).toEqual([
      'zero',
      'top',
      'top',
      'three',
      'top',
    ])
  })

  it('hands an error thrown by one completion to the handler and still completes the others', () => {
    const reported: unknown[] = []
    const batch = batchOf(512, (error) => reported.push(error))
    const completions = new CompletionRecorder()
    const boom = new Error('user callback failed')
    batch.tryAppend(
      NOW,
      null,
      null,
      null,
      {
        onCompletion: () => {
          throw boom
        },
      },
      NOW,
    )
    batch.tryAppend(NOW, null, null, null, completions.next(), NOW)
    batch.complete(0n, -1)
    expect(reported).toEqual([boom])
    expect(completions.calls).toHaveLength(1)
  })

  it('takes no appends once closed for appends', () => {
    const batch = batchOf()
    expect(batch.tryAppend(NOW, null, new Uint8Array(10), null, new CompletionRecorder().next(), NOW)).toBe(
      true,
    )
    batch.closeForRecordAppends()
    expect(batch.isFull()).toBe(true)
    expect(
      batch.tryAppend(NOW + 1, null, new Uint8Array(10), null, new CompletionRecorder().next(), NOW + 1),
    ).toBe(false)
  })

  it('reaches the delivery timeout only once delivery.timeout.ms has passed since creation', () => {
    const batch = batchOf()
    expect(batch.hasReachedDeliveryTimeout(10240, NOW - 2)).toBe(false)
    batch.reenqueued(NOW)
    expect(batch.hasReachedDeliveryTimeout(10240, NOW - 2)).toBe(false)
    expect(batch.hasReachedDeliveryTimeout(10240, NOW + 10240)).toBe(true)
  })

  it('tracks leader changes across retries', () => {
    const batch = batchOf()
    batch.maybeUpdateLeaderEpoch(undefined)
    expect(batch.hasLeaderChangedForTheOngoingRetry()).toBe(false)
    batch.maybeUpdateLeaderEpoch(100)
    expect(batch.hasLeaderChangedForTheOngoingRetry()).toBe(false) // first attempt, not a retry
    batch.reenqueued(0)
    batch.maybeUpdateLeaderEpoch(101)
    expect(batch.hasLeaderChangedForTheOngoingRetry()).toBe(true)
    expect(batch.attemptsWhenLeaderLastChanged).toBe(1)
    batch.reenqueued(0)
    batch.maybeUpdateLeaderEpoch(101)
    expect(batch.hasLeaderChangedForTheOngoingRetry()).toBe(false)
    batch.maybeUpdateLeaderEpoch(100)
    expect(batch.currentLeaderEpoch).toBe(101)
  })

  it('splits into smaller batches keeping headers, order, completions and consecutive sequences', () => {
    for (const compression of ['none', 'gzip', 'snappy', 'lz4'] as const) {
      const splitFactory = recordBatchBuilderFactory({ compression })
      const batch = new ProducerBatch({
        topic: 'topic',
        partition: 1,
        buffer: new Uint8Array(1024),
        factory: splitFactory,
        createdMs: NOW,
      })
      const completions = new CompletionRecorder()
      const header = { key: 'header-key', value: new TextEncoder().encode('header-value') }
      const hi = new TextEncoder().encode('hi')
      const there = new TextEncoder().encode('there')
      while (batch.tryAppend(NOW, hi, there, [header], completions.next(), NOW)) {}
      batch.setProducerState(9n, 1, 100, false)
      const parts = batch.split(200)
      expect(parts.length).toBeGreaterThanOrEqual(2)
      let sequence = 100
      for (const part of parts) {
        expect(part.isSplitBatch).toBe(true)
        expect(part.baseSequence).toBe(sequence)
        sequence += part.recordCount
        part.close()
        for (const record of recordsOf(part)) {
          expect(record.headers.map((h) => [h.key, text(h.value)])).toEqual([['header-key', 'header-value']])
        }
      }
      expect(sequence - 100).toBe(batch.recordCount)
      for (const part of parts) part.complete(0n, -1)
      expect(new Set(completions.calls.map((call) => call.id)).size).toBe(batch.recordCount)
      expect(batch.finalState).toBe('split')
    }
  })

  it('lists the parts of a split batch through every further split, in record order', () => {
    const batch = new ProducerBatch({
      topic: 'topic',
      partition: 1,
      buffer: new Uint8Array(1024),
      factory,
      createdMs: NOW,
    })
    const completions = new CompletionRecorder()
    const value = new TextEncoder().encode('value')
    for (let i = 0; i < 8; i++) batch.tryAppend(NOW, null, value, [], completions.next(), NOW)
    expect(batch.splitParts).toEqual([])
    const [whole] = batch.split(1024)
    expect(batch.splitParts).toEqual([whole])
    const halves = whole!.split(1024, 1, 4)
    expect(halves.map((part) => part.recordCount)).toEqual([4, 4])
    expect(batch.splitParts).toEqual(halves)
  })
})
