import type { ProducerBatch } from './producer-batch.js'

/**
 * Told once how one appended record ended. The producer passes one per `send()` (typically the object that
 * settles its promise), so the accumulator keeps a reference per record and creates no closure.
 *
 * Exactly once per record, whatever happens: success (`error` undefined; read `batch.baseOffset + index`,
 * `batch.logAppendTime`, `batch.topic`, `batch.partition`), failure, delivery-timeout expiry, abort, or after
 * a split — then with the smaller batch the record moved to and its index there. A completion that throws
 * does not stop the others: the error goes to the accumulator's `onCompletionError`.
 */
export interface RecordCompletion {
  /**
   * Optional: true once the record's sender gave up on it (an aborted `send`) before it reached a batch. An
   * append still waiting for memory, or queued behind one that does, then drops it instead of appending it
   * (its completion is not called: the canceller settled it). Read only on those waiting paths.
   */
  readonly cancelled?: boolean
  /**
   * Optional: the send's `AbortSignal`. An append that must wait for memory hands it to the pool, so a
   * cancelled wait leaves the pool's queue at once instead of holding its place until served. Read once per
   * allocation, never per appended record.
   */
  readonly signal?: AbortSignal
  onCompletion(batch: ProducerBatch, index: number, error: Error | undefined): void
}
