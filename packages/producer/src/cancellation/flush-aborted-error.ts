import { KafkaError } from '@x/protocol'

const marker = Symbol.for('x.kafka.error.FlushAbortedError')

/**
 * `flush({ signal })` stopped waiting because its signal fired (an `AbortError` by name, as `fetch` and
 * `events.once` reject). Only the wait ends: every record keeps going and completes as it would have. The
 * signal's reason is the `cause`.
 */
export class FlushAbortedError extends KafkaError {
  readonly [marker] = true
  override name = 'AbortError'

  constructor(options: { cause?: unknown }) {
    super({
      code: 'ABORT_ERR',
      retriable: false,
      cause: options.cause,
      message:
        'flush() was aborted by its AbortSignal: it stopped waiting, but the records keep being sent. Call flush() again to wait for them.',
    })
  }

  /** True for a `FlushAbortedError` from any copy of this package. */
  static override isInstance(value: unknown): value is FlushAbortedError {
    return KafkaError.isInstance(value) && (value as { [marker]?: boolean })[marker] === true
  }
}
