import type { ProducerBatch, ProducerIdAndEpoch, TransactionManagerHooks } from '@x/accumulator'
import type { TopicPartition } from '@x/partitioners'
import { ApiError, ErrorCode, KafkaError, UnsupportedVersionError } from '@x/protocol'
import { type SenderClock, systemClock } from '../clock.js'
import type { BrokerNode } from '../network/broker-node.js'
import type { ClientResponse } from '../network/client-request.js'
import type { PartitionResponse } from '../sender/partition-response.js'
import type { SenderTransactionManager, TransactionalRequestContext } from '../sender/transaction-manager.js'
import { AddOffsetsToTxnHandler } from './add-offsets-to-txn-handler.js'
import { AddPartitionsToTxnHandler } from './add-partitions-to-txn-handler.js'
import { BatchOutcomes } from './batch-outcomes.js'
import { EndTxnHandler } from './end-txn-handler.js'
import { FindCoordinatorHandler } from './find-coordinator-handler.js'
import { InitProducerIdHandler } from './init-producer-id-handler.js'
import { PartitionSequences } from './partition-sequences.js'
import { PendingTransition } from './pending-transition.js'
import { ProducerEpoch } from './producer-epoch.js'
import { describeProducerIdAndEpoch, NO_PRODUCER_ID_AND_EPOCH } from './producer-id-and-epoch.js'
import { TopicPartitionMap, TopicPartitionSet } from './topic-partition-map.js'
import { TransactionAbortedError } from './transaction-aborted-error.js'
import { TXN_APIS } from './transaction-apis.js'
import type { TransactionState } from './transaction-state.js'
import { TransactionStateError } from './transaction-state-error.js'
import { asError, TransactionStateMachine } from './transaction-state-machine.js'
import type { TransactionalRequestResult } from './transactional-request-result.js'
import { TxnOffsetCommitHandler } from './txn-offset-commit-handler.js'
import type {
  CoordinatorType,
  GroupMetadata,
  PendingOffset,
  TxnHandlerContext,
  TxnRequestHandler,
} from './txn-request-handler.js'
import { TxnRequestQueue } from './txn-request-queue.js'

export interface TransactionManagerOptions {
  /** `transactional.id`; without it the manager gives idempotence only. */
  transactionalId?: string | null
  /** `transaction.timeout.ms`, sent in InitProducerId. Default 60000. */
  transactionTimeoutMs?: number
  /** `retry.backoff.ms` between attempts of a transactional request. Default 100. */
  retryBackoffMs?: number
  /** Times the waits of `TransactionalRequestResult.await` and request backoffs: the sender's clock. */
  clock?: SenderClock
}

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

function isAuthorizationError(error: unknown): error is ApiError {
  return (
    ApiError.isInstance(error) &&
    (error.errorCode === ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED ||
      error.errorCode === ErrorCode.CLUSTER_AUTHORIZATION_FAILED)
  )
}

/**
 * Idempotence and transactions (Java `TransactionManager`). One object is both halves of the seam: the
 * accumulator's `TransactionManagerHooks` (producer id/epoch and sequences assigned at drain) and the
 * sender's `SenderTransactionManager` (transactional requests, retries, epoch bumps). The application side —
 * `initializeTransactions`, `beginTransaction`, `beginCommit`, `beginAbort`, `sendOffsetsToTransaction` —
 * returns `TransactionalRequestResult`s the producer awaits.
 *
 * Idempotence: InitProducerId (least-loaded broker) on the first pass; per-partition sequences from 0;
 * retried batches keep their sequence, go back in sequence order and only the oldest in flight is resent;
 * OUT_OF_ORDER_SEQUENCE_NUMBER and UNKNOWN_PRODUCER_ID are retried, bumping the epoch locally when the log
 * really has a gap (KIP-360); a batch that expired after being sent leaves its partition "unresolved" until
 * later acknowledgements prove where the sequence stands, or the epoch is bumped.
 *
 * Transactions: FindCoordinator and InitProducerId with the transaction timeout (fencing older producers
 * and aborting their open transaction); partitions join the transaction in batched AddPartitionsToTxn
 * requests before their first Produce; offsets through AddOffsetsToTxn + TxnOffsetCommit; EndTxn once every
 * batch is done. Errors are fatal (fencing, authorization of the id, unsupported versions: only `close()`
 * remains) or abortable (the application calls `abortTransaction()`; the epoch is bumped afterwards when the
 * coordinator supports it, KIP-588). See `transaction-state.ts` and the package README for the state machine.
 *
 * Single-threaded: the sender calls the hooks during its passes; the application calls the rest between
 * them. Nothing is per record except `failIfNotReadyForSend` (one field test) and, when transactional,
 * `maybeAddPartition` (a set lookup).
 */
