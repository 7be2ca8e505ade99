import { KafkaError } from '@x/protocol'

const marker = Symbol.for('x.kafka.error.SerializationError')

/**
 * The key or value serializer threw or returned something other than bytes (Java `SerializationException`).
 * `send()` throws it synchronously: the record was not accepted, and no other record is affected.
 */
export class SerializationError extends KafkaError {
  readonly [marker] = true
  override name = 'SerializationError'
  readonly topic: string
  /** Which part of the record failed to serialize. */
  readonly part: 'key' | 'value'

  constructor(options: { topic: string; part: 'key' | 'value'; message: string; cause?: unknown }) {
    super({ code: 'SERIALIZATION_ERROR', retriable: false, message: options.message, cause: options.cause })
    this.topic = options.topic
    this.part = options.part
  }

  /** True for a `SerializationError` from any copy of this package. */
  static override isInstance(value: unknown): value is SerializationError {
    return KafkaError.isInstance(value) && (value as { [marker]?: boolean })[marker] === true
  }
}
