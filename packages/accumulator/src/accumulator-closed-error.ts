import { KafkaError } from '@x/protocol'

const marker = Symbol.for('x.kafka.error.AccumulatorClosedError')

/**
 * An append reached the accumulator after `close()` (Java: `KafkaException("Producer closed while send in
 * progress")`), or a batch was aborted by a forced close (`abortIncompleteBatches`). Not retriable.
 */
export class AccumulatorClosedError extends KafkaError {
  readonly [marker] = true
  override name = 'AccumulatorClosedError'

  constructor(options: { forced: boolean; cause?: unknown }) {
    super({
      code: options.forced ? 'PRODUCER_CLOSED_FORCEFULLY' : 'PRODUCER_CLOSED',
      retriable: false,
      cause: options.cause,
      message: options.forced
        ? 'Producer is closed forcefully: the record was not acknowledged. Close with a timeout long enough ' +
          'for in-flight records (or flush() first) to deliver them.'
        : 'Producer closed while send in progress: no records can be appended after close().',
    })
  }

  /** True for an `AccumulatorClosedError` from any copy of this package. */
  static override isInstance(value: unknown): value is AccumulatorClosedError {
    return KafkaError.isInstance(value) && (value as { [marker]?: boolean })[marker] === true
  }
}
