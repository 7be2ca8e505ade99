import { type Header, NO_TIMESTAMP, type ProducerBatch, type RecordCompletion } from '@x/accumulator'
import { RecordMetadata, UNKNOWN_PARTITION } from '../record/record-metadata.js'
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

type Writable<T> = { -readonly [K in keyof T]: T[K] }

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
 * The one object per `send()`, besides its promise: the `RecordCompletion` the accumulator calls exactly once,
 * and the record's `RecordMetadata` — the value the promise resolves with and the callback receives. It holds
 * only what the metadata needs (sizes, timestamp), never the record, so a batch waiting to be sent keeps no
 * user object alive; its bookkeeping is in private fields, invisible to users.
 *
 * Settles exactly once, in Java's order: interceptors' `onAcknowledgement`, the callback, then the promise.
 */
export class SendCompletion extends RecordMetadata implements RecordCompletion {
  #context: CompletionContext
  #callback: SendCallback | undefined
  /** Only kept when interceptors will want them. */
  #headers: readonly Header[] | null
  /** Cleared once settled: the "exactly once" guard. */
  #resolve: ((metadata: RecordMetadata) => void) | undefined
  #reject: ((error: unknown) => void) | undefined
  #promise: Promise<RecordMetadata>

  constructor(
    context: CompletionContext,
    callback: SendCallback | undefined,
    topic: string,
    timestamp: number,
    keySize: number,
    valueSize: number,
    headers: readonly Header[] | null,
  ) {
    super(topic, UNKNOWN_PARTITION, -1n, timestamp, keySize, valueSize)
    this.#context = context
    this.#callback = callback
    this.#headers = context.interceptors === undefined ? null : headers
    this.#promise = new Promise<RecordMetadata>(capture)
    // Set by `capture`, which the Promise constructor ran synchronously.
    this.#resolve = capturedResolve
    this.#reject = capturedReject
  }

  /** What `send()` returns. */
  promise(): Promise<RecordMetadata> {
    return this.#promise
  }

  /** The record's create time, once known (after a metadata wait). */
  setTimestamp(timestamp: number): void {
    ;(this as Writable<RecordMetadata>).timestamp = timestamp
  }

  /** Called by the record's `ProducerBatch` once its outcome is known (success, failure, expiry, abort). */
  onCompletion(batch: ProducerBatch, index: number, error: Error | undefined): void {
    if (this.#resolve === undefined) return
    const self = this as Writable<RecordMetadata>
    self.partition = batch.partition
    if (error !== undefined) {
      this.settleFailure(error)
      return
    }
    this.baseOffset = batch.baseOffset
    this.batchIndex = index
    if (batch.logAppendTime !== NO_TIMESTAMP) self.timestamp = batch.logAppendTime
    const resolve = this.#resolve
    this.#resolve = undefined
    this.#context.interceptors?.onAcknowledgement(this, undefined, this.#headers)
    if (this.#callback !== undefined) this.call(undefined)
    resolve(this)
  }

  /** Fails the record before it reached a batch (`partition` as far as it was chosen). Ignored once settled. */
  fail(partition: number, error: Error): void {
    if (this.#resolve === undefined) return
    ;(this as Writable<RecordMetadata>).partition = partition
    this.settleFailure(error)
  }

  private settleFailure(error: Error): void {
    const reject = this.#reject!
    this.#resolve = undefined
    this.#context.recordError()
    // What Java hands a failed record's callback: topic and partition, nothing else known.
    const self = this as Writable<RecordMetadata>
    self.timestamp = NO_TIMESTAMP
    self.serializedKeySize = -1
    self.serializedValueSize = -1
    this.#context.interceptors?.onAcknowledgement(this, error, this.#headers)
    if (this.#callback !== undefined) {
      this.call(error)
      // The caller chose a callback: an unobserved rejection must not also crash the process.
      this.#promise.catch(ignore)
    }
    reject(error)
  }

  private call(error: Error | undefined): void {
    try {
      this.#callback!(this, error)
    } catch (thrown) {
      this.#context.reportCallbackError(thrown, this)
    }
  }
}
