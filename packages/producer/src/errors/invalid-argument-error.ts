import { KafkaError } from '@x/protocol'

const marker = Symbol.for('x.kafka.error.InvalidArgumentError')

/**
 * A call got an argument it cannot use: a record without a topic, a negative or fractional partition, an
 * invalid timestamp, malformed headers, a partitioner returning a bad partition (Java
 * `IllegalArgumentException`). Thrown synchronously; nothing was sent and no other record is affected.
 */
export class InvalidArgumentError extends KafkaError {
  readonly [marker] = true
  override name = 'InvalidArgumentError'
  /** The argument or record field at fault, e.g. `record.partition`. */
  readonly argument: string

  constructor(options: { argument: string; message: string; cause?: unknown }) {
    super({ code: 'INVALID_ARGUMENT', retriable: false, message: options.message, cause: options.cause })
    this.argument = options.argument
  }

  /** True for an `InvalidArgumentError` from any copy of this package. */
  static override isInstance(value: unknown): value is InvalidArgumentError {
    return KafkaError.isInstance(value) && (value as { [marker]?: boolean })[marker] === true
  }
}
