import type { TopicPartition } from '@x/partitioners'
import { ApiError, ErrorCode } from '@x/protocol'
import { AddOffsetsToTxnHandler } from './add-offsets-to-txn-handler.js'
import { AddPartitionsToTxnHandler } from './add-partitions-to-txn-handler.js'
import { EndTxnHandler } from './end-txn-handler.js'
import { InitProducerIdHandler } from './init-producer-id-handler.js'
import type { PendingTransition } from './pending-transition.js'
import type { ProducerEpoch } from './producer-epoch.js'
import type { TopicPartitionMap } from './topic-partition-map.js'
import type { TransactionPartitions } from './transaction-partitions.js'
import type { TransactionState } from './transaction-state.js'
import { TransactionStateError } from './transaction-state-error.js'
import type { TransactionStateMachine } from './transaction-state-machine.js'
import type { TransactionalRequestResult } from './transactional-request-result.js'
import type { GroupMetadata, PendingOffset, TxnHandlerContext } from './txn-request-handler.js'
import type { TxnRequestQueue } from './txn-request-queue.js'

/** A consumed offset to commit with the transaction (Java `OffsetAndMetadata` for one partition). */
export interface OffsetToCommit extends TopicPartition {
  /** The next offset to consume. */
  readonly offset: bigint
  readonly leaderEpoch?: number
  readonly metadata?: string | null
}

/** The consumer group the offsets belong to (Java `ConsumerGroupMetadata`). */
export interface ConsumerGroupInfo {
  readonly groupId: string
  readonly generationId?: number
  readonly memberId?: string
  readonly groupInstanceId?: string | null
}

export interface TransactionalOperationsParts {
  readonly transactionalId: string | null
  readonly transactionTimeoutMs: number
  /** What request handlers are built with. */
  readonly context: TxnHandlerContext
  readonly states: TransactionStateMachine
  readonly pendingTransition: PendingTransition
  readonly epoch: ProducerEpoch
  readonly partitions: TransactionPartitions
  readonly requests: TxnRequestQueue
  readonly pendingTxnOffsetCommits: TopicPartitionMap<PendingOffset>
}

/**
 * What the application's transactional calls do (Java's `initializeTransactions`, `beginTransaction`,
 * `beginCommit`, `beginAbort`, `sendOffsetsToTransaction`): the checks that refuse them, the transition, and
 * the requests they queue, whose `TransactionalRequestResult` the producer awaits; and why a send is
 * refused.
 */
export class TransactionalOperations {
  constructor(private readonly parts: TransactionalOperationsParts) {}

  /** `initTransactions()`: InitProducerId for the transactional id (after FindCoordinator). */
  initializeTransactions(): TransactionalRequestResult {
    const { states, context, requests } = this.parts
    states.maybeFailWithError('initTransactions()')
    return this.resultOf(
      () => {
        states.transitionTo('INITIALIZING')
        const handler = new InitProducerIdHandler(
          context,
          {
            transactionalId: this.parts.transactionalId,
            transactionTimeoutMs: this.parts.transactionTimeoutMs,
            producerId: -1n,
            producerEpoch: -1,
          },
          false,
        )
        requests.enqueue(handler)
        return handler.result
      },
      'INITIALIZING',
      'initTransactions',
    )
  }

  beginTransaction(): void {
    const { states, pendingTransition } = this.parts
    this.ensureTransactional()
    pendingTransition.throwIfPending('beginTransaction', states.state)
    states.maybeFailWithError('beginTransaction()')
    states.transitionTo('IN_TRANSACTION')
  }

  /** EndTxn(commit), sent once every batch of the transaction is done. */
  beginCommit(): TransactionalRequestResult {
    const states = this.parts.states
    return this.resultOf(
      () => {
        states.maybeFailWithError('commitTransaction()')
        states.transitionTo('COMMITTING_TRANSACTION')
        return this.beginCompletingTransaction(true)
      },
      'COMMITTING_TRANSACTION',
      'commitTransaction',
    )
  }

  /** Unsent batches fail with `TransactionAbortedError` (the sender does it), then EndTxn(abort). */
  beginAbort(): TransactionalRequestResult {
    const states = this.parts.states
    return this.resultOf(
      () => {
        if (states.state !== 'ABORTABLE_ERROR') states.maybeFailWithError('abortTransaction()')
        // Java clears lastError in this transition, which leaves its INVALID_PRODUCER_ID_MAPPING check below
        // without effect; the error that made the transaction abortable is kept for that decision.
        const cause = states.lastError
        states.transitionTo('ABORTING_TRANSACTION')
        // Nothing more joins a transaction that is aborting.
        this.parts.partitions.dropNew()
        return this.beginCompletingTransaction(false, cause)
      },
      'ABORTING_TRANSACTION',
      'abortTransaction',
    )
  }

