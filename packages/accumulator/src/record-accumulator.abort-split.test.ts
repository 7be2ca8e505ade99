// abortBatches (Java `RecordAccumulator.abortBatches`, used after a fatal transaction-manager error) and the
// convergence of splits on MESSAGE_TOO_LARGE when a `batch.size` split would rebuild the rejected batch
// (reliability checklist F11/R17: halve down to one record, which then fails alone).

import { KafkaError } from '@x/protocol'
import { describe, expect, it } from 'vitest'
import type { ProducerBatch } from './producer-batch.js'
import { CompletionRecorder, cluster, createAccumulator, TOPIC, VALUE } from './test-support.test-helper.js'

const MAX = Number.MAX_SAFE_INTEGER

describe('RecordAccumulator.abortBatches', () => {
  it('fails queued and in-flight batches once, frees queued memory now and leaves in-flight memory to the sender', () => {
    const { accumulator, pool } = createAccumulator({ batchSize: 1024, totalMemory: 4096, lingerMs: 0 })
    const completions = new CompletionRecorder()
    for (const partition of [0, 1]) {
      accumulator.append(TOPIC, partition, 0, null, VALUE, null, completions.next(), 0, false, 0, cluster)
    }
    const [inFlight] = accumulator.drain(cluster, [0], 1, 0).get(0)! // max size 1: one batch of the two
    expect(accumulator.batchesFor(TOPIC, inFlight!.partition === 0 ? 1 : 0)).toHaveLength(1)
    const fatal = new KafkaError({ code: 'PRODUCER_FENCED', message: 'fenced' })

    accumulator.abortBatches(fatal)

    expect(completions.calls).toHaveLength(2)
    expect(completions.calls.every((call) => call.error === fatal)).toBe(true)
    expect(accumulator.hasUndrained()).toBe(false)
    expect(accumulator.isClosed).toBe(false)
    // The queued batch's buffer is back; the in-flight one is still held until its request settles.
    expect(pool.availableMemory).toBe(4096 - 1024)
    expect(accumulator.hasIncomplete()).toBe(true)
    // A late success for the aborted in-flight batch changes nothing.
    expect(inFlight!.complete(5n, -1)).toBe(false)
    accumulator.deallocate(inFlight!)
    expect(pool.availableMemory).toBe(4096)
    expect(accumulator.hasIncomplete()).toBe(false)
    // Still open: appends go on.
    accumulator.append(TOPIC, 0, 0, null, VALUE, null, completions.next(), 0, false, 0, cluster)
    expect(accumulator.hasUndrained()).toBe(true)
  })

  it('skips a batch already completed while aborting the others', () => {
    const { accumulator } = createAccumulator({ batchSize: 1024, lingerMs: 0 })
    const completions = new CompletionRecorder()
    accumulator.append(TOPIC, 0, 0, null, VALUE, null, completions.next(), 0, false, 0, cluster)
    accumulator.append(TOPIC, 1, 0, null, VALUE, null, completions.next(), 0, false, 0, cluster)
    const drained = accumulator.drain(cluster, [0], MAX, 0).get(0)!
    drained[0]!.complete(0n, -1) // succeeded, memory not yet released (socket still writing)
    accumulator.abortBatches(new KafkaError({ message: 'fatal' }))
    expect(completions.calls.map((call) => call.error?.message)).toEqual([undefined, 'fatal'])
  })
})

describe('RecordAccumulator.splitAndReenqueue when batch.size exceeds what the broker accepts', () => {
  /** 20 records of 100 bytes in one 16 KiB batch: a 16 KiB split would rebuild it whole. */
  function bigBatch() {
    const created = createAccumulator({ batchSize: 16_384, totalMemory: 64 * 1024, lingerMs: 0 })
    const completions = new CompletionRecorder()
    const value = new Uint8Array(100)
    for (let i = 0; i < 20; i++) {
      value[0] = i
      created.accumulator.append(
        TOPIC,
        0,
        i,
        null,
        value.slice(),
        null,
        completions.next(),
        0,
        false,
        0,
        cluster,
      )
    }
    const [batch] = created.accumulator.drain(cluster, [0], MAX, 0).get(0)!
    return { ...created, completions, batch: batch! }
  }

  /** Drains every queued batch of partition 0, oldest first. */
  function drainAll(accumulator: ReturnType<typeof createAccumulator>['accumulator']): ProducerBatch[] {
    const drained: ProducerBatch[] = []
    for (;;) {
      const batches = accumulator.drain(cluster, [0], MAX, 0).get(0)!
      if (batches.length === 0) return drained
      drained.push(...batches)
    }
  }

  it('halves the batch instead of resending it whole, keeping record order and consecutive sequences', () => {
    const { accumulator, pool, batch } = bigBatch()
    batch.resetProducerState(7n, 2, 40) // an idempotent batch: sequences 40..59
    expect(accumulator.splitAndReenqueue(batch)).toBe(2)
    accumulator.deallocate(batch)
    const halves = accumulator.batchesFor(TOPIC, 0)
    expect(halves.map((part) => part.recordCount)).toEqual([10, 10])
    expect(halves.map((part) => [part.producerId, part.producerEpoch, part.baseSequence])).toEqual([
      [7n, 2, 40],
      [7n, 2, 50],
    ])
    expect(pool.availableMemory).toBe(64 * 1024)
  })

  it('keeps halving on repeated rejections until single records, each completing exactly once', () => {
    const { accumulator, completions, batch } = bigBatch()
    let rejected = [batch]
    let splits = 0
    // The broker rejects anything with more than one record (max.message.bytes below one 2-record batch).
    while (rejected.length > 0) {
      // Split the later batches first: each split goes to the head of the queue, so order is kept.
      for (const big of rejected.reverse()) {
        accumulator.splitAndReenqueue(big)
        accumulator.deallocate(big)
        splits++
      }
      rejected = []
      for (const part of drainAll(accumulator)) {
        if (part.recordCount > 1) rejected.push(part)
        else {
          part.completeExceptionally(new KafkaError({ code: 'MESSAGE_TOO_LARGE', message: 'too large' }))
          accumulator.deallocate(part)
        }
      }
    }
    expect(splits).toBe(19) // a binary tree over 20 leaves
    expect(completions.calls).toHaveLength(20)
    // Each record completed once (single records of different rounds complete in different rounds).
    expect(completions.calls.map((call) => call.id).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i),
    )
    expect(completions.calls.every((call) => call.error?.message === 'too large')).toBe(true)
    expect(accumulator.hasIncomplete()).toBe(false)
  })
})
