import { type Header, NO_TIMESTAMP, type ProducerBatch, type RecordCompletion } from '@x/accumulator'
import { RecordMetadata } from '../record/record-metadata.js'

/** What every pending record of one producer shares: its interceptors and where errors of user code go. */
export interface CompletionContext {
  /** The interceptor chain (`ProducerInterceptors`), or undefined when there are none. */
  readonly interceptors:
    | {
        onAcknowledgement(
          metadata: RecordMetadata,
          error: Error | undefined,
          headers: readonly Header[] | null,
        ): void
      }
    | undefined
  /** A user callback threw: reported, never rethrown into the producer. */
  reportCallbackError(error: unknown, metadata: RecordMetadata): void
  /** One record failed (for the `record-error-total` metric). */
  recordError(): void
}

/**
 * One accepted record between `send()`/`sendBatch()` and its outcome, as the send path drives it: the
 * `RecordCompletion` the accumulator calls exactly once, plus what the send path needs before the record
 * reaches a batch. It holds only what the record's `RecordMetadata` needs (sizes, create time), never the
 * record, so a batch waiting to be sent keeps no user object alive.
 *
 * Settles exactly once, in Java's order: the interceptors' `onAcknowledgement`, then the callback, then the
 * promise (or the `sendBatch` result). A second outcome (e.g. a failure after a forced close) is ignored.
 */
export interface PendingRecord extends RecordCompletion {
  /** The record's create time (epoch ms): its own timestamp, else the send time. */
  readonly timestamp: number
  /** Sets the create time once known (a record without a timestamp that waited for metadata). */
  setTimestamp(timestamp: number): void
  /** Fails the record before it reached a batch (`partition` as far as it was chosen, else -1). */
  fail(topic: string, partition: number, error: Error): void
  /** Optional: told where the record was appended (`RecordAppendResult.batch` and `.ordinal`). */
  appendedTo?(batch: ProducerBatch, ordinal: number): void
}

/** The `RecordMetadata` of a record acknowledged as record `index` of `batch`. */
export function acknowledgedMetadata(
  batch: ProducerBatch,
  index: number,
  timestamp: number,
  keySize: number,
  valueSize: number,
): RecordMetadata {
  return new RecordMetadata(
    batch.topic,
    batch.partition,
    batch.baseOffset,
    batch.logAppendTime === NO_TIMESTAMP ? timestamp : batch.logAppendTime,
    keySize,
    valueSize,
    index,
  )
}
