import { KafkaError } from './kafka-error.js'

const marker = Symbol.for('x.kafka.error.ProtocolEncodeError')

/**
 * A value cannot be written in the Kafka wire format: a string longer than 32767 UTF-8 bytes, null in a
 * field that is not nullable in the version being written, a malformed UUID (code
 * `PROTOCOL_ENCODE_ERROR`, not retriable). The message names the field and the fix.
 */
export class ProtocolEncodeError extends KafkaError {
  readonly [marker] = true
  override name = 'ProtocolEncodeError'

  constructor(message: string, cause?: unknown) {
    super({ message, code: 'PROTOCOL_ENCODE_ERROR', retriable: false, cause })
  }

  /** True for a `ProtocolEncodeError` from any copy of this package. */
  static override isInstance(value: unknown): value is ProtocolEncodeError {
    return KafkaError.isInstance(value) && (value as { [marker]?: boolean })[marker] === true
  }
}
