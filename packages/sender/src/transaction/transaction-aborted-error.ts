import { KafkaError } from '@x/protocol'

const marker = Symbol.for('x.kafka.error.TransactionAbortedError')

/**
 * The record was still waiting to be sent when its transaction was aborted (Java
 * `TransactionAbortedException`): it was never written. `cause` is the error that made the transaction
 * abort, if any. Not retriable as such: send it again in a new transaction.
 */
export class TransactionAbortedError extends KafkaError {
  readonly [marker] = true
  override name = 'TransactionAbortedError'

  constructor(options: { cause?: unknown } = {}) {
    super({
      code: 'TRANSACTION_ABORTED',
      retriable: false,
      message:
        'Failing batch since transaction was aborted: the record was not written. Send it again in a new transaction.',
      cause: options.cause,
    })
  }

  /** True for a `TransactionAbortedError` from any copy of this package. */
  static override isInstance(value: unknown): value is TransactionAbortedError {
    return KafkaError.isInstance(value) && (value as { [marker]?: boolean })[marker] === true
  }
}