export class TransactionManager
  implements SenderTransactionManager, TransactionManagerHooks, TxnHandlerContext
{
  readonly transactionalId: string | null
  readonly transactionTimeoutMs: number
  readonly retryBackoffMs: number
  readonly pendingTxnOffsetCommits = new TopicPartitionMap<PendingOffset>()
  private readonly clock: SenderClock
  private readonly sequences: PartitionSequences
  private readonly epoch: ProducerEpoch
  private readonly outcomes: BatchOutcomes
  private readonly newPartitionsInTransaction = new TopicPartitionSet()
  private readonly pendingPartitionsInTransaction = new TopicPartitionSet()
  private readonly partitionsInTransaction = new TopicPartitionSet()
  private readonly pendingRequests = new TxnRequestQueue()
  private inFlightHandler: TxnRequestHandler | undefined
  private readonly pendingTransition = new PendingTransition()
  private readonly states: TransactionStateMachine
  private transactionCoordinator: BrokerNode | undefined
  private consumerGroupCoordinator: BrokerNode | undefined
  private transactionStarted = false

  constructor(options: TransactionManagerOptions = {}) {
    this.transactionalId = options.transactionalId ?? null
    this.transactionTimeoutMs = options.transactionTimeoutMs ?? 60_000
    this.retryBackoffMs = options.retryBackoffMs ?? 100
    this.clock = options.clock ?? systemClock
    this.states = new TransactionStateMachine(this.transactionalId, this.pendingTransition)
    const isTransactional = this.transactionalId !== null
    const states = this.states
    this.sequences = new PartitionSequences(isTransactional)
    this.epoch = new ProducerEpoch({
      isTransactional,
      states,
      sequences: this.sequences,
      enqueueRequest: (handler) => this.enqueueRequest(handler),
      context: this,
    })
    this.outcomes = new BatchOutcomes({
      isTransactional,
      states,
      sequences: this.sequences,
      epoch: this.epoch,
    })
  }

  // ---------------------------------------------------------------- state

  get state(): TransactionState {
    return this.states.state
  }

  isTransactional(): boolean {
    return this.transactionalId !== null
  }

  hasProducerId(): boolean {
    return this.epoch.hasProducerId()
  }

  currentProducerIdAndEpoch(): ProducerIdAndEpoch {
    return this.epoch.producerIdAndEpoch
  }

  /** Accumulator hook: the producer id and epoch batches are stamped with. */
  producerIdAndEpoch(): ProducerIdAndEpoch {
    return this.epoch.producerIdAndEpoch
  }

  hasFatalError(): boolean {
    return this.states.hasFatalError()
  }

  hasAbortableError(): boolean {
    return this.states.hasAbortableError()
  }

  hasError(): boolean {
    return this.states.hasError()
  }

  lastError(): Error | undefined {
    return this.states.lastError
  }

  isCompleting(): boolean {
    return this.states.isCompleting()
  }

  isAborting(): boolean {
    return this.states.isAborting()
  }

  /** Transactions count as ongoing from `beginTransaction` until they complete or fail fatally. */
  hasOngoingTransaction(): boolean {
    return this.states.hasOngoingTransaction()
  }

  /** Graceful close waits for these: transactional requests still queued in an ongoing transaction. */
  hasPendingRequests(): boolean {
    return this.pendingRequests.size > 0 && this.hasOngoingTransaction()
  }

  hasInFlightRequest(): boolean {
    return this.inFlightHandler !== undefined
  }

  isPartitionAdded(topic: string, partition: number): boolean {
    return this.partitionsInTransaction.has(topic, partition)
  }

  isPartitionPendingAdd(topic: string, partition: number): boolean {
    return (
      this.newPartitionsInTransaction.has(topic, partition) ||
      this.pendingPartitionsInTransaction.has(topic, partition)
    )
  }

  /** The coordinator supports KIP-360 epoch bumps for transactional ids (InitProducerId v3+). */
  canBumpEpoch(): boolean {
    return this.epoch.canBump()
  }

  nowMs(): number {
    return this.clock.now()
  }

  // ---------------------------------------------------------------- application calls

  /**
   * `initTransactions()`: finds the coordinator and gets the producer id and epoch for the transactional id,
   * which fences older producers with the same id and aborts a transaction one of them left open.
   */
  initializeTransactions(): TransactionalRequestResult {
    return this.initializeTransactionsWith(NO_PRODUCER_ID_AND_EPOCH)
  }

  /** Java `beginTransaction`. */
  beginTransaction(): void {
    this.ensureTransactional()
    this.pendingTransition.throwIfPending('beginTransaction', this.states.state)
    this.states.maybeFailWithError('beginTransaction()')
    this.transitionTo('IN_TRANSACTION')
  }

  /** Java `beginCommit`: EndTxn(commit) once every batch of the transaction is done. */
  beginCommit(): TransactionalRequestResult {
    return this.handleCachedTransactionRequestResult(
      () => {
        this.states.maybeFailWithError('commitTransaction()')
        this.transitionTo('COMMITTING_TRANSACTION')
        return this.beginCompletingTransaction(true)
      },
      'COMMITTING_TRANSACTION',
      'commitTransaction',
    )
  }

  /** Java `beginAbort`: unsent batches fail with `TransactionAbortedError`, then EndTxn(abort). */
  beginAbort(): TransactionalRequestResult {
    return this.handleCachedTransactionRequestResult(
      () => {
        if (this.states.state !== 'ABORTABLE_ERROR') this.states.maybeFailWithError('abortTransaction()')
        // Java clears lastError in this transition, which leaves its INVALID_PRODUCER_ID_MAPPING check below
        // without effect; the error that made the transaction abortable is kept for that decision.
        const cause = this.states.lastError
        this.transitionTo('ABORTING_TRANSACTION')
        // Nothing more joins a transaction that is aborting.
        this.newPartitionsInTransaction.clear()
        return this.beginCompletingTransaction(false, cause)
      },
      'ABORTING_TRANSACTION',
      'abortTransaction',
    )
  }

  /** Java `sendOffsetsToTransaction`: AddOffsetsToTxn, then TxnOffsetCommit to the group coordinator. */
  sendOffsetsToTransaction(
    offsets: readonly OffsetToCommit[],
    group: ConsumerGroupInfo,
  ): TransactionalRequestResult {
    this.ensureTransactional()
    this.pendingTransition.throwIfPending('sendOffsetsToTransaction', this.states.state)
    this.states.maybeFailWithError('sendOffsetsToTransaction()')
    if (this.states.state !== 'IN_TRANSACTION') {
      throw new TransactionStateError({
        state: this.states.state,
        message: `Cannot send offsets if a transaction is not in progress (currentState=${this.states.state}): call beginTransaction() first.`,
      })
    }
    const groupMetadata: GroupMetadata = {
      groupId: group.groupId,
      generationId: group.generationId ?? -1,
      memberId: group.memberId ?? '',
      groupInstanceId: group.groupInstanceId ?? null,
    }
    const { producerId, epoch } = this.epoch.producerIdAndEpoch
    const handler = new AddOffsetsToTxnHandler(
      this,
      { transactionalId: this.transactionalId!, producerId, producerEpoch: epoch, groupId: group.groupId },
      groupMetadata,
    )
    for (const offset of offsets) {
      this.pendingTxnOffsetCommits.set(offset.topic, offset.partition, {
        offset: offset.offset,
        metadata: offset.metadata ?? '',
        leaderEpoch: offset.leaderEpoch ?? -1,
      })
    }
    this.enqueueRequest(handler)
    return handler.result
  }

  /**
   * Before a record is accepted (Java's `maybeAddPartition` checks, done before the append so a refused send
   * leaves nothing behind): a transactional producer must be in a transaction; any producer in an error
   * state refuses. Throws; one field test on the hot path otherwise.
   */
  failIfNotReadyForSend(): void {
    if (this.states.state === 'IN_TRANSACTION') return
    if (this.transactionalId === null) {
      // Idempotent: only a fatal error (e.g. CLUSTER_AUTHORIZATION_FAILED) refuses sends.
      if (this.states.state === 'FATAL_ERROR') throw this.states.lastError!
      return
    }
    this.states.maybeFailWithError('send()')
    this.pendingTransition.throwIfPending('send', this.states.state)
    if (this.isTransactional()) {
      if (!this.hasProducerId()) {
        throw new TransactionStateError({
          state: this.states.state,
          message:
            'Cannot send with a transactionalId before initTransactions() has completed: call and await initTransactions() first.',
        })
      }
      throw new TransactionStateError({
        state: this.states.state,
        message: `Cannot send outside a transaction (currentState=${this.states.state}): call beginTransaction() first.`,
      })
    }
  }

  /**
   * After an append (Java `maybeAddPartition`): the partition joins the transaction with the next
   * AddPartitionsToTxn. Never throws — `failIfNotReadyForSend` refused wrong sends before their append; a send
   * that waited for metadata while the transaction turned abortable is aborted with the others.
   */
  maybeAddPartition(topic: string, partition: number): void {
    if (this.states.state !== 'IN_TRANSACTION') return
    if (this.partitionsInTransaction.has(topic, partition) || this.isPartitionPendingAdd(topic, partition))
      return
    this.sequences.track(topic, partition)
    this.newPartitionsInTransaction.add(topic, partition)
  }

  /** Java `maybeTransitionToErrorState`: a send failed before reaching a batch. */
  maybeTransitionToErrorState(error: Error): void {
    this.outcomes.maybeTransitionToErrorState(error)
  }

  // ---------------------------------------------------------------- accumulator hooks (drain)

  isSendToPartitionAllowed(tp: TopicPartition): boolean {
    if (this.states.state === 'FATAL_ERROR') return false
    return this.transactionalId === null || this.partitionsInTransaction.has(tp.topic, tp.partition)
  }

  maybeUpdateProducerIdAndEpoch(tp: TopicPartition): void {
    this.epoch.maybeUpdateProducerIdAndEpoch(tp)
  }

  hasInflightBatches(tp: TopicPartition): boolean {
    return this.sequences.hasInflightBatches(tp)
  }

  hasStaleProducerIdAndEpoch(tp: TopicPartition): boolean {
    return this.epoch.isStale(tp)
  }

  hasUnresolvedSequence(tp: TopicPartition): boolean {
    return this.sequences.hasUnresolvedSequence(tp)
  }

  hasUnresolvedSequences(): boolean {
    return this.sequences.hasUnresolvedSequences()
  }

  firstInFlightSequence(tp: TopicPartition): number {
    return this.sequences.firstInFlightSequence(tp)
  }

  sequenceNumber(tp: TopicPartition): number {
    return this.sequences.sequenceNumber(tp)
  }

  incrementSequenceNumber(tp: TopicPartition, increment: number): void {
    this.sequences.incrementSequenceNumber(tp, increment)
  }

  addInFlightBatch(batch: ProducerBatch): void {
    this.sequences.addInFlightBatch(batch)
  }

  /** The last acknowledged sequence of a partition, -1 when none. */
  lastAckedSequence(tp: TopicPartition): number {
    return this.sequences.lastAckedSequence(tp)
  }

  /** The partition's producer id/epoch (for tests and diagnostics). */
  partitionProducerIdAndEpoch(tp: TopicPartition): ProducerIdAndEpoch {
    return this.sequences.producerIdAndEpoch(tp)
  }

  // ---------------------------------------------------------------- sender hooks

  maybeResolveSequences(_nowMs: number): void {
    this.outcomes.maybeResolveSequences()
  }

  bumpIdempotentEpochAndResetIdIfNeeded(_nowMs: number): void {
    this.epoch.bumpIdempotentEpochAndResetIdIfNeeded()
  }

  /**
   * Java `Sender.maybeSendAndPollTransactionalRequest`: at most one transactional request in flight; while one
   * is (or one is backing off, or its broker is connecting) no Produce is sent. Returns true to skip Produce.
   */
  maybeSendTransactionalRequest(context: TransactionalRequestContext): boolean {
    if (this.inFlightHandler !== undefined) return true
    const accumulator = context.accumulator
    if (this.hasAbortableError() && isAuthorizationError(this.states.lastError)) {
      // Java `shouldHandleAuthorizationError`: fail what waits, and go back to UNINITIALIZED so that
      // initTransactions() may be called again once the ACL is fixed.
      const error = this.states.lastError
      this.pendingRequests.clear((pending) => pending.abortableError(error))
      if (accumulator.hasIncomplete()) accumulator.abortBatches(error)
      this.states.transitionToUninitialized(error)
      return true
    }
    if ((this.hasAbortableError() || this.isAborting()) && accumulator.hasIncomplete()) {
      accumulator.abortUndrainedBatches(new TransactionAbortedError({ cause: this.states.lastError }))
    }
    const handler = this.states.safely(() => this.nextRequest(accumulator.hasIncomplete()))
    if (handler === undefined) return false

    const nowMs = context.nowMs
    if (handler.isRetry && nowMs < handler.retryAtMs) {
      this.pendingRequests.putBack(handler)
      context.wakeup(handler.retryAtMs - nowMs)
      return true
    }
    const type = handler.coordinatorType()
    const target = type === undefined ? context.leastLoadedNode() : this.coordinator(type)
    if (target === undefined) {
      if (type !== undefined) {
        // The lookup goes first, in the next pass.
        this.lookupCoordinator(type, handler.coordinatorKey())
        context.wakeup()
      } else {
        context.metadata.requestUpdate()
        context.wakeup(this.retryBackoffMs)
      }
      this.retry(handler)
      return true
    }
    const client = context.client
    if (!client.ready(target, nowMs)) {
      const connection = client.connectionState(target.id)
      if (connection === 'authentication-failed') {
        const error =
          client.lastConnectionError(target.id) ?? new KafkaError({ message: 'Authentication failed.' })
        handler.fatalError(error)
        this.pendingRequests.clear((pending) => pending.fatalError(error))
      } else if (connection === 'disconnected') {
        // The connection failed and is backing off (Java's awaitNodeReady gave up): look again.
        if (type !== undefined) this.lookupCoordinator(type, handler.coordinatorKey())
        else context.metadata.requestUpdate()
        this.retry(handler)
        context.wakeup(Math.max(this.retryBackoffMs, client.connectionDelay(target.id, nowMs)))
      } else {
        // Connecting, or busy: a connection or response event brings the next pass.
        this.pendingRequests.putBack(handler)
        const delay = client.connectionDelay(target.id, nowMs)
        if (delay > 0 && delay !== Number.POSITIVE_INFINITY) context.wakeup(delay)
      }
      return true
    }
    if (type === 'transaction') this.handleCoordinatorReady(context, target)
    this.inFlightHandler = handler
    try {
      handler.send(client, target.id, nowMs, (response) =>
        this.onResponse(handler, response, client.isClosed),
      )
    } catch (error) {
      // The connection was checked ready just before: what throws here is the request itself (it cannot be
      // encoded at the negotiated version), which no retry fixes.
      this.inFlightHandler = undefined
      this.states.safely(() => handler.fatalError(asError(error)))
    }
    return true
  }

  canRetry(response: PartitionResponse, batch: ProducerBatch): boolean {
    return this.outcomes.canRetry(response, batch)
  }

  handleCompletedBatch(batch: ProducerBatch, response: PartitionResponse): void {
    this.outcomes.handleCompletedBatch(batch, response)
  }

  handleFailedBatch(batch: ProducerBatch, error: Error, adjustSequenceNumbers: boolean): void {
    this.outcomes.handleFailedBatch(batch, error, adjustSequenceNumbers)
  }

  removeInFlightBatch(batch: ProducerBatch): void {
    this.sequences.removeInFlightBatch(batch)
  }

  markSequenceUnresolved(batch: ProducerBatch): void {
    this.sequences.markSequenceUnresolved(batch)
  }

  /**
   * Closed (forcefully by the sender, or after a graceful close by the producer): every transactional request
   * still pending and the operation the application waits on fail with `error`.
   */
  close(
    error: Error = new KafkaError({
      code: 'PRODUCER_CLOSED_FORCEFULLY',
      message: 'The producer closed forcefully: pending transactional operations were not completed.',
    }),
  ): void {
    this.pendingRequests.clear((handler) => handler.fatalError(error))
    this.inFlightHandler?.fail(error)
    this.pendingTransition.fail(error)
  }

  // ---------------------------------------------------------------- handler context (internal)

  setProducerIdAndEpoch(value: ProducerIdAndEpoch): void {
    this.epoch.producerIdAndEpoch = value
  }

  /** Changes state, or throws `TransactionStateError` (leaving the state as it was) when not allowed. */
  transitionTo(target: TransactionState, error?: Error): void {
    this.states.transitionTo(target, error)
  }

  transitionToFatalError(error: Error): void {
    this.states.transitionToFatalError(error)
  }

  transitionToAbortableError(error: Error): void {
    this.states.transitionToAbortableError(error)
  }

  requireEpochBump(): void {
    this.epoch.bumpRequired = true
  }

  enqueueRequest(handler: TxnRequestHandler): void {
    this.pendingRequests.enqueue(handler)
  }

  lookupCoordinator(type: CoordinatorType, key: string): void {
    if (type === 'group') this.consumerGroupCoordinator = undefined
    else this.transactionCoordinator = undefined
    this.enqueueRequest(new FindCoordinatorHandler(this, type, key))
  }

  setCoordinator(type: CoordinatorType, node: BrokerNode): void {
    if (type === 'group') this.consumerGroupCoordinator = node
    else this.transactionCoordinator = node
  }

  coordinator(type: CoordinatorType): BrokerNode | undefined {
    return type === 'group' ? this.consumerGroupCoordinator : this.transactionCoordinator
  }

  resetSequenceNumbers(): void {
    this.sequences.reset()
  }

  completeTransaction(): void {
    this.transitionTo(this.epoch.bumpRequired ? 'INITIALIZING' : 'READY')
    this.epoch.bumpRequired = false
    this.transactionStarted = false
    this.newPartitionsInTransaction.clear()
    this.pendingPartitionsInTransaction.clear()
    this.partitionsInTransaction.clear()
  }

  markTransactionStarted(): void {
    this.transactionStarted = true
  }

  removePendingPartitions(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.pendingPartitionsInTransaction.delete(tp.topic, tp.partition)
  }

  addPartitionsToTransaction(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.partitionsInTransaction.add(tp.topic, tp.partition)
    this.transactionStarted = true
  }

  hasPartitionsInTransaction(): boolean {
    return this.partitionsInTransaction.size > 0
  }

  enqueueTxnOffsetCommit(result: TransactionalRequestResult, group: GroupMetadata): void {
    this.enqueueRequest(new TxnOffsetCommitHandler(this, result, group))
  }

  // ---------------------------------------------------------------- private

  private initializeTransactionsWith(producerIdAndEpoch: ProducerIdAndEpoch): TransactionalRequestResult {
    this.states.maybeFailWithError('initTransactions()')
    const isEpochBump = producerIdAndEpoch !== NO_PRODUCER_ID_AND_EPOCH
    return this.handleCachedTransactionRequestResult(
      () => {
        // An epoch bump changes state when the EndTxn before it completes.
        if (!isEpochBump) this.transitionTo('INITIALIZING')
        const handler = new InitProducerIdHandler(
          this,
          {
            transactionalId: this.transactionalId,
            transactionTimeoutMs: this.transactionTimeoutMs,
            producerId: producerIdAndEpoch.producerId,
            producerEpoch: producerIdAndEpoch.epoch,
          },
          isEpochBump,
        )
        this.enqueueRequest(handler)
        return handler.result
      },
      'INITIALIZING',
      'initTransactions',
    )
  }

  private beginCompletingTransaction(committed: boolean, cause?: Error): TransactionalRequestResult {
    if (this.newPartitionsInTransaction.size > 0)
      this.enqueueRequest(this.addPartitionsToTransactionHandler())
    // With INVALID_PRODUCER_ID_MAPPING the coordinator refuses EndTxn: go straight to InitProducerId.
    // Otherwise EndTxn first (InitProducerId alone would fence us).
    const invalidMapping =
      ApiError.isInstance(cause) && cause.errorCode === ErrorCode.INVALID_PRODUCER_ID_MAPPING
    if (!invalidMapping) {
      const { producerId, epoch } = this.epoch.producerIdAndEpoch
      const handler = new EndTxnHandler(this, {
        transactionalId: this.transactionalId!,
        producerId,
        producerEpoch: epoch,
        committed,
      })
      this.enqueueRequest(handler)
      if (!this.epoch.bumpRequired) return handler.result
    }
    // KIP-588: the abort is followed by an epoch bump, whose result is the one to wait for.
    const handler = new InitProducerIdHandler(
      this,
      {
        transactionalId: this.transactionalId,
        transactionTimeoutMs: this.transactionTimeoutMs,
        producerId: this.epoch.producerIdAndEpoch.producerId,
        producerEpoch: this.epoch.producerIdAndEpoch.epoch,
      },
      true,
    )
    this.enqueueRequest(handler)
    return handler.result
  }

  private addPartitionsToTransactionHandler(): AddPartitionsToTxnHandler {
    this.pendingPartitionsInTransaction.takeAll(this.newPartitionsInTransaction)
    const topics = new Map<string, number[]>()
    for (const tp of this.pendingPartitionsInTransaction.keys()) {
      let partitions = topics.get(tp.topic)
      if (partitions === undefined) {
        partitions = []
        topics.set(tp.topic, partitions)
      }
      partitions.push(tp.partition)
    }
    const { producerId, epoch } = this.epoch.producerIdAndEpoch
    return new AddPartitionsToTxnHandler(this, {
      v3AndBelowTransactionalId: this.transactionalId!,
      v3AndBelowProducerId: producerId,
      v3AndBelowProducerEpoch: epoch,
      v3AndBelowTopics: [...topics].map(([name, partitions]) => ({ name, partitions })),
    })
  }

  /** Java `nextRequest`: the next transactional request to send, or undefined. */
  private nextRequest(hasIncompleteBatches: boolean): TxnRequestHandler | undefined {
    if (this.newPartitionsInTransaction.size > 0)
      this.enqueueRequest(this.addPartitionsToTransactionHandler())
    let next: TxnRequestHandler | undefined = this.pendingRequests.peek()
    if (next === undefined) return undefined
    // EndTxn waits until every batch of the transaction is done.
    if (next.isEndTxn() && hasIncompleteBatches) return undefined
    this.pendingRequests.poll()
    if (this.maybeTerminateRequestWithError(next)) return undefined
    if (next.isEndTxn() && !this.transactionStarted) {
      // Nothing was added to the transaction: there is nothing to end on the broker.
      next.result.done()
      if (this.states.state !== 'FATAL_ERROR') this.completeTransaction()
      next = this.pendingRequests.poll()
    }
    return next
  }

  private maybeTerminateRequestWithError(handler: TxnRequestHandler): boolean {
    if (!this.hasError()) return false
    // A coordinator lookup may go ahead when the transaction is about to be aborted.
    if (this.hasAbortableError() && handler instanceof FindCoordinatorHandler) return false
    handler.fail(this.states.lastError!)
    return true
  }

  private onResponse(
    handler: TxnRequestHandler,
    response: ClientResponse<unknown>,
    clientClosed: boolean,
  ): void {
    if (this.inFlightHandler !== handler) {
      this.states.safely(() =>
        handler.fatalError(
          new KafkaError({
            code: 'ILLEGAL_STATE',
            message: 'Detected more than one in-flight transactional request.',
          }),
        ),
      )
      return
    }
    this.inFlightHandler = undefined
    this.states.safely(() => {
      const error = response.error
      if (error === undefined) {
        handler.handleResponse(response.body, response.apiVersion)
      } else if (clientClosed) {
        // The producer is closing (forcefully): the operation ends with the close's error, nothing more.
        handler.fail(error)
      } else if (UnsupportedVersionError.isInstance(error)) {
        handler.fatalError(error)
      } else if (error.retriable) {
        // Disconnected or timed out: the coordinator may have moved.
        const type = handler.coordinatorType()
        if (type !== undefined) this.lookupCoordinator(type, handler.coordinatorKey())
        handler.reenqueue()
      } else {
        handler.fatalError(
          new KafkaError({
            code: 'TRANSACTIONAL_REQUEST_FAILED',
            message: `Could not execute transactional request ${handler.name}: ${error.message}`,
            cause: error,
          }),
        )
      }
    })
  }

  private retry(handler: TxnRequestHandler): void {
    handler.isRetry = true
    handler.retryAtMs = this.clock.now() + handler.retryBackoffMs()
    this.enqueueRequest(handler)
  }

  private handleCoordinatorReady(context: TransactionalRequestContext, node: BrokerNode): void {
    const range = context.client.nodeApiVersions(node.id)?.brokerRange(TXN_APIS.initProducerId.apiKey)
    this.epoch.coordinatorSupportsBump = range !== undefined && range.maxVersion >= 3
  }

  private ensureTransactional(): void {
    if (!this.isTransactional()) {
      throw new TransactionStateError({
        message: 'Transactional method invoked on a non-transactional producer: set transactionalId.',
      })
    }
  }

  private handleCachedTransactionRequestResult(
    start: () => TransactionalRequestResult,
    nextState: TransactionState,
    operation: string,
  ): TransactionalRequestResult {
    this.ensureTransactional()
    return this.pendingTransition.resultOf(start, nextState, operation, this.states.state)
  }

  toString(): string {
    return `TransactionManager(${this.transactionalId === null ? 'idempotent' : `transactionalId=${this.transactionalId}`}, state=${this.states.state}, ${describeProducerIdAndEpoch(this.epoch.producerIdAndEpoch)})`
  }
}
