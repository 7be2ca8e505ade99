import type { ProducerBatch } from './producer-batch.js'

/** What `RecordAccumulator.append` did (Java `RecordAppendResult`). */
export interface RecordAppendResult {
  /** The partition the record went to (chosen by the built-in partitioner when `-1` was passed). */
  readonly partition: number
  /** The batch holding the record, or undefined with `abortForNewBatch`. */
  readonly batch: ProducerBatch | undefined
  /** The partition has a full batch (or more than one batch) waiting: the sender has work. */
  readonly batchIsFull: boolean
  readonly newBatchCreated: boolean
  /** With `abortOnNewBatch`: nothing was appended; call `onNewBatch`, re-partition and append again. */
  readonly abortForNewBatch: boolean
  /** Estimated bytes the record added to its batch. */
  readonly appendedBytes: number
  /** The record's ordinal in `batch` (-1 with `abortForNewBatch`); `ProducerBatch.locate` finds it later. */
  readonly ordinal: number
}

/** What `RecordAccumulator.ready` found (Java `ReadyCheckResult`). */
export interface ReadyCheckResult {
  /** Leaders (node ids) with at least one sendable batch. */
  readonly readyNodes: Set<number>
  /** When to check again: the soonest linger or backoff end among partitions not ready; `Infinity` if none. */
  readonly nextReadyCheckDelayMs: number
  /** Topics with batches for partitions whose leader is unknown: refresh their metadata. */
  readonly unknownLeaderTopics: Set<string>
}

/** A batch-granularity wake-up for the sender (never per record). */
export interface AccumulatorWakeup {
  readonly type: 'batch-created' | 'batch-full' | 'flush' | 'close'
  readonly topic?: string
  readonly partition?: number
}

/** What `RecordAccumulator.previewAppend` predicts an `append` would do now (nothing changed). */
export interface AppendPreview {
  /** The partition the record would go to (the sticky partitioner's choice for `-1`). */
  readonly partition: number
  /** Keyless only: the sticky partition would switch before this record (its batch is full or refuses it). */
  readonly stickySwitch: boolean
  /** It would go into the partition's open batch; false: it would start a new one. */
  readonly joinsOpenBatch: boolean
  /** Memory a new batch would allocate (`max(batch.size, the record's upper bound)`); 0 when joining. */
  readonly newBatchBytes: number
  /** The append would wait: the pool cannot serve `newBatchBytes` now, or earlier appends wait for memory. */
  readonly waitsForMemory: boolean
  /** The accumulator is closed: the append would throw. */
  readonly closed: boolean
}
