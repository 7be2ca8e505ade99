// The TransactionManager seam at drain time (Java drainBatchesForOneNode / shouldStopDrainBatchesForPartition)
// and sequence-ordered re-enqueue (Java insertInSequenceOrder), with a minimal in-test transaction manager.

import type { TopicPartition } from '@x/partitioners'
import { decodeRecordBatchHeader } from '@x/protocol'
import { describe, expect, it } from 'vitest'
import type { ProducerBatch } from './producer-batch.js'
import { CompletionRecorder, cluster, createAccumulator, TOPIC } from './test-support.test-helper.js'
import type { TransactionManagerHooks } from './transaction-manager-hooks.js'

class FakeTransactionManager implements TransactionManagerHooks {
  producerId = 4242n
  epoch = 3
  sequences = new Map<number, number>()
  inFlight: ProducerBatch[] = []
  allowed = true
  isTransactional = () => false
  isCompleting = () => false
  isSendToPartitionAllowed = () => this.allowed
  producerIdAndEpoch = () => ({ producerId: this.producerId, epoch: this.epoch })
  maybeUpdateProducerIdAndEpoch = () => {}
  hasInflightBatches = (tp: TopicPartition) => this.inFlight.some((batch) => batch.partition === tp.partition)
  hasStaleProducerIdAndEpoch = () => false
  hasUnresolvedSequence = () => false
  firstInFlightSequence = (tp: TopicPartition) =>
    this.inFlight.find((batch) => batch.partition === tp.partition)?.baseSequence ?? -1
  sequenceNumber = (tp: TopicPartition) => this.sequences.get(tp.partition) ?? 0
  incrementSequenceNumber = (tp: TopicPartition, increment: number) => {
    this.sequences.set(tp.partition, this.sequenceNumber(tp) + increment)
  }
  addInFlightBatch = (batch: ProducerBatch) => {
    this.inFlight.push(batch)
    this.inFlight.sort((a, b) => a.baseSequence - b.baseSequence)
  }
}

describe('RecordAccumulator with a transaction manager', () => {
  it('stamps producer id, epoch and consecutive base sequences on batches at drain time', () => {
    const transactionManager = new FakeTransactionManager()
    const { accumulator } = createAccumulator({ batchSize: 128, lingerMs: 0, transactionManager })
    const value = new Uint8Array(20) // two records per 128-byte batch
    for (let i = 0; i < 5; i++) {
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
    const drained: ProducerBatch[] = []
    for (let i = 0; i < 3; i++)
      drained.push(...accumulator.drain(cluster, [0], Number.MAX_SAFE_INTEGER, 0).get(0)!)
    expect(drained.map((batch) => [batch.baseSequence, batch.recordCount])).toEqual([
      [0, 2],
      [2, 2],
      [4, 1],
    ])
    const header = decodeRecordBatchHeader(drained[1]!.records())
    expect([header.producerId, header.producerEpoch, header.baseSequence]).toEqual([4242n, 3, 2])
  })

  it('stops draining a partition the transaction does not allow yet, or before a producer id exists', () => {
    const transactionManager = new FakeTransactionManager()
    const { accumulator } = createAccumulator({ batchSize: 128, lingerMs: 0, transactionManager })
    accumulator.append(
      TOPIC,
      0,
      0,
      null,
      new Uint8Array(10),
      null,
      new CompletionRecorder().next(),
      1000,
      false,
      0,
      cluster,
    )
    transactionManager.allowed = false
    expect(accumulator.drain(cluster, [0], Number.MAX_SAFE_INTEGER, 0).get(0)).toEqual([])
    transactionManager.allowed = true
    transactionManager.producerId = -1n
    expect(accumulator.drain(cluster, [0], Number.MAX_SAFE_INTEGER, 0).get(0)).toEqual([])
    transactionManager.producerId = 7n
    expect(accumulator.drain(cluster, [0], Number.MAX_SAFE_INTEGER, 0).get(0)).toHaveLength(1)
  })

  it('re-enqueues retried batches in sequence order and sends only the oldest in flight first', () => {
    const transactionManager = new FakeTransactionManager()
    const { accumulator } = createAccumulator({
      batchSize: 128,
      lingerMs: 0,
      retryBackoffMs: 0,
      retryBackoffMaxMs: 0,
      transactionManager,
    })
    const value = new Uint8Array(60) // one record per batch
    for (let i = 0; i < 3; i++) {
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
    const batches: ProducerBatch[] = []
    for (let i = 0; i < 3; i++)
      batches.push(...accumulator.drain(cluster, [0], Number.MAX_SAFE_INTEGER, 0).get(0)!)
    expect(batches.map((batch) => batch.baseSequence)).toEqual([0, 1, 2])
    // Responses come back out of order: sequence 2 first, then 0, then 1.
    accumulator.reenqueue(batches[2]!, 1)
    accumulator.reenqueue(batches[0]!, 1)
    accumulator.reenqueue(batches[1]!, 1)
    expect(accumulator.batchesFor(TOPIC, 0).map((batch) => batch.baseSequence)).toEqual([0, 1, 2])
    // Sequence 1 is not the first in flight (0 is): the partition waits for it.
    const [first] = accumulator.drain(cluster, [0], Number.MAX_SAFE_INTEGER, 1).get(0)!
    expect(first?.baseSequence).toBe(0)
    transactionManager.inFlight.shift()
    expect(
      accumulator
        .drain(cluster, [0], Number.MAX_SAFE_INTEGER, 1)
        .get(0)!
        .map((batch) => batch.baseSequence),
    ).toEqual([1])
  })
})
