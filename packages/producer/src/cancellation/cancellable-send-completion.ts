import type { Header, ProducerBatch, RecordAccumulator } from '@x/accumulator'
import type { CompletionContext } from '../send/pending-record.js'
import type { SendCallback } from '../send/send-callback.js'
import { SendCompletion } from '../send/send-completion.js'
import { MaybeWrittenError } from './maybe-written-error.js'
import { NotWrittenError } from './not-written-error.js'

/**
 * A `send(record, { signal })`: a `SendCompletion` that listens to its `AbortSignal` while the record is
 * pending. Only sends given a signal create one, so a send without a signal pays nothing for cancellation
 * (no listener, no field, no check on its path).
 *
 * It is its own abort listener (`handleEvent`: no closure), removed as soon as the record settles. On abort:
 * - still waiting for metadata or memory, or in a batch never drained → `NotWrittenError` at once; the record
 *   is taken out of its batch (`RecordAccumulator.cancelRecord`) or dropped by the waiting append
 *   (`cancelled`), so it is never written;
 * - its batch was drained (a request carrying it may be on the wire) → `MaybeWrittenError` for the callback and
 *   promise; the batch itself goes on, so sequences stay intact, and the interceptors and metrics hear the real
 *   outcome when it comes (reliability checklist §0 item 9: never cancel an in-flight idempotent record).
 */
export class CancellableSendCompletion extends SendCompletion {
  /** Read by the waiting paths (send path, accumulator) to drop the record instead of appending it. */
  cancelled = false
  readonly #signal: AbortSignal
  readonly #topic: string
  readonly #accumulator: RecordAccumulator

  constructor(
    context: CompletionContext,
    callback: SendCallback | undefined,
    timestamp: number,
    keySize: number,
    valueSize: number,
    headers: readonly Header[] | null,
    signal: AbortSignal,
    topic: string,
    accumulator: RecordAccumulator,
  ) {
    super(context, callback, timestamp, keySize, valueSize, headers)
    this.#signal = signal
    this.#topic = topic
    this.#accumulator = accumulator
  }

  /** For the pool: a wait for memory ends when the signal fires. */
  get signal(): AbortSignal {
    return this.#signal
  }

  /** Starts listening, unless the record already settled while it was dispatched. */
  listen(): void {
    if (!this.isSettled) this.#signal.addEventListener('abort', this)
  }

  /** @internal The abort listener. */
  handleEvent(): void {
    this.#signal.removeEventListener('abort', this)
    if (this.isSettled) return
    const reason: unknown = this.#signal.reason
    this.cancelled = true
    const { outcome, partition } = this.#accumulator.cancelRecord(this.#topic, this)
    if (outcome === 'sent') {
      this.releaseCaller(new MaybeWrittenError({ topic: this.#topic, partition, cause: reason }))
    } else {
      super.fail(this.#topic, partition, new NotWrittenError({ topic: this.#topic, cause: reason }))
    }
  }

  override onCompletion(batch: ProducerBatch, index: number, error: Error | undefined): void {
    this.#signal.removeEventListener('abort', this)
    super.onCompletion(batch, index, error)
  }

  override fail(topic: string, partition: number, error: Error): void {
    this.#signal.removeEventListener('abort', this)
    super.fail(topic, partition, error)
  }
}