  /** AddOffsetsToTxn, then TxnOffsetCommit to the group coordinator. */
  sendOffsetsToTransaction(
    offsets: readonly OffsetToCommit[],
    group: ConsumerGroupInfo,
  ): TransactionalRequestResult {
    const { states, pendingTransition, context } = this.parts
    this.ensureTransactional()
    pendingTransition.throwIfPending('sendOffsetsToTransaction', states.state)
    states.maybeFailWithError('sendOffsetsToTransaction()')
    if (states.state !== 'IN_TRANSACTION') {
      throw new TransactionStateError({
        state: states.state,
        message: `Cannot send offsets if a transaction is not in progress (currentState=${states.state}): call beginTransaction() first.`,
      })
    }
    const groupMetadata: GroupMetadata = {
      groupId: group.groupId,
      generationId: group.generationId ?? -1,
      memberId: group.memberId ?? '',
      groupInstanceId: group.groupInstanceId ?? null,
    }
    const { producerId, epoch } = this.parts.epoch.producerIdAndEpoch
    const handler = new AddOffsetsToTxnHandler(
      context,
      {
        transactionalId: this.parts.transactionalId!,
        producerId,
        producerEpoch: epoch,
        groupId: group.groupId,
      },
      groupMetadata,
    )
    for (const offset of offsets) {
      this.parts.pendingTxnOffsetCommits.set(offset.topic, offset.partition, {
        offset: offset.offset,
        metadata: offset.metadata ?? '',
        leaderEpoch: offset.leaderEpoch ?? -1,
      })
    }
    this.parts.requests.enqueue(handler)
    return handler.result
  }

  /** See `TransactionManager.failIfNotReadyForSend`, which passes the sends that need no check itself. */
  failIfNotReadyForSend(): void {
    const states = this.parts.states
    if (states.state === 'IN_TRANSACTION') return
    if (this.parts.transactionalId === null) {
      // Idempotent: only a fatal error (e.g. CLUSTER_AUTHORIZATION_FAILED) refuses sends.
      if (states.state === 'FATAL_ERROR') throw states.lastError!
      return
    }
    states.maybeFailWithError('send()')
    this.parts.pendingTransition.throwIfPending('send', states.state)
    if (!this.parts.epoch.hasProducerId()) {
      throw new TransactionStateError({
        state: states.state,
        message:
          'Cannot send with a transactionalId before initTransactions() has completed: call and await initTransactions() first.',
      })
    }
    throw new TransactionStateError({
      state: states.state,
      message: `Cannot send outside a transaction (currentState=${states.state}): call beginTransaction() first.`,
    })
  }

  /** EndTxn succeeded (or had nothing to end): READY, or INITIALIZING when the epoch must be bumped first. */
  completeTransaction(): void {
    const epoch = this.parts.epoch
    this.parts.states.transitionTo(epoch.bumpRequired ? 'INITIALIZING' : 'READY')
    epoch.bumpRequired = false
    this.parts.partitions.clear()
  }

  /** New partitions of the transaction go out in one AddPartitionsToTxn (with those still pending). */
  maybeEnqueueAddPartitions(): void {
    const partitions = this.parts.partitions
    if (!partitions.hasNew()) return
    const { producerId, epoch } = this.parts.epoch.producerIdAndEpoch
    this.parts.requests.enqueue(
      new AddPartitionsToTxnHandler(this.parts.context, {
        v3AndBelowTransactionalId: this.parts.transactionalId!,
        v3AndBelowProducerId: producerId,
        v3AndBelowProducerEpoch: epoch,
        v3AndBelowTopics: partitions.takeNewAsPending(),
      }),
    )
  }

  private beginCompletingTransaction(committed: boolean, cause?: Error): TransactionalRequestResult {
    const { context, requests, epoch } = this.parts
    this.maybeEnqueueAddPartitions()
    // With INVALID_PRODUCER_ID_MAPPING the coordinator refuses EndTxn: go straight to InitProducerId.
    // Otherwise EndTxn first (InitProducerId alone would fence us).
    const invalidMapping =
      ApiError.isInstance(cause) && cause.errorCode === ErrorCode.INVALID_PRODUCER_ID_MAPPING
    if (!invalidMapping) {
      const { producerId, epoch: producerEpoch } = epoch.producerIdAndEpoch
      const handler = new EndTxnHandler(context, {
        transactionalId: this.parts.transactionalId!,
        producerId,
        producerEpoch,
        committed,
      })
      requests.enqueue(handler)
      if (!epoch.bumpRequired) return handler.result
    }
    // KIP-588: the abort is followed by an epoch bump, whose result is the one to wait for.
    const handler = new InitProducerIdHandler(
      context,
      {
        transactionalId: this.parts.transactionalId,
        transactionTimeoutMs: this.parts.transactionTimeoutMs,
        producerId: epoch.producerIdAndEpoch.producerId,
        producerEpoch: epoch.producerIdAndEpoch.epoch,
      },
      true,
    )
    requests.enqueue(handler)
    return handler.result
  }

  private ensureTransactional(): void {
    if (this.parts.transactionalId === null) {
      throw new TransactionStateError({
        message: 'Transactional method invoked on a non-transactional producer: set transactionalId.',
      })
    }
  }

  /** Java `handleCachedTransactionRequestResult`: a timed-out operation called again waits on the same result. */
  private resultOf(
    start: () => TransactionalRequestResult,
    nextState: TransactionState,
    operation: string,
  ): TransactionalRequestResult {
    this.ensureTransactional()
    return this.parts.pendingTransition.resultOf(start, nextState, operation, this.parts.states.state)
  }
}
