import type { TopicPartition } from './topic-partition.js'

/**
 * The read-only cluster snapshot that partitioners and the accumulator decide on (Java's `Cluster` and
 * `MetadataSnapshot`, cut down to what the send path reads). `@x/sender`'s metadata implements it; tests
 * implement it with a few maps. Implementations should answer from precomputed arrays: `ready` and `drain`
 * call these once per partition per pass, and the partitioners once per record or batch switch.
 */
export interface ClusterView {
  /** Number of partitions of `topic`, or `undefined` when the topic is not in the metadata. */
  partitionCount(topic: string): number | undefined
  /**
   * Ids of the partitions of `topic` that have a live leader, in ascending order (Java
   * `availablePartitionsForTopic`). Empty when none has, or the topic is unknown.
   */
  availablePartitions(topic: string): readonly number[]
  /** The node id leading `topic`/`partition`, or `undefined` when it has no leader or is unknown. */
  leaderFor(topic: string, partition: number): number | undefined
  /**
   * The leader epoch of `topic`/`partition` when the metadata carries one. A batch being retried skips its
   * backoff when this grew since the last attempt (KIP-951). Optional: without it, retries always back off.
   */
  leaderEpochFor?(topic: string, partition: number): number | undefined
  /**
   * The partitions led by node `nodeId`, in a stable order between metadata updates (the drain rotates
   * through them). Empty for a node that leads nothing.
   */
  partitionsForNode(nodeId: number): readonly TopicPartition[]
}
