import type { ProducerBatch, ProducerIdAndEpoch } from '@x/accumulator'
import { TopicPartitionMap } from './topic-partition-map.js'
import { NO_LAST_ACKED_SEQUENCE, TxnPartitionEntry } from './txn-partition-entry.js'

/** The idempotence state of every partition the producer wrote to (Java `TxnPartitionMap`). */
export class TxnPartitionMap {
  private readonly entries = new TopicPartitionMap<TxnPartitionEntry>()

  get(topic: string, partition: number): TxnPartitionEntry | undefined {
    return this.entries.get(topic, partition)
  }

  getOrCreate(topic: string, partition: number): TxnPartitionEntry {
    let entry = this.entries.get(topic, partition)
    if (entry === undefined) {
      entry = new TxnPartitionEntry(topic, partition)
      this.entries.set(topic, partition, entry)
    }
    return entry
  }

  contains(topic: string, partition: number): boolean {
    return this.entries.has(topic, partition)
  }

  remove(topic: string, partition: number): void {
    this.entries.delete(topic, partition)
  }

  reset(): void {
    this.entries.clear()
  }

  lastAckedSequence(topic: string, partition: number): number {
    return this.entries.get(topic, partition)?.lastAckedSequence ?? NO_LAST_ACKED_SEQUENCE
  }

  /** -1n when nothing was acknowledged with an offset. */
  lastAckedOffset(topic: string, partition: number): bigint {
    return this.entries.get(topic, partition)?.lastAckedOffset ?? -1n
  }

  startSequencesAtBeginning(topic: string, partition: number, producerIdAndEpoch: ProducerIdAndEpoch): void {
    this.entries.get(topic, partition)?.startSequencesAtBeginning(producerIdAndEpoch)
  }

  /**
   * Records the last offset the broker acknowledged. An idempotent producer reset while a retried batch was
   * in flight may get its success after the reset: the entry is created again then (as Java does).
   */
  updateLastAckedOffset(batch: ProducerBatch, isTransactional: boolean, lastOffset: bigint): void {
    let entry = this.entries.get(batch.topic, batch.partition)
    if (entry === undefined) {
      if (isTransactional) return
      entry = this.getOrCreate(batch.topic, batch.partition)
    }
    if (lastOffset > entry.lastAckedOffset) entry.lastAckedOffset = lastOffset
  }

  /** See `TxnPartitionEntry.adjustSequencesDueToFailedBatch`; nothing when the partition is not tracked. */
  adjustSequencesDueToFailedBatch(batch: ProducerBatch): void {
    this.entries
      .get(batch.topic, batch.partition)
      ?.adjustSequencesDueToFailedBatch(batch.baseSequence, batch.recordCount)
  }

  maybeUpdateLastAckedSequence(topic: string, partition: number, sequence: number): number {
    return (
      this.entries.get(topic, partition)?.maybeUpdateLastAckedSequence(sequence) ?? NO_LAST_ACKED_SEQUENCE
    )
  }

  removeInFlightBatch(batch: ProducerBatch): void {
    this.entries.get(batch.topic, batch.partition)?.removeInFlightBatch(batch)
  }
}
