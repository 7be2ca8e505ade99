/**
 * The states of Java's `TransactionManager.State`. An idempotent producer only uses UNINITIALIZED,
 * INITIALIZING, READY and FATAL_ERROR; a transactional one moves through all of them (see the diagram in
 * the package README):
 *
 * - UNINITIALIZED → INITIALIZING: `initTransactions()` (or, idempotent, the first sender pass).
 * - INITIALIZING → READY: InitProducerId answered.
 * - READY → IN_TRANSACTION: `beginTransaction()`.
 * - IN_TRANSACTION → COMMITTING_TRANSACTION / ABORTING_TRANSACTION: `commitTransaction()` / `abortTransaction()`.
 * - COMMITTING / ABORTING → READY: EndTxn answered; → INITIALIZING when the epoch must be bumped first (KIP-360).
 * - IN_TRANSACTION, COMMITTING_TRANSACTION (or INITIALIZING for authorization) → ABORTABLE_ERROR: an error the
 *   application recovers from with `abortTransaction()`.
 * - anything → FATAL_ERROR: fencing, authorization of the transactional id, unsupported versions; only
 *   `close()` remains.
 */
export type TransactionState =
  | 'UNINITIALIZED'
  | 'INITIALIZING'
  | 'READY'
  | 'IN_TRANSACTION'
  | 'COMMITTING_TRANSACTION'
  | 'ABORTING_TRANSACTION'
  | 'ABORTABLE_ERROR'
  | 'FATAL_ERROR'

/** Java `State.isTransitionValid`. */
export function isTransitionValid(source: TransactionState, target: TransactionState): boolean {
  switch (target) {
    case 'UNINITIALIZED':
      return source === 'READY' || source === 'ABORTABLE_ERROR'
    case 'INITIALIZING':
      return source === 'UNINITIALIZED' || source === 'ABORTING_TRANSACTION'
    case 'READY':
      return (
        source === 'INITIALIZING' || source === 'COMMITTING_TRANSACTION' || source === 'ABORTING_TRANSACTION'
      )
    case 'IN_TRANSACTION':
      return source === 'READY'
    case 'COMMITTING_TRANSACTION':
      return source === 'IN_TRANSACTION'
    case 'ABORTING_TRANSACTION':
      return source === 'IN_TRANSACTION' || source === 'ABORTABLE_ERROR'
    case 'ABORTABLE_ERROR':
      return (
        source === 'IN_TRANSACTION' ||
        source === 'COMMITTING_TRANSACTION' ||
        source === 'ABORTABLE_ERROR' ||
        source === 'INITIALIZING'
      )
    case 'FATAL_ERROR':
      // Any state may become fatal; nothing leaves it.
      return true
  }
}
