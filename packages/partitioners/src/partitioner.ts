import type { ClusterView } from './cluster-view.js'

/**
 * Chooses a partition for a record (Java `org.apache.kafka.clients.producer.Partitioner`). Called once per
 * record on the synchronous send path, so it must not allocate more than it needs to and must not block.
 *
 * @typeParam K the record key type before serialization
 * @typeParam V the record value type before serialization
 */
export interface Partitioner<K = unknown, V = unknown> {
  /**
   * Returns a partition number in `[0, partitionCount)` for the record.
   *
   * @param keyBytes the serialized key, `null` when the record has no key
   * @param valueBytes the serialized value, `null` for a tombstone
   */
  partition(
    topic: string,
    key: K | null | undefined,
    keyBytes: Uint8Array | null,
    value: V | null | undefined,
    valueBytes: Uint8Array | null,
    cluster: ClusterView,
  ): number

  /**
   * Optional: told that the record it last placed on `previousPartition` would open a new batch there. When a
   * partitioner has this hook, the producer appends with `abortOnNewBatch`; on a new batch it calls this hook,
   * asks `partition` again and appends where that says (Java 3.x `onNewBatch`, for sticky custom
   * partitioners). Java 4.x removed the hook; partitioners without it never see a second `partition` call.
   */
  onNewBatch?(topic: string, cluster: ClusterView, previousPartition: number): void

  /**
   * Optional: what `partition` would return for this record now, changing nothing (no counter moves, no
   * sticky choice is made). `KafkaProducer.explain` uses it; a partitioner without it is explained as
   * "partitioner" with the partition unknown.
   */
  peek?(
    topic: string,
    key: K | null | undefined,
    keyBytes: Uint8Array | null,
    value: V | null | undefined,
    valueBytes: Uint8Array | null,
    cluster: ClusterView,
  ): number
  /** Optional: releases resources when the producer closes. */
  close?(): void
}
