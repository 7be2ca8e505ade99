import { KafkaError } from '../errors/kafka-error.js'

const marker = Symbol.for('x.kafka.error.InvalidFrameSizeError')

/**
 * A size prefix read from the socket is negative or larger than allowed (Java's `InvalidReceiveException`).
 * Usually the peer speaks another protocol: a TLS server answering a plaintext client, an HTTP endpoint.
 * Code `INVALID_FRAME_SIZE`, not retriable on the same connection.
 */
export class InvalidFrameSizeError extends KafkaError {
  readonly [marker] = true
  override name = 'InvalidFrameSizeError'
  readonly size: number
  readonly maxFrameSize: number

  constructor(size: number, maxFrameSize: number) {
    super({
      code: 'INVALID_FRAME_SIZE',
      retriable: false,
      message:
        size < 0
          ? `Invalid frame size ${size}: a Kafka frame size cannot be negative. Is the peer speaking the Kafka protocol ` +
            '(check the port, and TLS versus plaintext)?'
          : `Frame of ${size} bytes exceeds maxFrameSize ${maxFrameSize}. Is the peer speaking the Kafka protocol ` +
            '(check the port, and TLS versus plaintext)? If the frame is genuine, raise maxFrameSize.',
    })
    this.size = size
    this.maxFrameSize = maxFrameSize
  }

  /** True for an `InvalidFrameSizeError` from any copy of this package. */
  static override isInstance(value: unknown): value is InvalidFrameSizeError {
    return KafkaError.isInstance(value) && (value as { [marker]?: boolean })[marker] === true
  }
}
