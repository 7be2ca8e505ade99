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
