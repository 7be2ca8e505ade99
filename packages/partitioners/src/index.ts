/**
 * @x/partitioners: where records go. `murmur2`/`toPositive` bit-exact with Java, the built-in keyed and sticky,
 * adaptive keyless placement (KIP-794), `RoundRobinPartitioner`, the `Partitioner` interface for custom ones,
 * and `ClusterView`, the read-only metadata they decide on. Synchronous; no I/O, no clock.
 */
export {
  BuiltInPartitioner,
  type BuiltInPartitionerOptions,
  StickyPartitionInfo,
} from './built-in-partitioner.js'
export type { ClusterView } from './cluster-view.js'
export {
  defaultPartition,
  defaultPartitionerConfig,
  type PartitionerConfig,
  UNKNOWN_PARTITION,
} from './default-partitioner.js'
export { murmur2, toPositive } from './murmur2.js'
export type { Partitioner } from './partitioner.js'
export { RoundRobinPartitioner } from './round-robin-partitioner.js'
export { StaticClusterView, type StaticPartition } from './static-cluster-view.js'
export type { TopicPartition } from './topic-partition.js'
