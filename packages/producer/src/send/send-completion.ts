import type { Header } from '@x/accumulator'
import type { RecordMetadata } from '../record/record-metadata.js'
import { type CompletionContext, PendingRecord } from './pending-record.js'
import type { SendCallback } from './send-callback.js'

// The promise executor is shared and writes into these two slots, so creating a record's promise allocates
// no closure of our own (Node 20 has no Promise.withResolvers).
let capturedResolve: (metadata: RecordMetadata) => void
let capturedReject: (error: unknown) => void
function capture(resolve: (metadata: RecordMetadata) => void, reject: (error: unknown) => void): void {
  capturedResolve = resolve
  capturedReject = reject
}
const ignore = () => {}

/** A record of `send()`: settles its callback, then its promise (the one allocation besides this object). */
export class SendCompletion extends PendingRecord {
  #callback: SendCallback | undefined
  #promise: Promise<RecordMetadata>
  #resolve: (metadata: RecordMetadata) => void
  #reject: (error: unknown) => void

  constructor(
    context: CompletionContext,
    callback: SendCallback | undefined,
    topic: string,
    timestamp: number,
    keySize: number,
    valueSize: number,
    headers: readonly Header[] | null,
  ) {
    super(context, topic, timestamp, keySize, valueSize, headers)
    this.#callback = callback
    this.#promise = new Promise<RecordMetadata>(capture)
    // Set by `capture`, which the Promise constructor ran synchronously.
    this.#resolve = capturedResolve
    this.#reject = capturedReject
  }

  /** What `send()` returns. */
  promise(): Promise<RecordMetadata> {
    return this.#promise
  }

  protected settle(error: Error | undefined): void {
    if (this.#callback !== undefined) {
      try {
        this.#callback(this, error)
      } catch (thrown) {
        this.context.reportCallbackError(thrown, this)
      }
      // The caller chose a callback: an unobserved rejection must not also crash the process.
      if (error !== undefined) this.#promise.catch(ignore)
    }
    if (error === undefined) this.#resolve(this)
    else this.#reject(error)
  }
}
