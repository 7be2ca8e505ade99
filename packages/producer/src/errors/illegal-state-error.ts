import { KafkaError } from '@x/protocol'

const marker = Symbol.for('x.kafka.error.IllegalStateError')

/**
 * A method was called when the producer cannot honour it (Java `IllegalStateException`), e.g. a
 * transactional method on a producer without `transactionalId`. Not retriable: the call is wrong here.
 */
export class IllegalStateError extends KafkaError {
  readonly [marker] = true
  override name = 'IllegalStateError'

  constructor(options: { message: string; cause?: unknown }) {
    super({ code: 'ILLEGAL_STATE', retriable: false, message: options.message, cause: options.cause })
  }

  /** True for an `IllegalStateError` from any copy of this package. */
  static override isInstance(value: unknown): value is IllegalStateError {
    return KafkaError.isInstance(value) && (value as { [marker]?: boolean })[marker] === true
  }
}
