import type { Header } from '@x/accumulator'
import type { RecordMetadata } from '../record/record-metadata.js'
import { type CompletionContext, PendingRecord } from './pending-record.js'

/** The outcome of one record of `sendBatch()`, in the shape of `Promise.allSettled`. */
export type SendResult = PromiseSettledResult<RecordMetadata>

/** The results of one `sendBatch()` call: one promise for all its records, settled when the last one is. */
export class BatchSendResults {
  readonly results: SendResult[]
  readonly promise: Promise<SendResult[]>
  private remaining: number
  private resolve!: (results: SendResult[]) => void

  constructor(size: number) {
    this.results = new Array<SendResult>(size)
    this.remaining = size
    this.promise = new Promise((resolve) => {
      this.resolve = resolve
    })
    if (size === 0) this.resolve(this.results)
  }

  set(index: number, metadata: RecordMetadata | undefined, error: unknown): void {
    this.results[index] =
      error === undefined ? { status: 'fulfilled', value: metadata! } : { status: 'rejected', reason: error }
    if (--this.remaining === 0) this.resolve(this.results)
  }
}

/** A record of `sendBatch()`: no promise of its own, it fills its slot of the call's results. */
export class BatchSlot extends PendingRecord {
  #results: BatchSendResults
  #index: number

  constructor(
    context: CompletionContext,
    results: BatchSendResults,
    index: number,
    topic: string,
    timestamp: number,
    keySize: number,
    valueSize: number,
    headers: readonly Header[] | null,
  ) {
    super(context, topic, timestamp, keySize, valueSize, headers)
    this.#results = results
    this.#index = index
  }

  protected settle(error: Error | undefined): void {
    this.#results.set(this.#index, this, error)
  }
}
