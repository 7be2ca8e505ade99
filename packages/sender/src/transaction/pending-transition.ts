import type { TransactionState } from './transaction-state.js'
import { TransactionStateError } from './transaction-state-error.js'
import type { TransactionalRequestResult } from './transactional-request-result.js'

/**
 * The last operation the application started (Java `pendingTransition`). A wait that timed out leaves it
 * running: calling the same operation again returns the same result, and any other operation is refused
 * until a wait saw it complete.
 */
export class PendingTransition {
  private pending:
    | {
        readonly result: TransactionalRequestResult
        readonly state: TransactionState
        readonly operation: string
      }
    | undefined

  /** Java `throwIfPendingState`: refuses `operation` while an earlier one is still unacknowledged. */
  throwIfPending(operation: string, currentState: TransactionState): void {
    const pending = this.pending
    if (pending === undefined) return
    if (pending.result.acked) {
      this.pending = undefined
      return
    }
    throw timedOutBefore(operation, pending.operation, currentState)
  }

  /**
   * Java `handleCachedTransactionRequestResult`: the result of the same operation still pending, or the one
   * `start` returns, remembered as pending until a wait acknowledges it.
   */
  resultOf(
    start: () => TransactionalRequestResult,
    nextState: TransactionState,
    operation: string,
    currentState: TransactionState,
  ): TransactionalRequestResult {
    const pending = this.pending
    if (pending !== undefined) {
      if (pending.result.acked) {
        this.pending = undefined
      } else if (nextState !== pending.state) {
        throw timedOutBefore(operation, pending.operation, currentState)
      } else {
        return pending.result
      }
    }
    const result = start()
    this.pending = { result, state: nextState, operation }
    return result
  }

  /** The operation the application waits on ends with `error` (a no-op once it completed). */
  fail(error: Error): void {
    this.pending?.result.fail(error)
  }
}

function timedOutBefore(
  operation: string,
  previous: string,
  currentState: TransactionState,
): TransactionStateError {
  return new TransactionStateError({
    state: currentState,
    message: `Cannot attempt operation \`${operation}\` because the previous call to \`${previous}\` timed out and must be retried.`,
  })
}
