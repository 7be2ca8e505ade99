import { inspect } from 'node:util'
import type { Header, ProducerBatch, RecordCompletion } from '@x/accumulator'
import { MaybeWrittenError } from '../cancellation/maybe-written-error.js'
import { failedRecordMetadata } from '../record/failed-metadata.js'
import { RecordMetadata } from '../record/record-metadata.js'
import type { FutureRecordMetadata } from './future-record-metadata.js'
import { acknowledgedMetadata, type CompletionContext, type PendingRecord } from './pending-record.js'
import type { SendCallback } from './send-callback.js'

// The promise executor is shared and writes into these two slots, so creating a promise allocates no
// closure of our own (Node 20 has no Promise.withResolvers).
let capturedResolve: (metadata: RecordMetadata) => void
let capturedReject: (error: unknown) => void
function capture(resolve: (metadata: RecordMetadata) => void, reject: (error: unknown) => void): void {
  capturedResolve = resolve
  capturedReject = reject
}

/**
 * A record of `send()`: the `RecordCompletion` its batch calls, and what `send()` returns — about 120 bytes
 * while pending.
 *
 * With a callback, this object itself is the returned `FutureRecordMetadata`, and a native promise is made
 * only if someone subscribes (`then`/`catch`/`finally`, hence `await` and the `Promise` combinators): the
 * callback needs none, and a native promise with its resolving functions is about 200 bytes more per pending
 * record. Without a callback, `send()` returns the native promise (`promise()`) made at once: a caller that
 * awaits or combines it pays nothing extra, where a thenable would cost V8's thenable job on every `await`.
 * Either way a failure reaches someone: the callback, or the native promise — which Node reports as an
 * unhandled rejection when nobody handles it, as it always did.
 *
 * The outcome goes, in Java's order, to the interceptors' `onAcknowledgement`, the callback, then the
 * promise if there is one.
 *
 * Detached (`appendedTo`): its batch holds a `CallbackCompletion` shared with other records instead of this
 * object, so nothing but the caller keeps it alive. It settles itself from the batch only if someone
 * subscribes: while the record is pending it takes its place in the batch back (`ProducerBatch.locate`
 * finds the record after a split), once the batch is done it reads the outcome there.
 */
export class SendCompletion implements FutureRecordMetadata, PendingRecord {
  #context: CompletionContext
  #callback: SendCallback | undefined
  /** Only kept when interceptors will want them. */
  #headers: readonly Header[] | null
  #timestamp: number
  #keySize: number
  #valueSize: number
  /** Undefined while pending; then the record's metadata, or its error. */
  #outcome: RecordMetadata | Error | undefined = undefined
  /** The native promise: made at once without a callback, else when someone subscribes. */
  #promise: Promise<RecordMetadata> | undefined = undefined
  /** Its resolving functions, while it is pending. */
  #resolve: ((metadata: RecordMetadata) => void) | undefined = undefined
  #reject: ((error: unknown) => void) | undefined = undefined
  /** Until appended: what its batch may hold instead of it (see `appendedTo`). */
  #shared: RecordCompletion | undefined
  /** While detached: the batch the record was appended to, and its ordinal there. */
  #batch: ProducerBatch | undefined = undefined
  #ordinal = 0

  constructor(
    context: CompletionContext,
    callback: SendCallback | undefined,
    timestamp: number,
    keySize: number,
    valueSize: number,
    headers: readonly Header[] | null,
    shared?: RecordCompletion,
  ) {
    this.#shared = shared
    this.#context = context
    this.#callback = callback
    this.#headers = context.interceptors === undefined ? null : headers
    this.#timestamp = timestamp
    this.#keySize = keySize
    this.#valueSize = valueSize
  }

  get [Symbol.toStringTag](): 'FutureRecordMetadata' {
    return 'FutureRecordMetadata'
  }

  // biome-ignore lint/suspicious/noThenProperty: a thenable on purpose — this is what `send()` returns.
  then<TResult1 = RecordMetadata, TResult2 = never>(
    onfulfilled?: ((metadata: RecordMetadata) => TResult1 | PromiseLike<TResult1>) | null,
    onrejected?: ((reason: unknown) => TResult2 | PromiseLike<TResult2>) | null,
  ): Promise<TResult1 | TResult2> {
    return this.#native().then(onfulfilled, onrejected)
  }

  catch<TResult = never>(
    onrejected?: ((reason: unknown) => TResult | PromiseLike<TResult>) | null,
  ): Promise<RecordMetadata | TResult> {
    return this.#native().catch(onrejected)
  }

  finally(onfinally?: (() => void) | null): Promise<RecordMetadata> {
    return this.#native().finally(onfinally)
  }

  /** @internal What `send()` returns without a callback: the native promise, made on first use. */
  promise(): Promise<RecordMetadata> {
    return this.#native()
  }

  /** @internal The record's create time, for the accumulator. */
  get timestamp(): number {
    return this.#timestamp
  }

  /** @internal */
  setTimestamp(timestamp: number): void {
    this.#timestamp = timestamp
  }

