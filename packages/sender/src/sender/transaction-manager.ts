import type { ProducerBatch, RecordAccumulator } from '@x/accumulator'
import type { Metadata } from '../metadata/metadata.js'
import type { BrokerNode } from '../network/broker-node.js'
import type { NetworkClient } from '../network/network-client.js'
import type { PartitionResponse } from './partition-response.js'

/** What a transaction manager may use to send its own requests during a sender pass. */
export interface TransactionalRequestContext {
  readonly nowMs: number
  readonly client: NetworkClient
  readonly metadata: Metadata
  readonly accumulator: RecordAccumulator
  /** The least-loaded broker (for InitProducerId without transactional id, FindCoordinator). */
  leastLoadedNode(): BrokerNode | undefined
  /** Asks for another pass, e.g. after a transactional response or when a backoff ends (`delayMs`). */
  wakeup(delayMs?: number): void
}

/**
 * The seam for idempotence and transactions: the sender consults it exactly where Java's `Sender` consults
 * `TransactionManager`. The default (`noTransactionManager`) makes the sender a plain at-least-once sender:
 * retriable errors retry, nothing else is tracked. The accumulator's `TransactionManagerHooks` (producer id,
 * sequences at drain time) are the other half, given to the `RecordAccumulator`.
 */
export interface SenderTransactionManager {
  isTransactional(): boolean
  /** `transactional.id`, sent in every Produce request; null when not transactional. */
  readonly transactionalId: string | null
  /** Start of each pass (Java `maybeResolveSequences`): settle sequences of batches whose fate is known. */
  maybeResolveSequences(nowMs: number): void
  /** A fatal error stops sending: undrained batches are aborted with `lastError()`. */
  hasFatalError(): boolean
  lastError(): Error | undefined
  /** Start of each pass: bump the epoch / reset the producer id when a previous error requires it. */
  bumpIdempotentEpochAndResetIdIfNeeded(nowMs: number): void
  /**
   * Java `maybeSendAndPollTransactionalRequest`: sends at most one transactional request (InitProducerId,
   * FindCoordinator, AddPartitionsToTxn, EndTxn…) through `context`. Returning true skips Produce for this
   * pass (the transactional request must complete first).
   */
  maybeSendTransactionalRequest(context: TransactionalRequestContext): boolean
  /** Whether a failed batch may be retried (replaces "the error is retriable"). */
  canRetry(response: PartitionResponse, batch: ProducerBatch): boolean
  handleCompletedBatch(batch: ProducerBatch, response: PartitionResponse): void
  handleFailedBatch(batch: ProducerBatch, error: Error, adjustSequenceNumbers: boolean): void
  /** A batch leaves the in-flight set without completing (it was split). */
  removeInFlightBatch(batch: ProducerBatch): void
  /** A batch expired after being sent: its sequence's fate is unknown until resolved. */
  markSequenceUnresolved(batch: ProducerBatch): void
  /** Graceful close waits while transactional requests are pending in an ongoing transaction. */
  hasPendingRequests(): boolean
  hasOngoingTransaction(): boolean
  isCompleting(): boolean
  /** Close with a transaction open: abort it. */
  beginAbort(): void
  /** Forced close: fail pending transactional requests. */
  close(): void
}

/** The no-op default: idempotence off. A batch may be retried when its error is retriable. */
export const noTransactionManager: SenderTransactionManager = Object.freeze({
  isTransactional: () => false,
  transactionalId: null,
  maybeResolveSequences: () => {},
  hasFatalError: () => false,
  lastError: () => undefined,
  bumpIdempotentEpochAndResetIdIfNeeded: () => {},
  maybeSendTransactionalRequest: () => false,
  canRetry: (response: PartitionResponse) => response.error?.retriable === true,
  handleCompletedBatch: () => {},
  handleFailedBatch: () => {},
  removeInFlightBatch: () => {},
  markSequenceUnresolved: () => {},
  hasPendingRequests: () => false,
  hasOngoingTransaction: () => false,
  isCompleting: () => false,
  beginAbort: () => {},
  close: () => {},
})
