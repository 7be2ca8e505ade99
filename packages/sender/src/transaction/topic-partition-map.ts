import type { TopicPartition } from '@x/partitioners'

/**
 * A map keyed by topic and partition without building a string key per lookup: the transaction manager is
 * asked about a partition several times per drained batch.
 */
export class TopicPartitionMap<V> {
  private readonly byTopic = new Map<string, Map<number, V>>()
  private count = 0

  get size(): number {
    return this.count
  }

  get(topic: string, partition: number): V | undefined {
    return this.byTopic.get(topic)?.get(partition)
  }

  has(topic: string, partition: number): boolean {
    return this.byTopic.get(topic)?.has(partition) ?? false
  }

  set(topic: string, partition: number, value: V): void {
    let partitions = this.byTopic.get(topic)
    if (partitions === undefined) {
      partitions = new Map()
      this.byTopic.set(topic, partitions)
    }
    if (!partitions.has(partition)) this.count++
    partitions.set(partition, value)
  }

  delete(topic: string, partition: number): boolean {
    const partitions = this.byTopic.get(topic)
    if (partitions === undefined || !partitions.delete(partition)) return false
    if (partitions.size === 0) this.byTopic.delete(topic)
    this.count--
    return true
  }

  clear(): void {
    this.byTopic.clear()
    this.count = 0
  }

  /** Entries as `[topicPartition, value]`, topic by topic. */
  *entries(): IterableIterator<[TopicPartition, V]> {
    for (const [topic, partitions] of this.byTopic) {
      for (const [partition, value] of partitions) yield [{ topic, partition }, value]
    }
  }

  *keys(): IterableIterator<TopicPartition> {
    for (const [tp] of this.entries()) yield tp
  }
}

/** A set of partitions (see `TopicPartitionMap`). */
export class TopicPartitionSet {
  private readonly map = new TopicPartitionMap<true>()

  get size(): number {
    return this.map.size
  }

  has(topic: string, partition: number): boolean {
    return this.map.has(topic, partition)
  }

  add(topic: string, partition: number): void {
    this.map.set(topic, partition, true)
  }

  delete(topic: string, partition: number): boolean {
    return this.map.delete(topic, partition)
  }

  clear(): void {
    this.map.clear()
  }

  keys(): IterableIterator<TopicPartition> {
    return this.map.keys()
  }

  /** Moves every partition of `other` into this set and empties `other`. */
  takeAll(other: TopicPartitionSet): void {
    for (const tp of other.keys()) this.add(tp.topic, tp.partition)
    other.clear()
  }
}
