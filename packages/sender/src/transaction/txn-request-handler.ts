import type { ProducerIdAndEpoch } from '@x/accumulator'
import type { TopicPartition } from '@x/partitioners'
import { errorCodeInfo, errorForCode, KafkaError } from '@x/protocol'
import type { BrokerNode } from '../network/broker-node.js'
import type { ClientResponse } from '../network/client-request.js'
import type { NetworkClient } from '../network/network-client.js'
import type { TopicPartitionMap } from './topic-partition-map.js'
import type { TransactionState } from './transaction-state.js'
import { TransactionalRequestResult } from './transactional-request-result.js'

/** Which coordinator a request goes to (Java `FindCoordinatorRequest.CoordinatorType`): key type 1 or 0. */
export type CoordinatorType = 'transaction' | 'group'

/**
 * Send order of pending transactional requests (Java `TransactionManager.Priority`): a coordinator lookup
 * first, then a producer id, then partitions/offsets, then EndTxn; an epoch bump after the EndTxn it follows.
 */
export const TxnPriority = {
  FIND_COORDINATOR: 0,
  INIT_PRODUCER_ID: 1,
  ADD_PARTITIONS_OR_OFFSETS: 2,
  END_TXN: 3,
  EPOCH_BUMP: 4,
} as const

/** What request handlers may do to the transaction manager (the parts of Java's outer class they use). */
export interface TxnHandlerContext {
  readonly transactionalId: string | null
  readonly retryBackoffMs: number
  readonly state: TransactionState
  isTransactional(): boolean
  currentProducerIdAndEpoch(): ProducerIdAndEpoch
  setProducerIdAndEpoch(value: ProducerIdAndEpoch): void
  transitionTo(target: TransactionState, error?: Error): void
  transitionToFatalError(error: Error): void
  transitionToAbortableError(error: Error): void
  canBumpEpoch(): boolean
  requireEpochBump(): void
  enqueueRequest(handler: TxnRequestHandler): void
  lookupCoordinator(type: CoordinatorType, key: string): void
  setCoordinator(type: CoordinatorType, node: BrokerNode): void
  resetSequenceNumbers(): void
  completeTransaction(): void
  markTransactionStarted(): void
  nowMs(): number
  /** AddPartitionsToTxn answered: these partitions are no longer pending (added or not). */
  removePendingPartitions(partitions: readonly TopicPartition[]): void
  /** AddPartitionsToTxn succeeded: batches for these partitions may be sent. */
  addPartitionsToTransaction(partitions: readonly TopicPartition[]): void
  hasPartitionsInTransaction(): boolean
  /** Offsets of `sendOffsetsToTransaction` not yet committed by TxnOffsetCommit. */
  readonly pendingTxnOffsetCommits: TopicPartitionMap<PendingOffset>
  /** Queues the TxnOffsetCommit that follows a successful AddOffsetsToTxn, settling `result`. */
  enqueueTxnOffsetCommit(result: TransactionalRequestResult, group: GroupMetadata): void
}

/** One offset to commit in the transaction (Java `TxnOffsetCommitRequest.CommittedOffset`). */
export interface PendingOffset {
  readonly offset: bigint
  readonly metadata: string | null
  /** -1 when unknown. */
  readonly leaderEpoch: number
}

/** The consumer group offsets are committed for (Java `ConsumerGroupMetadata`). */
export interface GroupMetadata {
  readonly groupId: string
  readonly generationId: number
  readonly memberId: string
  readonly groupInstanceId: string | null
}

/**
 * One transactional request and what to do with its answer (Java `TxnRequestHandler`). The sender sends at
 * most one at a time; a retriable error puts it back in the queue (`reenqueue`), after `retry.backoff.ms`.
 */
export abstract class TxnRequestHandler {
  readonly result: TransactionalRequestResult
  isRetry = false
  /** A retry is not sent before this time. */
  retryAtMs = 0
  abstract readonly priority: number
  abstract readonly name: string

  constructor(
    protected readonly tm: TxnHandlerContext,
    result: TransactionalRequestResult | string,
  ) {
    this.result = typeof result === 'string' ? new TransactionalRequestResult(result) : result
  }

  /** Sends the request (built now, so a retry carries what is still pending) through `client`. */
  abstract send(
    client: NetworkClient,
    nodeId: number,
    nowMs: number,
    onComplete: (response: ClientResponse<unknown>) => void,
  ): void

  abstract handleResponse(body: unknown, apiVersion: number): void

  /** The coordinator the request must go to; undefined for any broker (FindCoordinator, idempotent InitProducerId). */
  coordinatorType(): CoordinatorType | undefined {
    return 'transaction'
  }

  coordinatorKey(): string {
    return this.tm.transactionalId ?? ''
  }

  isEndTxn(): boolean {
    return false
  }

  retryBackoffMs(): number {
    return this.tm.retryBackoffMs
  }

  fatalError(error: Error): void {
    this.result.fail(error)
    this.tm.transitionToFatalError(error)
  }

  abortableError(error: Error): void {
    this.result.fail(error)
    this.tm.transitionToAbortableError(error)
  }

  /** KIP-360/588: abortable when the coordinator can bump the epoch afterwards, else fatal. */
  abortableErrorIfPossible(error: Error): void {
    if (this.tm.canBumpEpoch()) {
      this.tm.requireEpochBump()
      this.abortableError(error)
    } else {
      this.fatalError(error)
    }
  }

  fail(error: Error): void {
    this.result.fail(error)
  }

  /** Back in the queue for another attempt after `retry.backoff.ms`. */
  reenqueue(): void {
    this.isRetry = true
    this.retryAtMs = this.tm.nowMs() + this.retryBackoffMs()
    this.tm.enqueueRequest(this)
  }
}

/** The broker's error for a code (never null: callers pass a non-zero code). */
export function errorOf(errorCode: number, message?: string | null): KafkaError {
  return (
    errorForCode(errorCode, message) ??
    new KafkaError({ code: 'ILLEGAL_STATE', message: `Error code ${errorCode} is not an error.` })
  )
}

/** Java: `error.exception() instanceof RetriableException`. */
export function isRetriableCode(errorCode: number): boolean {
  return errorCodeInfo(errorCode)?.retriable ?? false
}

/** A fatal error for a response the transaction manager cannot handle. */
export function unexpectedError(api: string, errorCode: number, message?: string | null): KafkaError {
  return new KafkaError({
    code: 'UNEXPECTED_TRANSACTION_ERROR',
    message: `Unexpected error in ${api} response: ${errorOf(errorCode, message).message}`,
    cause: errorOf(errorCode, message),
  })
}
