import { KafkaError } from '@x/protocol'
import { BuiltInPartitioner } from './built-in-partitioner.js'
import type { ClusterView } from './cluster-view.js'

/** "Any partition": the accumulator's `BuiltInPartitioner` chooses (Java `RecordMetadata.UNKNOWN_PARTITION`). */
export const UNKNOWN_PARTITION = -1

/** The three `partitioner.*` settings of the built-in partitioner, with Java's defaults in `defaultPartitionerConfig`. */
export interface PartitionerConfig {
  /** `partitioner.adaptive.partitioning.enable`: weigh keyless placement by queue sizes (KIP-794). */
  readonly adaptivePartitioningEnable: boolean
  /**
   * `partitioner.availability.timeout.ms`: a partition whose leader had batches ready but could not drain for
   * this long is left out of keyless placement. 0 disables the check. Only with adaptive partitioning.
   */
  readonly availabilityTimeoutMs: number
  /** `partitioner.ignore.keys`: place keyed records like keyless ones (no key hashing). */
  readonly ignoreKeys: boolean
}

export const defaultPartitionerConfig: PartitionerConfig = Object.freeze({
  adaptivePartitioningEnable: true,
  availabilityTimeoutMs: 0,
  ignoreKeys: false,
})

/**
 * The default placement when no `partitioner.class` is set (Java `KafkaProducer.partition` without a custom
 * partitioner): a keyed record goes to `toPositive(murmur2(key)) % partitionCount` — all partitions, available
 * or not, so a key always maps to the same partition; a keyless record (or any record with
 * `partitioner.ignore.keys`) gets `UNKNOWN_PARTITION`, and the accumulator's sticky, adaptive
 * `BuiltInPartitioner` picks the partition at append time.
 */
export function defaultPartition(
  topic: string,
  keyBytes: Uint8Array | null,
  cluster: ClusterView,
  ignoreKeys = false,
): number {
  if (keyBytes === null || ignoreKeys) return UNKNOWN_PARTITION
  const count = cluster.partitionCount(topic)
  if (count === undefined || count < 1) {
    throw new KafkaError({
      code: 'UNKNOWN_TOPIC_OR_PARTITION',
      retriable: true,
      message: `Topic ${topic} is not in the metadata; wait for metadata before partitioning a keyed record.`,
    })
  }
  return BuiltInPartitioner.partitionForKey(keyBytes, count)
}
