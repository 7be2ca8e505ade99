import { KafkaError } from './kafka-error.js'

const marker = Symbol.for('x.kafka.error.ProtocolDecodeError')

/**
 * Bytes received from the wire do not follow the Kafka protocol: a length runs past the end of the frame,
 * a varint is too long, a non-nullable field arrived as null (code `PROTOCOL_DECODE_ERROR`, not
 * retriable). Java raises `SchemaException` or a `RuntimeException` from the generated readers for these.
 */
export class ProtocolDecodeError extends KafkaError {
  readonly [marker] = true
  override name = 'ProtocolDecodeError'

  constructor(message: string, cause?: unknown) {
    super({ message, code: 'PROTOCOL_DECODE_ERROR', retriable: false, cause })
  }

  /** True for a `ProtocolDecodeError` from any copy of this package. */
  static override isInstance(value: unknown): value is ProtocolDecodeError {
    return KafkaError.isInstance(value) && (value as { [marker]?: boolean })[marker] === true
  }
}
