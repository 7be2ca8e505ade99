import type { ProducerBatch, ProducerIdAndEpoch, TransactionManagerHooks } from '@x/accumulator'
import type { TopicPartition } from '@x/partitioners'
import { type SenderClock, systemClock } from '../clock.js'
import type { BrokerNode } from '../network/broker-node.js'
import type { PartitionResponse } from '../sender/partition-response.js'
import type { SenderTransactionManager, TransactionalRequestContext } from '../sender/transaction-manager.js'
import { BatchOutcomes } from './batch-outcomes.js'
import { PartitionSequences } from './partition-sequences.js'
import { PendingTransition } from './pending-transition.js'
import { ProducerEpoch } from './producer-epoch.js'
import { describeProducerIdAndEpoch } from './producer-id-and-epoch.js'
import { TopicPartitionMap } from './topic-partition-map.js'
import type { TransactionManagerOptions } from './transaction-manager-options.js'
import { TransactionPartitions } from './transaction-partitions.js'
import type { TransactionState } from './transaction-state.js'
import { TransactionStateMachine } from './transaction-state-machine.js'
import {
  type ConsumerGroupInfo,
  type OffsetToCommit,
  TransactionalOperations,
} from './transactional-operations.js'
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
import { producerClosedForcefully, TxnRequestScheduler } from './txn-request-scheduler.js'

export type { TransactionManagerOptions } from './transaction-manager-options.js'
export type { ConsumerGroupInfo, OffsetToCommit } from './transactional-operations.js'

/**
 * Idempotence and transactions (Java `TransactionManager`), a façade over the parts that hold them. One
 * object is both halves of the seam — the accumulator's `TransactionManagerHooks` (producer id/epoch and
 * sequences at drain) and the sender's `SenderTransactionManager` (transactional requests, retries, epoch
 * bumps) — and the `TxnHandlerContext` request handlers act on. The application's calls return
 * `TransactionalRequestResult`s the producer awaits. The parts:
 *
 * - `TransactionStateMachine` (state, last error, fatal and abortable transitions), `PendingTransition`;
 * - `PartitionSequences` (sequences, in-flight batches, acknowledgements, unresolved sequences);
 * - `ProducerEpoch` (producer id/epoch, KIP-360/588 bumps), `BatchOutcomes` (what a batch's outcome does);
 * - `TransactionalOperations` (the application's calls), `TransactionPartitions` (its partitions);
 * - `TxnRequestQueue`, `TxnRequestScheduler` (requests, one in flight), a `TxnRequestHandler` per kind.
 *
 * Single-threaded: the sender calls the hooks during its passes; the application calls the rest between
 * them. Nothing is per record except `failIfNotReadyForSend` (one field test) and, when transactional,
 * `maybeAddPartition` (set lookups): both run here, not in a part, as a delegated call measured slower.
 */
