import { type Header, NO_TIMESTAMP, type ProducerBatch, type RecordCompletion } from '@x/accumulator'
import { failedRecordMetadata } from '../record/failed-metadata.js'
import { RecordMetadata } from '../record/record-metadata.js'
import type { SendCallback } from './send-callback.js'

/** What every completion of one producer shares: its interceptors and where errors of user code go. */
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

// The promise executor is shared and writes into these two slots, so creating a record's promise allocates
// no closure of our own (Node 20 has no Promise.withResolvers).
let capturedResolve: (metadata: RecordMetadata) => void
let capturedReject: (error: unknown) => void
function capture(resolve: (metadata: RecordMetadata) => void, reject: (error: unknown) => void): void {
  capturedResolve = resolve
  capturedReject = reject
}
const ignore = () => {}

/**
 * The one object per `send()`: the `RecordCompletion` the accumulator calls exactly once, and the record's
 * promise, callback and interceptor calls. It holds only what `RecordMetadata` needs (sizes, timestamp), not
 * the record, so a batch waiting to be sent keeps no user objects alive.
 *
 * Settles exactly once, in Java's order: interceptors' `onAcknowledgement`, the callback, then the promise.
 */
export class SendCompletion implements RecordCompletion {
  readonly promise: Promise<RecordMetadata>
  private readonly resolve: (metadata: RecordMetadata) => void
  private readonly reject: (error: unknown) => void
  private settled = false

  constructor(
    private readonly context: CompletionContext,
    private readonly callback: SendCallback | undefined,
    /** The record's timestamp (create time); set once known, after a metadata wait. */
    public timestamp: number,
    private readonly keySize: number,
    private readonly valueSize: number,
    private readonly headers: readonly Header[] | null,
  ) {
    this.promise = new Promise<RecordMetadata>(capture)
    this.resolve = capturedResolve
    this.reject = capturedReject
  }

  /** Called by the record's `ProducerBatch` once its outcome is known (success, failure, expiry, abort). */
  onCompletion(batch: ProducerBatch, index: number, error: Error | undefined): void {
    if (error !== undefined) {
      this.fail(batch.topic, batch.partition, error)
      return
    }
    const offset = batch.baseOffset === -1n ? -1n : batch.baseOffset + BigInt(index)
    const timestamp = batch.logAppendTime === NO_TIMESTAMP ? this.timestamp : batch.logAppendTime
    this.succeed(
      new RecordMetadata(batch.topic, batch.partition, offset, timestamp, this.keySize, this.valueSize),
    )
  }

  /** Fails the record (before it reached a batch, or with its batch). Ignored once settled. */
  fail(topic: string, partition: number, error: Error): void {
    if (this.settled) return
    this.settled = true
    this.context.recordError()
    const metadata = failedRecordMetadata(topic, partition)
    this.context.interceptors?.onAcknowledgement(metadata, error, this.headers)
    if (this.callback !== undefined) {
      this.call(metadata, error)
      // The caller chose a callback: an unobserved rejection must not crash the process as well.
      this.promise.catch(ignore)
    }
    this.reject(error)
  }

  private succeed(metadata: RecordMetadata): void {
    if (this.settled) return
    this.settled = true
    this.context.interceptors?.onAcknowledgement(metadata, undefined, this.headers)
    if (this.callback !== undefined) this.call(metadata, undefined)
    this.resolve(metadata)
  }

  private call(metadata: RecordMetadata, error: Error | undefined): void {
    try {
      this.callback!(metadata, error)
    } catch (thrown) {
      this.context.reportCallbackError(thrown, metadata)
    }
  }
}
