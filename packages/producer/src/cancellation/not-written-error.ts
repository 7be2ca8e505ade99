import { KafkaError } from '@x/protocol'

const marker = Symbol.for('x.kafka.error.NotWrittenError')

/**
 * A `send` whose `AbortSignal` fired before the record left the producer: it was never appended, or it was
 * taken out of a batch that had not been drained. It was not written and never will be; its memory is back
 * in the pool (librdkafka's `NOT_PERSISTED`). The signal's reason is the `cause`. Not retriable as such:
 * send the record again if it is still wanted.
 */
export class NotWrittenError extends KafkaError {
  readonly [marker] = true
  override name = 'NotWrittenError'
  /** Always `'no'`: nothing of the record reached a broker. */
  readonly persisted = 'no' as const

  constructor(options: { topic: string; cause?: unknown }) {
    super({
      code: 'SEND_CANCELLED_NOT_WRITTEN',
      retriable: false,
      cause: options.cause,
      message: `The send to ${options.topic} was cancelled by its AbortSignal before the record left the producer: it was not written. Send it again if it is still wanted.`,
    })
  }

  /** True for a `NotWrittenError` from any copy of this package. */
  static override isInstance(value: unknown): value is NotWrittenError {
    return KafkaError.isInstance(value) && (value as { [marker]?: boolean })[marker] === true
  }
}
