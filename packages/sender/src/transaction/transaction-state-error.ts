import { KafkaError } from '@x/protocol'
import type { TransactionState } from './transaction-state.js'

const marker = Symbol.for('x.kafka.error.TransactionStateError')

/**
 * A transactional call that the current state does not allow (Java `IllegalStateException`): e.g.
 * `commitTransaction()` without `beginTransaction()`, a send outside a transaction, or a call while an earlier
 * one that timed out has not been retried. Code `ILLEGAL_STATE`; nothing changed, so the application can
 * correct the call.
 */
export class TransactionStateError extends KafkaError {
  readonly [marker] = true
  override name = 'TransactionStateError'
  readonly state: TransactionState | undefined

  constructor(options: { message: string; state?: TransactionState; cause?: unknown }) {
    super({ code: 'ILLEGAL_STATE', retriable: false, message: options.message, cause: options.cause })
    this.state = options.state
  }

  /** True for a `TransactionStateError` from any copy of this package. */
  static override isInstance(value: unknown): value is TransactionStateError {
    return KafkaError.isInstance(value) && (value as { [marker]?: boolean })[marker] === true
  }
}
