import { type Header, NO_TIMESTAMP, type ProducerBatch } from '@x/accumulator'
import { failedRecordMetadata } from '../record/failed-metadata.js'
import { RecordMetadata } from '../record/record-metadata.js'
import type { CompletionContext, PendingRecord } from './pending-record.js'

/** The outcome of one record of `sendBatch()`, in the shape of `Promise.allSettled`. */
export type SendResult = PromiseSettledResult<RecordMetadata>

/**
 * The state of one `sendBatch()` call: one promise for all its records, settled when the last one is.
 *
 * What a record needs until then lives in typed arrays indexed by its position in the call (off the JS heap,
 * so a scavenge has nothing to copy), and each accepted record's `RecordCompletion` is a two-field
 * `BatchSlot`. The results — a `PromiseSettledResult` and a `RecordMetadata` per record — are built once, when
 * the last record settles.
 */
export class BatchSendResults {
  readonly promise: Promise<SendResult[]>
  /** Create time of each record (the broker's time once acknowledged on a LogAppendTime topic). */
  readonly timestamps: Float64Array
  readonly keySizes: Int32Array
  readonly valueSizes: Int32Array
  private readonly context: CompletionContext
  private readonly partitions: Int32Array
  private readonly batchIndexes: Int32Array
  private readonly topics: string[]
  private readonly baseOffsets: bigint[]
  /** Per record, its error; allocated at the first failure. */
  private errors: unknown[] | undefined
  /** Per record, its headers; only with interceptors. */
  private headers: (readonly Header[] | null)[] | undefined
  private remaining: number
  private resolve!: (results: SendResult[]) => void

  constructor(size: number, context: CompletionContext) {
    this.context = context
    this.timestamps = new Float64Array(size)
    this.keySizes = new Int32Array(size)
    this.valueSizes = new Int32Array(size)
    this.partitions = new Int32Array(size)
    this.batchIndexes = new Int32Array(size)
    this.topics = new Array<string>(size)
    this.baseOffsets = new Array<bigint>(size)
    this.remaining = size
    this.promise = new Promise((resolve) => {
      this.resolve = resolve
    })
    if (size === 0) this.resolve([])
  }

  /** Records what `index`'s metadata will need, and returns its completion. */
  accept(
    index: number,
    timestamp: number,
    keySize: number,
    valueSize: number,
    headers: readonly Header[] | null,
  ): BatchSlot {
    this.timestamps[index] = timestamp
    this.keySizes[index] = keySize
    this.valueSizes[index] = valueSize
    if (this.context.interceptors !== undefined) {
      this.headers ??= []
      this.headers[index] = headers
    }
    return new BatchSlot(this, index)
  }

  /** A record refused before it was accepted (what `send()` would throw). */
  refuse(index: number, error: unknown): void {
    this.setError(index, error)
    if (--this.remaining === 0) this.finish()
  }

  /** @internal From the record's `BatchSlot`. */
  acknowledged(index: number, batch: ProducerBatch, batchIndex: number): void {
    this.topics[index] = batch.topic
    this.partitions[index] = batch.partition
    this.baseOffsets[index] = batch.baseOffset
    this.batchIndexes[index] = batchIndex
    if (batch.logAppendTime !== NO_TIMESTAMP) this.timestamps[index] = batch.logAppendTime
    const interceptors = this.context.interceptors
    if (interceptors !== undefined)
      interceptors.onAcknowledgement(this.metadata(index), undefined, this.headers?.[index] ?? null)
    if (--this.remaining === 0) this.finish()
  }

  /** @internal From the record's `BatchSlot`. */
  failed(index: number, topic: string, partition: number, error: Error): void {
    this.setError(index, error)
    this.context.recordError()
    this.context.interceptors?.onAcknowledgement(
      failedRecordMetadata(topic, partition),
      error,
      this.headers?.[index] ?? null,
    )
    if (--this.remaining === 0) this.finish()
  }

  private setError(index: number, error: unknown): void {
    this.errors ??= []
    this.errors[index] = error
  }

  private metadata(index: number): RecordMetadata {
    return new RecordMetadata(
      this.topics[index]!,
      this.partitions[index]!,
      this.baseOffsets[index]!,
      this.timestamps[index]!,
      this.keySizes[index]!,
      this.valueSizes[index]!,
      this.batchIndexes[index]!,
    )
  }

  private finish(): void {
    const size = this.timestamps.length
    const results = new Array<SendResult>(size)
    const errors = this.errors
    for (let index = 0; index < size; index++) {
      const error = errors?.[index]
      results[index] =
        error === undefined
          ? { status: 'fulfilled', value: this.metadata(index) }
          : { status: 'rejected', reason: error }
    }
    this.resolve(results)
  }
}

/** An accepted record of `sendBatch()`: no promise, no metadata until the call's results are built. */
export class BatchSlot implements PendingRecord {
  #results: BatchSendResults
  /** The record's position in the call; -1 once settled. */
  #index: number

  constructor(results: BatchSendResults, index: number) {
    this.#results = results
    this.#index = index
  }

  get timestamp(): number {
    return this.#results.timestamps[this.#index]!
  }

  setTimestamp(timestamp: number): void {
    this.#results.timestamps[this.#index] = timestamp
  }

  onCompletion(batch: ProducerBatch, index: number, error: Error | undefined): void {
    const slot = this.#index
    if (slot < 0) return
    this.#index = -1
    if (error === undefined) this.#results.acknowledged(slot, batch, index)
    else this.#results.failed(slot, batch.topic, batch.partition, error)
  }

  fail(topic: string, partition: number, error: Error): void {
    const slot = this.#index
    if (slot < 0) return
    this.#index = -1
    this.#results.failed(slot, topic, partition, error)
  }
}
