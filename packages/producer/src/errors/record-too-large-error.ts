import { KafkaError } from '@x/protocol'

const marker = Symbol.for('x.kafka.error.RecordTooLargeError')

/**
 * A record is larger than `max.request.size` or `buffer.memory` once serialized (Java
 * `RecordTooLargeException`), so it can never be sent. Its code is the broker's `MESSAGE_TOO_LARGE`, so one
 * check covers the client-side and the broker-side refusal. Only this record fails.
 */
export class RecordTooLargeError extends KafkaError {
  readonly [marker] = true
  override name = 'RecordTooLargeError'
  /** The record's size upper bound as a batch of its own, in bytes. */
  readonly sizeInBytes: number
  /** The limit it exceeded, in bytes. */
  readonly limit: number
  /** Which option sets that limit. */
  readonly option: 'maxRequestSize' | 'bufferMemory'

  constructor(options: { sizeInBytes: number; limit: number; option: 'maxRequestSize' | 'bufferMemory' }) {
    const { sizeInBytes, limit, option } = options
    super({
      code: 'MESSAGE_TOO_LARGE',
      retriable: false,
      message:
        option === 'maxRequestSize'
          ? `The message is ${sizeInBytes} bytes when serialized which is larger than ${limit}, which is the ` +
            "value of the maxRequestSize (max.request.size) option. Raise maxRequestSize (and the topic's " +
            'max.message.bytes), or send a smaller record.'
          : `The message is ${sizeInBytes} bytes when serialized which is larger than the total memory ` +
            `buffer you have configured with the bufferMemory (buffer.memory) option (${limit} bytes). ` +
            'Raise bufferMemory, or send a smaller record.',
    })
    this.sizeInBytes = sizeInBytes
    this.limit = limit
    this.option = option
  }

  /** True for a `RecordTooLargeError` from any copy of this package. */
  static override isInstance(value: unknown): value is RecordTooLargeError {
    return KafkaError.isInstance(value) && (value as { [marker]?: boolean })[marker] === true
  }
}
