import { KafkaError } from '@x/protocol'
import type { ClusterView } from './cluster-view.js'
import { toPositive } from './murmur2.js'
import type { Partitioner } from './partitioner.js'

/**
 * Spreads records over partitions in turn, ignoring keys (Java `RoundRobinPartitioner`): one counter per topic,
 * taken modulo the partitions that have a leader, or modulo all partitions when none has.
 *
 * It has no `onNewBatch` hook on purpose: with one, the producer would call `partition` twice for the record
 * that opens a batch and skip a partition each time (KAFKA-9965); Java 4.x dropped the hook for the same reason.
 */
export class RoundRobinPartitioner implements Partitioner {
  private readonly counters = new Map<string, number>()

  partition(
    topic: string,
    _key: unknown,
    _keyBytes: Uint8Array | null,
    _value: unknown,
    _valueBytes: Uint8Array | null,
    cluster: ClusterView,
  ): number {
    const next = this.counters.get(topic) ?? 0
    this.counters.set(topic, (next + 1) | 0) // wraps like Java's AtomicInteger
    return this.partitionAt(topic, next, cluster)
  }

  /** The partition `partition` would return next, without moving the counter. */
  peek(
    topic: string,
    _key: unknown,
    _keyBytes: Uint8Array | null,
    _value: unknown,
    _valueBytes: Uint8Array | null,
    cluster: ClusterView,
  ): number {
    return this.partitionAt(topic, this.counters.get(topic) ?? 0, cluster)
  }

  private partitionAt(topic: string, next: number, cluster: ClusterView): number {
    const available = cluster.availablePartitions(topic)
    if (available.length > 0) return available[toPositive(next) % available.length]!
    const count = cluster.partitionCount(topic)
    if (count === undefined || count < 1) {
      throw new KafkaError({
        code: 'UNKNOWN_TOPIC_OR_PARTITION',
        retriable: true,
        message: `Topic ${topic} is not in the metadata; wait for metadata before partitioning.`,
      })
    }
    return toPositive(next) % count
  }
}
