import { KafkaError } from '@x/protocol'
import { AbortableTransactionError } from './abortable-transaction-error.js'
import type { PendingTransition } from './pending-transition.js'
import { isTransitionValid, type TransactionState } from './transaction-state.js'
import { TransactionStateError } from './transaction-state-error.js'

/** Anything thrown, as an `Error` (a non-error value becomes a `KafkaError` carrying its text). */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new KafkaError({ message: String(error) })
}

/**
 * The transaction manager's current state and the error that put it there (Java's `currentState` and
 * `lastError`), the transitions between states (see `transaction-state.ts`), and how an error state turns
 * calls away: a fatal error is thrown as is, an abortable one asks for `abortTransaction()`.
 */
export class TransactionStateMachine {
  private currentState: TransactionState = 'UNINITIALIZED'
  private lastErrorValue: Error | undefined

  constructor(
    private readonly transactionalId: string | null,
    private readonly pendingTransition: PendingTransition,
  ) {}

  get state(): TransactionState {
    return this.currentState
  }

  /** The error of the FATAL_ERROR or ABORTABLE_ERROR state; undefined in any other state. */
  get lastError(): Error | undefined {
    return this.lastErrorValue
  }

  hasFatalError(): boolean {
    return this.currentState === 'FATAL_ERROR'
  }

  hasAbortableError(): boolean {
    return this.currentState === 'ABORTABLE_ERROR'
  }

  hasError(): boolean {
    return this.hasFatalError() || this.hasAbortableError()
  }

  isCompleting(): boolean {
    return this.currentState === 'COMMITTING_TRANSACTION' || this.currentState === 'ABORTING_TRANSACTION'
  }

  isAborting(): boolean {
    return this.currentState === 'ABORTING_TRANSACTION'
  }

  /** Transactions count as ongoing from `beginTransaction` until they complete or fail fatally. */
  hasOngoingTransaction(): boolean {
    return this.currentState === 'IN_TRANSACTION' || this.isCompleting() || this.hasAbortableError()
  }

  /** Changes state, or throws `TransactionStateError` (leaving the state as it was) when not allowed. */
  transitionTo(target: TransactionState, error?: Error): void {
    if (!isTransitionValid(this.currentState, target)) {
      const prefix = this.transactionalId === null ? '' : `TransactionalId ${this.transactionalId}: `
      throw new TransactionStateError({
        state: this.currentState,
        message: `${prefix}Invalid transition attempted from state ${this.currentState} to state ${target}.`,
      })
    }
    if (target === 'FATAL_ERROR' || target === 'ABORTABLE_ERROR') {
      if (error === undefined)
        throw new KafkaError({
          code: 'ILLEGAL_STATE',
          message: `Cannot transition to ${target} without an error.`,
        })
      this.lastErrorValue = error
    } else {
      this.lastErrorValue = undefined
    }
    this.currentState = target
  }

  /** Only `close()` remains; the operation the application waits on ends with `error`. */
  transitionToFatalError(error: Error): void {
    this.transitionTo('FATAL_ERROR', error)
    this.pendingTransition.fail(error)
  }

  /** The application recovers with `abortTransaction()`. */
  transitionToAbortableError(error: Error): void {
    // Already aborting: the abort goes on.
    if (this.currentState === 'ABORTING_TRANSACTION') return
    this.transitionTo('ABORTABLE_ERROR', error)
  }

  /** After an authorization error: `initTransactions()` may be called again once the ACL is fixed. */
  transitionToUninitialized(error: Error): void {
    this.transitionTo('UNINITIALIZED')
    this.pendingTransition.fail(error)
  }

  /** Java `maybeFailWithError`: calls refuse in an error state — the fatal error itself, or an abortable one. */
  maybeFailWithError(operation: string): void {
    if (!this.hasError()) return
    const error = this.lastErrorValue!
    if (this.hasFatalError()) throw error
    throw new AbortableTransactionError({ operation, cause: error })
  }

  /** Runs sender-side work; an invalid transition there poisons the manager (Java KAFKA-14831). */
  safely<T>(work: () => T): T | undefined {
    try {
      return work()
    } catch (error) {
      const failure = asError(error)
      if (this.currentState !== 'FATAL_ERROR') this.transitionToFatalError(failure)
      return undefined
    }
  }
}
