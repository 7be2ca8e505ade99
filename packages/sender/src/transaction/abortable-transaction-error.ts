import { KafkaError } from '@x/protocol'

const marker = Symbol.for('x.kafka.error.AbortableTransactionError')

/**
 * The ongoing transaction hit an error it cannot commit past (a failed record, an expired batch, a refused
 * partition or group), so transactional calls and sends refuse until the application calls
 * `abortTransaction()`, after which a new transaction may begin. `cause` is that error. (Java throws a
 * `KafkaException` wrapping it from the same calls.)
 */
export class AbortableTransactionError extends KafkaError {
  readonly [marker] = true
  override name = 'AbortableTransactionError'

  constructor(options: { operation: string; cause: unknown }) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause)
    super({
      code: 'ABORTABLE_TRANSACTION_ERROR',
      retriable: false,
      message: `Cannot ${options.operation} because the transaction is in an abortable error state (${reason}). Call abortTransaction(), then begin a new transaction.`,
      cause: options.cause,
    })
  }

  /** True for an `AbortableTransactionError` from any copy of this package. */
  static override isInstance(value: unknown): value is AbortableTransactionError {
    return KafkaError.isInstance(value) && (value as { [marker]?: boolean })[marker] === true
  }
}
