import type { ProducerBatch, ProducerIdAndEpoch } from '@x/accumulator'
import type { TopicPartition } from '@x/partitioners'
import { KafkaError } from '@x/protocol'
import { TopicPartitionMap } from './topic-partition-map.js'
import { NO_LAST_ACKED_SEQUENCE } from './txn-partition-entry.js'
import { TxnPartitionMap } from './txn-partition-map.js'

/**
 * Sequence bookkeeping of every partition the producer writes to (the `TxnPartitionMap` part of Java's
 * `TransactionManager`): the next sequence to assign at drain, the batches in flight in sequence order, what
 * the broker acknowledged, and the partitions whose sequence is "unresolved" — a batch expired after being
 * sent, so where the broker's sequence stands is unknown until later acknowledgements tell.
 */
export class PartitionSequences {
  private readonly partitions = new TxnPartitionMap()
  /** Partitions with a batch that expired after being sent: the next sequence the broker may expect. */
  private readonly unresolved = new TopicPartitionMap<number>()

  constructor(private readonly isTransactional: boolean) {}

  /** Starts tracking the partition (when it joins a transaction). */
  track(topic: string, partition: number): void {
    this.partitions.getOrCreate(topic, partition)
  }

  hasInflightBatches(tp: TopicPartition): boolean {
    return this.partitions.getOrCreate(tp.topic, tp.partition).hasInflightBatches()
  }

  /** The producer id/epoch the partition's sequences belong to. */
  producerIdAndEpoch(tp: TopicPartition): ProducerIdAndEpoch {
    return this.partitions.getOrCreate(tp.topic, tp.partition).producerIdAndEpoch
  }

  /** Base sequence of the oldest in-flight batch, or -1. */
  firstInFlightSequence(tp: TopicPartition): number {
    const entry = this.partitions.get(tp.topic, tp.partition)
    return entry?.nextBatchBySequence()?.baseSequence ?? -1
  }

  /** The next sequence to assign. */
  sequenceNumber(tp: TopicPartition): number {
    return this.partitions.getOrCreate(tp.topic, tp.partition).nextSequence
  }

  incrementSequenceNumber(tp: TopicPartition, increment: number): void {
    this.partitions.getOrCreate(tp.topic, tp.partition).incrementSequence(increment)
  }

  addInFlightBatch(batch: ProducerBatch): void {
    if (!batch.hasSequence()) {
      throw new KafkaError({
        code: 'ILLEGAL_STATE',
        message: `Can't track a batch for partition ${batch.topic}-${batch.partition} without a sequence.`,
      })
    }
    this.partitions.getOrCreate(batch.topic, batch.partition).addInflightBatch(batch)
  }

  removeInFlightBatch(batch: ProducerBatch): void {
    this.partitions.removeInFlightBatch(batch)
  }

  /** The last acknowledged sequence, -1 when none. */
  lastAckedSequence(tp: TopicPartition): number {
    return this.partitions.lastAckedSequence(tp.topic, tp.partition)
  }

  /** The last acknowledged offset, -1n when none. */
  lastAckedOffset(tp: TopicPartition): bigint {
    return this.partitions.lastAckedOffset(tp.topic, tp.partition)
  }

  /** The batch was written at `baseOffset` (-1n when the broker did not say): it is no longer in flight. */
  acknowledge(batch: ProducerBatch, baseOffset: bigint): void {
    this.partitions.maybeUpdateLastAckedSequence(batch.topic, batch.partition, batch.lastSequence)
    if (baseOffset >= 0n) {
      this.partitions.updateLastAckedOffset(
        batch,
        this.isTransactional,
        baseOffset + BigInt(batch.recordCount) - 1n,
      )
    }
    this.partitions.removeInFlightBatch(batch)
  }

  /** The partition's in-flight batches get sequences from 0 under `producerIdAndEpoch`, in their order. */
  startSequencesAtBeginning(tp: TopicPartition, producerIdAndEpoch: ProducerIdAndEpoch): void {
    this.partitions.startSequencesAtBeginning(tp.topic, tp.partition, producerIdAndEpoch)
  }

  /** The batch failed for sure: the later batches of its partition move down by its record count. */
  adjustSequencesDueToFailedBatch(batch: ProducerBatch): void {
    this.partitions.adjustSequencesDueToFailedBatch(batch)
  }

  /** The broker has no state for the producer on this partition: it starts over from sequence 0. */
  forget(tp: TopicPartition): void {
    this.partitions.remove(tp.topic, tp.partition)
    this.unresolved.delete(tp.topic, tp.partition)
  }

  /** Every partition starts over (a new producer id or epoch from InitProducerId). */
  reset(): void {
    this.partitions.reset()
    this.unresolved.clear()
  }

  /** `sequence` directly follows the partition's last acknowledged sequence. */
  isNextSequence(tp: TopicPartition, sequence: number): boolean {
    const lastAcked = this.partitions.lastAckedSequence(tp.topic, tp.partition)
    return sequence - (lastAcked === NO_LAST_ACKED_SEQUENCE ? -1 : lastAcked) === 1
  }

  // ---------------------------------------------------------------- unresolved sequences

  /** A batch expired after being sent: the broker may or may not have it. */
  markSequenceUnresolved(batch: ProducerBatch): void {
    const next = batch.lastSequence + 1
    const current = this.unresolved.get(batch.topic, batch.partition)
    this.unresolved.set(batch.topic, batch.partition, current === undefined ? next : Math.max(current, next))
  }

  hasUnresolvedSequence(tp: TopicPartition): boolean {
    return this.unresolved.has(tp.topic, tp.partition)
  }

  hasUnresolvedSequences(): boolean {
    return this.unresolved.size > 0
  }

  /** `sequence` is the one after the partition's expired batch. */
  isNextSequenceForUnresolvedPartition(tp: TopicPartition, sequence: number): boolean {
    return this.unresolved.get(tp.topic, tp.partition) === sequence
  }

  /** The partitions with an unresolved sequence (a copy: resolving one removes it). */
  unresolvedPartitions(): TopicPartition[] {
    const partitions: TopicPartition[] = []
    for (const tp of this.unresolved.keys()) partitions.push(tp)
    return partitions
  }

  /** What happened to the partition's expired batch is known now (or no longer matters). */
  resolve(tp: TopicPartition): void {
    this.unresolved.delete(tp.topic, tp.partition)
  }
}