  /**
   * @internal Once the record is appended to `batch` as `ordinal`: detaches, letting the batch hold the
   * shared completion given at construction (which calls the same callback) instead of this object. Not when
   * none was given, once a promise exists (the batch must then settle it), or once the record settled.
   */
  appendedTo(batch: ProducerBatch, ordinal: number): void {
    const shared = this.#shared
    if (shared === undefined) return
    this.#shared = undefined
    if (this.#outcome !== undefined || this.#promise !== undefined) return
    if (!batch.replaceCompletion(ordinal, this, shared)) return
    this.#batch = batch
    this.#ordinal = ordinal
  }

  /** @internal Called by the record's `ProducerBatch` once its outcome is known. */
  onCompletion(batch: ProducerBatch, index: number, error: Error | undefined): void {
    if (this.#detachedOutcomeFromBatch()) return
    if (this.#outcome !== undefined) {
      // The caller was released by a cancellation while the batch was on the wire: the real outcome still
      // reaches the interceptors and the metrics.
      if (MaybeWrittenError.isInstance(this.#outcome)) this.#observeOnly(batch, index, error)
      return
    }
    if (error !== undefined) {
      this.#failNow(failedRecordMetadata(batch.topic, batch.partition), error)
      return
    }
    const metadata = acknowledgedMetadata(batch, index, this.#timestamp, this.#keySize, this.#valueSize)
    this.#outcome = metadata
    this.#context.interceptors?.onAcknowledgement(metadata, undefined, this.#headers)
    const callback = this.#callback
    if (callback !== undefined) {
      try {
        callback(metadata, undefined)
      } catch (thrown) {
        this.#context.reportCallbackError(thrown, metadata)
      }
    }
    const resolve = this.#resolve
    if (resolve !== undefined) resolve(metadata)
    this.#release()
  }

  /** @internal Fails the record before it reached a batch. Ignored once settled. */
  fail(topic: string, partition: number, error: Error): void {
    if (this.#detachedOutcomeFromBatch()) return
    if (this.#outcome !== undefined) return
    this.#failNow(failedRecordMetadata(topic, partition), error)
  }

  /** @internal Settled for the caller (a cancelled record's outcome may still be on its way to interceptors). */
  get isSettled(): boolean {
    return this.#outcome !== undefined
  }

  /**
   * @internal A cancellation after the record's batch was drained: the callback and the promise get `error`
   * now; the batch completes later as usual and `onCompletion` then tells only the interceptors and metrics.
   */
  releaseCaller(error: MaybeWrittenError): void {
    if (this.#outcome !== undefined) return
    this.#outcome = error
    const metadata = failedRecordMetadata(error.topic, error.partition)
    const callback = this.#callback
    if (callback !== undefined) {
      try {
        callback(metadata, error)
      } catch (thrown) {
        this.#context.reportCallbackError(thrown, metadata)
      }
    }
    const reject = this.#reject
    if (reject !== undefined) reject(error)
    this.#callback = undefined
    this.#resolve = undefined
    this.#reject = undefined
  }

  [inspect.custom](): string {
    if (this.#batch !== undefined) this.#catchUp(false)
    const outcome = this.#outcome
    const state =
      outcome === undefined
        ? '<pending>'
        : outcome instanceof RecordMetadata
          ? `${outcome}`
          : `<rejected> ${outcome}`
    return `FutureRecordMetadata { ${state} }`
  }

  #failNow(metadata: RecordMetadata, error: Error): void {
    this.#outcome = error
    this.#context.recordError()
    this.#context.interceptors?.onAcknowledgement(metadata, error, this.#headers)
    const callback = this.#callback
    if (callback !== undefined) {
      try {
        callback(metadata, error)
      } catch (thrown) {
        this.#context.reportCallbackError(thrown, metadata)
      }
    }
    const reject = this.#reject
    if (reject !== undefined) reject(error)
    this.#release()
  }

  #observeOnly(batch: ProducerBatch, index: number, error: Error | undefined): void {
    const metadata =
      error === undefined
        ? acknowledgedMetadata(batch, index, this.#timestamp, this.#keySize, this.#valueSize)
        : failedRecordMetadata(batch.topic, batch.partition)
    if (error !== undefined) this.#context.recordError()
    this.#context.interceptors?.onAcknowledgement(metadata, error, this.#headers)
    this.#headers = null
  }

  /** True while detached: then the outcome is the batch's to give (read once it is done), never a call's. */
  #detachedOutcomeFromBatch(): boolean {
    if (this.#batch === undefined) return false
    this.#catchUp(false)
    return true
  }

  /**
   * Detached: takes the outcome from the batch once it is done. Still pending and `reattach`: becomes the
   * record's completion in its batch again (the callback then comes from here), so the promise settles.
   */
  #catchUp(reattach: boolean): void {
    const location = this.#batch!.locate(this.#ordinal)
    // Only a cancelled send's record is ever taken out of a batch, and those are never detached.
    if (location === undefined) throw new Error('a detached record is missing from its batch')
    const { batch, index } = location
    if (!batch.isDone()) {
      if (!reattach) return
      this.#batch = undefined
      batch.setCompletion(index, this)
      return
    }
    this.#batch = undefined
    // The shared completion already told the callback and the metrics: only the outcome is left to keep.
    this.#outcome =
      batch.recordError(index) ??
      acknowledgedMetadata(batch, index, this.#timestamp, this.#keySize, this.#valueSize)
    this.#release()
  }

  /** The native promise behind `then`/`catch`/`finally`, created on first use. */
  #native(): Promise<RecordMetadata> {
    if (this.#promise !== undefined) return this.#promise
    if (this.#batch !== undefined) this.#catchUp(true)
    const outcome = this.#outcome
    if (outcome === undefined) {
      this.#promise = new Promise<RecordMetadata>(capture)
      // Set by `capture`, which the Promise constructor ran synchronously.
      this.#resolve = capturedResolve
      this.#reject = capturedReject
    } else {
      this.#promise = outcome instanceof RecordMetadata ? Promise.resolve(outcome) : Promise.reject(outcome)
    }
    return this.#promise
  }

  /** Settled: drop what a caller holding the future should not keep alive. */
  #release(): void {
    this.#callback = undefined
    this.#headers = null
    this.#resolve = undefined
    this.#reject = undefined
  }
}
