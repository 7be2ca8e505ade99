import { KafkaError } from '@x/protocol'

const marker = Symbol.for('x.kafka.error.AllocationTooLargeError')

/**
 * An allocation asked for more than the whole pool (`buffer.memory`), so waiting could never succeed. Java
 * throws `IllegalArgumentException` here; the producer checks the record size first and reports
 * `RecordTooLargeError`, so seeing this one means a caller skipped that check. Not retriable.
 */
export class AllocationTooLargeError extends KafkaError {
  readonly [marker] = true
  override name = 'AllocationTooLargeError'
  /** Bytes the caller asked for. */
  readonly requestedBytes: number
  /** The pool's `buffer.memory`. */
  readonly totalMemory: number

  constructor(options: { requestedBytes: number; totalMemory: number }) {
    super({
      code: 'ALLOCATION_TOO_LARGE',
      retriable: false,
      message:
        `Attempt to allocate ${options.requestedBytes} bytes, but buffer.memory is ${options.totalMemory} bytes, ` +
        'the hard limit on memory allocations. Raise buffer.memory above the largest record batch, or send ' +
        'smaller records.',
    })
    this.requestedBytes = options.requestedBytes
    this.totalMemory = options.totalMemory
  }

  /** True for an `AllocationTooLargeError` from any copy of this package. */
  static override isInstance(value: unknown): value is AllocationTooLargeError {
    return KafkaError.isInstance(value) && (value as { [marker]?: boolean })[marker] === true
  }
}
