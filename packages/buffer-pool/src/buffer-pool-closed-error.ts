import { KafkaError } from '@x/protocol'

const marker = Symbol.for('x.kafka.error.BufferPoolClosedError')

/**
 * The pool was closed (the producer is closing) before or while an allocation waited for memory. Java throws a
 * plain `KafkaException("Producer closed while allocating memory")`; ours carries its own code. Not retriable.
 */
export class BufferPoolClosedError extends KafkaError {
  readonly [marker] = true
  override name = 'BufferPoolClosedError'
  /** Bytes the caller asked for. */
  readonly requestedBytes: number

  constructor(options: { requestedBytes: number; whileWaiting: boolean }) {
    super({
      code: 'BUFFER_POOL_CLOSED',
      retriable: false,
      message: options.whileWaiting
        ? `Producer closed while waiting to allocate ${options.requestedBytes} bytes of buffer memory; ` +
          'the record was not sent. Send before close() or await flush() first.'
        : `Producer closed: cannot allocate ${options.requestedBytes} bytes of buffer memory after close(). ` +
          'Create a new producer to send more records.',
    })
    this.requestedBytes = options.requestedBytes
  }

  /** True for a `BufferPoolClosedError` from any copy of this package. */
  static override isInstance(value: unknown): value is BufferPoolClosedError {
    return KafkaError.isInstance(value) && (value as { [marker]?: boolean })[marker] === true
  }
}
