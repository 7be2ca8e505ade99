import type { TopicPartition } from '@x/partitioners'
import { TopicPartitionSet } from './topic-partition-map.js'

/** One topic of an AddPartitionsToTxn request (v3 and below). */
export interface TopicPartitions {
  readonly name: string
  readonly partitions: number[]
}

/**
 * The partitions of the ongoing transaction (Java's `newPartitionsInTransaction`,
 * `pendingPartitionsInTransaction` and `partitionsInTransaction`): new ones wait for the next
 * AddPartitionsToTxn, pending ones are in it, added ones may be sent to. Also whether the broker knows of the
 * transaction at all — a partition or offsets were added — since an EndTxn without that has nothing to end.
 */
export class TransactionPartitions {
  private readonly newPartitions = new TopicPartitionSet()
  private readonly pendingPartitions = new TopicPartitionSet()
  private readonly addedPartitions = new TopicPartitionSet()
  /** A partition or offsets joined the transaction on the broker. */
  started = false

  isAdded(topic: string, partition: number): boolean {
    return this.addedPartitions.has(topic, partition)
  }

  /** Added, or on its way (new or pending): nothing more to do for the partition in this transaction. */
  contains(topic: string, partition: number): boolean {
    return (
      this.addedPartitions.has(topic, partition) ||
      this.newPartitions.has(topic, partition) ||
      this.pendingPartitions.has(topic, partition)
    )
  }

  /** Waiting for, or in, an AddPartitionsToTxn. */
  isPendingAdd(topic: string, partition: number): boolean {
    return this.newPartitions.has(topic, partition) || this.pendingPartitions.has(topic, partition)
  }

  /** The partition joins the transaction with the next AddPartitionsToTxn. */
  addNew(topic: string, partition: number): void {
    this.newPartitions.add(topic, partition)
  }

  hasNew(): boolean {
    return this.newPartitions.size > 0
  }

  /** Nothing more joins a transaction that is aborting. */
  dropNew(): void {
    this.newPartitions.clear()
  }

  /** The new partitions become pending; returns every pending partition by topic, for AddPartitionsToTxn. */
  takeNewAsPending(): TopicPartitions[] {
    this.pendingPartitions.takeAll(this.newPartitions)
    const topics = new Map<string, number[]>()
    for (const tp of this.pendingPartitions.keys()) {
      let partitions = topics.get(tp.topic)
      if (partitions === undefined) {
        partitions = []
        topics.set(tp.topic, partitions)
      }
      partitions.push(tp.partition)
    }
    return [...topics].map(([name, partitions]) => ({ name, partitions }))
  }

  /** AddPartitionsToTxn answered: these partitions are no longer pending (added or not). */
  removePending(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.pendingPartitions.delete(tp.topic, tp.partition)
  }

  /** AddPartitionsToTxn succeeded: batches for these partitions may be sent. */
  add(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.addedPartitions.add(tp.topic, tp.partition)
    this.started = true
  }

  hasAdded(): boolean {
    return this.addedPartitions.size > 0
  }

  /** The transaction ended: the next one starts empty. */
  clear(): void {
    this.started = false
    this.newPartitions.clear()
    this.pendingPartitions.clear()
    this.addedPartitions.clear()
  }
}