export class TransactionManager
  implements SenderTransactionManager, TransactionManagerHooks, TxnHandlerContext
{
  readonly transactionalId: string | null
  readonly transactionTimeoutMs: number
  readonly retryBackoffMs: number
  readonly pendingTxnOffsetCommits = new TopicPartitionMap<PendingOffset>()
  private readonly clock: SenderClock
  private readonly pendingTransition = new PendingTransition()
  private readonly states: TransactionStateMachine
  private readonly sequences: PartitionSequences
  private readonly epoch: ProducerEpoch
  private readonly outcomes: BatchOutcomes
  private readonly partitions = new TransactionPartitions()
  private readonly requests = new TxnRequestQueue()
  private readonly operations: TransactionalOperations
  private readonly scheduler: TxnRequestScheduler

  constructor(options: TransactionManagerOptions = {}) {
    const transactionalId = options.transactionalId ?? null
    this.transactionalId = transactionalId
    this.transactionTimeoutMs = options.transactionTimeoutMs ?? 60_000
    this.retryBackoffMs = options.retryBackoffMs ?? 100
    this.clock = options.clock ?? systemClock
    this.states = new TransactionStateMachine(transactionalId, this.pendingTransition)
    this.sequences = new PartitionSequences(transactionalId !== null)
    const parts = {
      transactionalId,
      isTransactional: transactionalId !== null,
      transactionTimeoutMs: this.transactionTimeoutMs,
      retryBackoffMs: this.retryBackoffMs,
      context: this,
      states: this.states,
      pendingTransition: this.pendingTransition,
      sequences: this.sequences,
      partitions: this.partitions,
      requests: this.requests,
      pendingTxnOffsetCommits: this.pendingTxnOffsetCommits,
    }
    this.epoch = new ProducerEpoch(parts)
    this.outcomes = new BatchOutcomes({ ...parts, epoch: this.epoch })
    this.operations = new TransactionalOperations({ ...parts, epoch: this.epoch })
    this.scheduler = new TxnRequestScheduler({ ...parts, epoch: this.epoch, operations: this.operations })
  }

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
    return this.requests.size > 0 && this.hasOngoingTransaction()
  }

  hasInFlightRequest(): boolean {
    return this.scheduler.hasInFlightRequest()
  }

  isPartitionAdded(topic: string, partition: number): boolean {
    return this.partitions.isAdded(topic, partition)
  }

  isPartitionPendingAdd(topic: string, partition: number): boolean {
    return this.partitions.isPendingAdd(topic, partition)
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
    return this.operations.initializeTransactions()
  }

  /** Java `beginTransaction`. */
  beginTransaction(): void {
    this.operations.beginTransaction()
  }

  /** Java `beginCommit`: EndTxn(commit) once every batch of the transaction is done. */
  beginCommit(): TransactionalRequestResult {
    return this.operations.beginCommit()
  }

  /** Java `beginAbort`: unsent batches fail with `TransactionAbortedError`, then EndTxn(abort). */
  beginAbort(): TransactionalRequestResult {
    return this.operations.beginAbort()
  }

  /** Java `sendOffsetsToTransaction`: AddOffsetsToTxn, then TxnOffsetCommit to the group coordinator. */
  sendOffsetsToTransaction(
    offsets: readonly OffsetToCommit[],
    group: ConsumerGroupInfo,
  ): TransactionalRequestResult {
    return this.operations.sendOffsetsToTransaction(offsets, group)
  }

  /**
   * Before a record is accepted (Java's `maybeAddPartition` checks, done before the append so a refused send
   * leaves nothing behind): a transactional producer must be in a transaction; any producer in an error
   * state refuses. Throws; one field test on the hot path otherwise.
   */
  failIfNotReadyForSend(): void {
    const state = this.states.state
    if (state === 'IN_TRANSACTION' || (this.transactionalId === null && state !== 'FATAL_ERROR')) return
    this.operations.failIfNotReadyForSend()
  }

  /**
   * After an append (Java `maybeAddPartition`): the partition joins the transaction with the next
   * AddPartitionsToTxn. Never throws — `failIfNotReadyForSend` refused wrong sends before their append; a send
   * that waited for metadata while the transaction turned abortable is aborted with the others.
   */
  maybeAddPartition(topic: string, partition: number): void {
    if (this.states.state !== 'IN_TRANSACTION' || this.partitions.contains(topic, partition)) return
    this.sequences.track(topic, partition)
    this.partitions.addNew(topic, partition)
  }

  /** Java `maybeTransitionToErrorState`: a send failed before reaching a batch. */
  maybeTransitionToErrorState(error: Error): void {
    this.outcomes.maybeTransitionToErrorState(error)
  }

  // ---------------------------------------------------------------- accumulator hooks (drain)
  isSendToPartitionAllowed(tp: TopicPartition): boolean {
    if (this.states.state === 'FATAL_ERROR') return false
    return this.transactionalId === null || this.partitions.isAdded(tp.topic, tp.partition)
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
    return this.scheduler.maybeSendTransactionalRequest(context)
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
  close(error: Error = producerClosedForcefully()): void {
    this.scheduler.close(error)
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
    this.requests.enqueue(handler)
  }

  lookupCoordinator(type: CoordinatorType, key: string): void {
    this.scheduler.lookupCoordinator(type, key)
  }

  setCoordinator(type: CoordinatorType, node: BrokerNode): void {
    this.scheduler.setCoordinator(type, node)
  }

  coordinator(type: CoordinatorType): BrokerNode | undefined {
    return this.scheduler.coordinator(type)
  }

  resetSequenceNumbers(): void {
    this.sequences.reset()
  }

  completeTransaction(): void {
    this.operations.completeTransaction()
  }

  markTransactionStarted(): void {
    this.partitions.started = true
  }

  removePendingPartitions(partitions: readonly TopicPartition[]): void {
    this.partitions.removePending(partitions)
  }

  addPartitionsToTransaction(partitions: readonly TopicPartition[]): void {
    this.partitions.add(partitions)
  }

  hasPartitionsInTransaction(): boolean {
    return this.partitions.hasAdded()
  }

  enqueueTxnOffsetCommit(result: TransactionalRequestResult, group: GroupMetadata): void {
    this.enqueueRequest(new TxnOffsetCommitHandler(this, result, group))
  }

  toString(): string {
    return `TransactionManager(${this.transactionalId === null ? 'idempotent' : `transactionalId=${this.transactionalId}`}, state=${this.states.state}, ${describeProducerIdAndEpoch(this.epoch.producerIdAndEpoch)})`
  }
}
