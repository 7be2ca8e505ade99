import { type Header, NO_TIMESTAMP, type ProducerBatch, type RecordCompletion } from '@x/accumulator'
import { UNKNOWN_PARTITION } from '@x/partitioners'
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

type Writable<T> = { -readonly [K in keyof T]: T[K] }

/**
 * One record between `send()` and its outcome: the `RecordCompletion` the accumulator calls exactly once, and
 * the record's `RecordMetadata` — the value its promise resolves with. It holds only what the metadata needs
 * (sizes, timestamp), never the record, so a batch waiting to be sent keeps no user object alive; the
 * bookkeeping lives in private fields, invisible to users.
 *
 * Settles exactly once, in Java's order: the interceptors' `onAcknowledgement`, then `settle` (the callback
 * and promise of `send()`, or the slot of `sendBatch()`).
 */
export abstract class PendingRecord extends RecordMetadata implements RecordCompletion {
  #context: CompletionContext
  /** Only kept when interceptors will want them. */
  #headers: readonly Header[] | null
  #settled = false

  constructor(
    context: CompletionContext,
    topic: string,
    timestamp: number,
    keySize: number,
    valueSize: number,
    headers: readonly Header[] | null,
  ) {
    super(topic, UNKNOWN_PARTITION, -1n, timestamp, keySize, valueSize)
    this.#context = context
    this.#headers = context.interceptors === undefined ? null : headers
  }

  /** The record's create time, once known (after a metadata wait). */
  setTimestamp(timestamp: number): void {
    ;(this as Writable<RecordMetadata>).timestamp = timestamp
  }

  /** Called by the record's `ProducerBatch` once its outcome is known (success, failure, expiry, abort). */
  onCompletion(batch: ProducerBatch, index: number, error: Error | undefined): void {
    if (this.#settled) return
    ;(this as Writable<RecordMetadata>).partition = batch.partition
    if (error !== undefined) {
      this.failNow(error)
      return
    }
    this.#settled = true
    this.baseOffset = batch.baseOffset
    this.batchIndex = index
    if (batch.logAppendTime !== NO_TIMESTAMP)
      (this as Writable<RecordMetadata>).timestamp = batch.logAppendTime
    this.#context.interceptors?.onAcknowledgement(this, undefined, this.#headers)
    this.settle(undefined)
  }

  /** Fails the record before it reached a batch (`partition` as far as it was chosen). Ignored once settled. */
  fail(partition: number, error: Error): void {
    if (this.#settled) return
    ;(this as Writable<RecordMetadata>).partition = partition
    this.failNow(error)
  }

  protected get context(): CompletionContext {
    return this.#context
  }

  /** Hands the outcome on: `error` undefined for success (this object is then the metadata). */
  protected abstract settle(error: Error | undefined): void

  private failNow(error: Error): void {
    this.#settled = true
    this.#context.recordError()
    // What Java hands a failed record's callback: topic and partition, nothing else known.
    const self = this as Writable<RecordMetadata>
    self.timestamp = NO_TIMESTAMP
    self.serializedKeySize = -1
    self.serializedValueSize = -1
    this.#context.interceptors?.onAcknowledgement(this, error, this.#headers)
    this.settle(error)
  }
}
