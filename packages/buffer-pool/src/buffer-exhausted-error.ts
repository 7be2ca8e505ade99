import { KafkaError } from '@x/protocol'

const marker = Symbol.for('x.kafka.error.BufferExhaustedError')

/**
 * Memory for a batch did not become free within `max.block.ms` (Java `BufferExhaustedException`). Retriable,
 * as in Java (a `TimeoutException`): the same send can succeed once the sender has drained batches.
 */
export class BufferExhaustedError extends KafkaError {
  readonly [marker] = true
  override name = 'BufferExhaustedError'
  /** Bytes the caller asked for. */
  readonly requestedBytes: number
  /** The `max.block.ms` the caller waited. */
  readonly maxBlockMs: number

  constructor(options: {
    requestedBytes: number
    maxBlockMs: number
    totalMemory: number
    availableMemory: number
    poolableSize: number
  }) {
    super({
      code: 'BUFFER_EXHAUSTED',
      retriable: true,
      message:
        `Failed to allocate ${options.requestedBytes} bytes within the configured max blocking time ` +
        `${options.maxBlockMs} ms (max.block.ms). Total memory: ${options.totalMemory} bytes (buffer.memory). ` +
        `Available memory: ${options.availableMemory} bytes. Poolable size: ${options.poolableSize} bytes ` +
        '(batch.size). The producer is appending faster than the brokers accept batches: raise buffer.memory ' +
        'or max.block.ms, or slow down sends.',
    })
    this.requestedBytes = options.requestedBytes
    this.maxBlockMs = options.maxBlockMs
  }

  /** True for a `BufferExhaustedError` from any copy of this package. */
  static override isInstance(value: unknown): value is BufferExhaustedError {
    return KafkaError.isInstance(value) && (value as { [marker]?: boolean })[marker] === true
  }
}
