import { KafkaError } from '@x/protocol'

const marker = Symbol.for('x.kafka.error.SenderClosedError')

/**
 * The sender was closed: by a forced close (every queued and in-flight batch fails with it, Java's
 * `abortIncompleteBatches`), or an operation (metadata wait, request) reached a closed sender or client.
 * Not retriable.
 */
export class SenderClosedError extends KafkaError {
  readonly [marker] = true
  override name = 'SenderClosedError'
  readonly forced: boolean

  constructor(options: { forced: boolean; message?: string; cause?: unknown }) {
    super({
      code: options.forced ? 'PRODUCER_CLOSED_FORCEFULLY' : 'PRODUCER_CLOSED',
      retriable: false,
      cause: options.cause,
      message:
        options.message ??
        (options.forced
          ? 'The sender was closed forcefully before the record was acknowledged: close gracefully (or flush ' +
            'first) with a timeout long enough for in-flight records to be delivered.'
          : 'The sender is closed: no request can be sent after close().'),
    })
    this.forced = options.forced
  }

  /** True for a `SenderClosedError` from any copy of this package. */
  static override isInstance(value: unknown): value is SenderClosedError {
    return KafkaError.isInstance(value) && (value as { [marker]?: boolean })[marker] === true
  }
}
