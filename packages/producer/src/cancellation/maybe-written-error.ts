import { KafkaError } from '@x/protocol'

const marker = Symbol.for('x.kafka.error.MaybeWrittenError')

/**
 * A `send` whose `AbortSignal` fired after a request carrying the record was on the wire (its batch was
 * drained): the broker may have written it or may yet (librdkafka's `POSSIBLY_PERSISTED`). The caller is
 * released at once, but the batch is not cut short: it completes or fails as it would have, so idempotent
 * sequences stay intact (no gap, no duplicate) and interceptors and metrics see the real outcome. The
 * signal's reason is the `cause`. Do not blindly re-send: with idempotence off that may duplicate.
 */
export class MaybeWrittenError extends KafkaError {
  readonly [marker] = true
  override name = 'MaybeWrittenError'
  /** Always `'maybe'`: the record was in a request that may have been written. */
  readonly persisted = 'maybe' as const
  readonly topic: string
  readonly partition: number

  constructor(options: { topic: string; partition: number; cause?: unknown }) {
    super({
      code: 'SEND_CANCELLED_MAYBE_WRITTEN',
      retriable: false,
      cause: options.cause,
      message: `The send to ${options.topic}-${options.partition} was cancelled by its AbortSignal after its batch was sent: the record may have been written. Read the partition back (or rely on idempotence) before sending it again.`,
    })
    this.topic = options.topic
    this.partition = options.partition
  }

  /** True for a `MaybeWrittenError` from any copy of this package. */
  static override isInstance(value: unknown): value is MaybeWrittenError {
    return KafkaError.isInstance(value) && (value as { [marker]?: boolean })[marker] === true
  }
}
