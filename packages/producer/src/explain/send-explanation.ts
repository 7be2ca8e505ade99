/** Why a record goes to its partition (Java `KafkaProducer.partition`'s branches, plus the sticky choice). */
export type PartitionReason =
  /** The record names its partition. */
  | 'explicit'
  /** The configured partitioner decides (through its `peek`; without one the partition is unknown). */
  | 'partitioner'
  /** murmur2 of the serialized key over all partitions. */
  | 'key-hash'
  /** Keyless: the built-in sticky partitioner's current partition (or the one it switches to first). */
  | 'sticky'

/** What would hold a send back before its record reaches a batch. */
export type SendBlocker = 'metadata' | 'memory'

/** `KafkaProducer.explain(record)`: what `send(record)` would do now, computed without changing anything. */
export interface SendExplanation {
  readonly topic: string
  /** The partition it would go to; `undefined` when that cannot be known yet (see `blockedBy`, `reason`). */
  readonly partition: number | undefined
  readonly reason: PartitionReason
  /** Sticky only: the sticky partition switches before this record (its batch is full or refuses it). */
  readonly stickySwitch: boolean
  /** The partition's leader (node id) in the current metadata, when known. */
  readonly leader: number | undefined
  /** `join`: into the partition's open batch; `new`: it starts a batch; `undefined` when not known yet. */
  readonly batch: 'join' | 'new' | undefined
  /** Upper bound of the record's encoded size in a batch of its own (Java `estimateSizeInBytesUpperBound`). */
  readonly estimatedSizeInBytes: number
  /** Memory a new batch would take from the pool; 0 when joining. */
  readonly newBatchBytes: number
  /**
   * What it would wait for: `metadata` (the topic or partition is not in the metadata yet, or earlier sends to
   * the topic still wait for it), `memory` (the pool cannot serve the new batch now, or earlier sends wait).
   */
  readonly blockedBy: readonly SendBlocker[]
  /** The send would fail with `RecordTooLargeError`, over this option. */
  readonly tooLarge: 'maxRequestSize' | 'bufferMemory' | undefined
}
