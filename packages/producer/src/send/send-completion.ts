import { inspect } from 'node:util'
import type { Header, ProducerBatch } from '@x/accumulator'
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
 * A record of `send()`: the `RecordCompletion` its batch calls, and the `FutureRecordMetadata` returned to the
 * caller — one object, about 120 bytes while pending (a native promise with its resolving functions alone
 * is about 200).
 *
 * A native promise is created only when someone subscribes (`then`/`catch`/`finally`, hence `await` and the
 * `Promise` combinators); the callback needs none. The outcome goes, in Java's order, to the interceptors'
 * `onAcknowledgement`, the callback, then the promise if there is one. A failure with neither a subscriber
 * nor a callback becomes a native rejected promise held here: Node reports it as an unhandled rejection
 * (by default the process exits), exactly as for the native promise `send()` used to return — and a
 * subscriber that comes later still gets the rejection and marks it handled.
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
  /** The native promise, once someone subscribed (or a failure went unobserved). */
  #promise: Promise<RecordMetadata> | undefined = undefined
  /** Its resolving functions, while it is pending. */
  #resolve: ((metadata: RecordMetadata) => void) | undefined = undefined
  #reject: ((error: unknown) => void) | undefined = undefined

  constructor(
    context: CompletionContext,
    callback: SendCallback | undefined,
    timestamp: number,
    keySize: number,
    valueSize: number,
    headers: readonly Header[] | null,
  ) {
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

  /** @internal The record's create time, for the accumulator. */
  get timestamp(): number {
    return this.#timestamp
  }

  /** @internal */
  setTimestamp(timestamp: number): void {
    this.#timestamp = timestamp
  }

  /** @internal Called by the record's `ProducerBatch` once its outcome is known. */
  onCompletion(batch: ProducerBatch, index: number, error: Error | undefined): void {
    if (this.#outcome !== undefined) return
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
    if (this.#outcome !== undefined) return
    this.#failNow(failedRecordMetadata(topic, partition), error)
  }

  [inspect.custom](): string {
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
    // Nobody is told yet: a rejected native promise makes Node report it (see the class comment).
    else if (callback === undefined) this.#promise = Promise.reject(error)
    this.#release()
  }

  /** The native promise behind `then`/`catch`/`finally`, created on first use. */
  #native(): Promise<RecordMetadata> {
    if (this.#promise !== undefined) return this.#promise
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
