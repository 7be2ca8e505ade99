import type { TopicPartition } from '@x/partitioners'
import type { ProducerBatch } from './producer-batch.js'

/** A producer id and epoch; `producerId < 0n` means none yet (Java `ProducerIdAndEpoch.isValid`). */
export interface ProducerIdAndEpoch {
  readonly producerId: bigint
  readonly epoch: number
}

/**
 * What the accumulator asks of the idempotent/transactional producer state while draining and re-enqueueing
 * (the calls Java's `RecordAccumulator` makes on `TransactionManager`). `@x/sender`'s TransactionManager
 * implements it; without it (idempotence off) batches carry no producer id or sequence.
 */
export interface TransactionManagerHooks {
  isTransactional(): boolean
  /** A transaction is committing or aborting: every batch is sendable at once. */
  isCompleting(): boolean
  /** False until the partition was added to the ongoing transaction. */
  isSendToPartitionAllowed(tp: TopicPartition): boolean
  producerIdAndEpoch(): ProducerIdAndEpoch
  /** Resets the partition's sequence when the producer id/epoch changed and nothing is in flight. */
  maybeUpdateProducerIdAndEpoch(tp: TopicPartition): void
  hasInflightBatches(tp: TopicPartition): boolean
  hasStaleProducerIdAndEpoch(tp: TopicPartition): boolean
  hasUnresolvedSequence(tp: TopicPartition): boolean
  /** Base sequence of the oldest in-flight batch, or -1. */
  firstInFlightSequence(tp: TopicPartition): number
  /** The next sequence to assign for the partition. */
  sequenceNumber(tp: TopicPartition): number
  incrementSequenceNumber(tp: TopicPartition, increment: number): void
  addInFlightBatch(batch: ProducerBatch): void
}
