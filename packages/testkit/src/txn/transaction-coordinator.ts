import { ErrorCode } from '@x/protocol'
import type { ClusterModel } from '../cluster/cluster-model.js'
import type { PartitionState } from '../cluster/topic-state.js'
import { isEpochExhausted, TransactionMetadata } from './transaction-metadata.js'

/** An InitProducerId / EndTxn answer. */
export interface ProducerIdResult {
  errorCode: number
  producerId: bigint
  producerEpoch: number
}

/** `topic-partition`, the key of a partition in a transaction. */
export function partitionKey(topic: string, partition: number): string {
  return `${topic}-${partition}`
}

/**
 * The transaction coordinator of the whole cluster (Java's `TransactionCoordinator`): producer id
 * allocation, epochs and fencing, the partitions and groups of each open transaction, and EndTxn writing
 * COMMIT/ABORT markers. Which broker answers for a transactional id is the cluster's concern; markers are
 * written synchronously, so a transaction goes from Ongoing straight to Complete*.
 */
export class TransactionCoordinator {
  private readonly transactions = new Map<string, TransactionMetadata>()
  /** TxnOffsetCommit offsets waiting for their transaction's commit, by producer id then group. */
  private readonly pendingOffsets = new Map<bigint, Map<string, Map<string, bigint>>>()
  /** Offsets committed through transactions, by group then `topic-partition`. */
  readonly committedOffsets = new Map<string, Map<string, bigint>>()
  private nextProducerId = 0n

  constructor(
    private readonly model: ClusterModel,
    private readonly maxTimeoutMs: number,
  ) {}

  allocateProducerId(): bigint {
    const id = this.nextProducerId
    this.nextProducerId += 1n
    return id
  }

  metadata(transactionalId: string): TransactionMetadata | undefined {
    return this.transactions.get(transactionalId)
  }

  /** Java's `handleInitProducerId`, with the Ongoing case aborting first and answering CONCURRENT_TRANSACTIONS. */
  initProducerId(
    transactionalId: string | null,
    timeoutMs: number,
    expectedProducerId: bigint,
    expectedEpoch: number,
  ): ProducerIdResult {
    if (transactionalId === null) {
      return { errorCode: 0, producerId: this.allocateProducerId(), producerEpoch: 0 }
    }
    if (timeoutMs <= 0 || timeoutMs > this.maxTimeoutMs) {
      return { errorCode: ErrorCode.INVALID_TRANSACTION_TIMEOUT, producerId: -1n, producerEpoch: -1 }
    }
    let txn = this.transactions.get(transactionalId)
    if (txn === undefined) {
      txn = new TransactionMetadata(transactionalId, this.allocateProducerId(), 0, timeoutMs)
      this.transactions.set(transactionalId, txn)
      return { errorCode: 0, producerId: txn.producerId, producerEpoch: 0 }
    }
    const hasExpected = expectedProducerId >= 0n
    if (
      hasExpected &&
      !(
        expectedProducerId === txn.producerId &&
        (expectedEpoch === txn.producerEpoch || expectedEpoch === txn.lastProducerEpoch)
      )
    ) {
      return { errorCode: ErrorCode.PRODUCER_FENCED, producerId: -1n, producerEpoch: -1 }
    }
    switch (txn.state) {
      case 'PrepareCommit':
      case 'PrepareAbort':
        return { errorCode: ErrorCode.CONCURRENT_TRANSACTIONS, producerId: -1n, producerEpoch: -1 }
      case 'Ongoing':
        // Fence the current producer: bump the epoch, abort with it, and make the client retry, which
        // bumps the epoch a second time (so the fencing epoch is never handed out).
        this.bumpEpoch(txn)
        this.complete(txn, false)
        return { errorCode: ErrorCode.CONCURRENT_TRANSACTIONS, producerId: -1n, producerEpoch: -1 }
      default:
        break
    }
    txn.timeoutMs = timeoutMs
    if (hasExpected && expectedEpoch === txn.lastProducerEpoch && expectedEpoch !== txn.producerEpoch) {
      // A retry of the InitProducerId that already bumped: the same answer again.
      return { errorCode: 0, producerId: txn.producerId, producerEpoch: txn.producerEpoch }
    }
    this.bumpEpoch(txn)
    txn.state = 'Empty'
    return { errorCode: 0, producerId: txn.producerId, producerEpoch: txn.producerEpoch }
  }

  /** Checks producer id and epoch of a transactional call: NONE, INVALID_PRODUCER_ID_MAPPING or PRODUCER_FENCED. */
  validate(transactionalId: string, producerId: bigint, producerEpoch: number): number {
    const txn = this.transactions.get(transactionalId)
    if (txn === undefined || txn.producerId !== producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING
    if (txn.producerEpoch !== producerEpoch) return ErrorCode.PRODUCER_FENCED
    return 0
  }

  /** AddPartitionsToTxn for partitions that exist: one code for all of them. */
  addPartitions(
    transactionalId: string,
    producerId: bigint,
    producerEpoch: number,
    partitions: readonly PartitionState[],
    nowMs: number,
  ): number {
    const error = this.validate(transactionalId, producerId, producerEpoch)
    if (error !== 0) return error
    const txn = this.transactions.get(transactionalId)!
    if (txn.state === 'PrepareCommit' || txn.state === 'PrepareAbort')
      return ErrorCode.CONCURRENT_TRANSACTIONS
    this.begin(txn, nowMs)
    for (const partition of partitions)
      txn.partitions.set(partitionKey(partition.topic, partition.index), partition)
    return 0
  }

  /** AddOffsetsToTxn: the group's offsets join the transaction. */
  addOffsets(
    transactionalId: string,
    producerId: bigint,
    producerEpoch: number,
    groupId: string,
    nowMs: number,
  ): number {
    const error = this.validate(transactionalId, producerId, producerEpoch)
    if (error !== 0) return error
    const txn = this.transactions.get(transactionalId)!
    if (txn.state === 'PrepareCommit' || txn.state === 'PrepareAbort')
      return ErrorCode.CONCURRENT_TRANSACTIONS
    this.begin(txn, nowMs)
    txn.groups.add(groupId)
    return 0
  }

  /** Records a TxnOffsetCommit offset until the producer's transaction ends. */
  addPendingOffset(
    producerId: bigint,
    groupId: string,
    topic: string,
    partition: number,
    offset: bigint,
  ): void {
    let byGroup = this.pendingOffsets.get(producerId)
    if (byGroup === undefined) {
      byGroup = new Map()
      this.pendingOffsets.set(producerId, byGroup)
    }
    let offsets = byGroup.get(groupId)
    if (offsets === undefined) {
      offsets = new Map()
      byGroup.set(groupId, offsets)
    }
    offsets.set(partitionKey(topic, partition), offset)
  }

  /**
   * EndTxn. Versions up to 4 keep the epoch (TV1); version 5 (KIP-890 transactions v2) bumps it when the
   * transaction ends and returns the new one.
   */
  endTxn(
    transactionalId: string,
    producerId: bigint,
    producerEpoch: number,
    committed: boolean,
    apiVersion: number,
  ): ProducerIdResult {
    const tv2 = apiVersion >= 5
    const txn = this.transactions.get(transactionalId)
    const fail = (errorCode: number): ProducerIdResult => ({ errorCode, producerId: -1n, producerEpoch: -1 })
    if (txn === undefined || txn.producerId !== producerId) return fail(ErrorCode.INVALID_PRODUCER_ID_MAPPING)
    const retryOfEnded =
      tv2 &&
      producerEpoch === txn.lastProducerEpoch &&
      (txn.state === 'CompleteCommit' || txn.state === 'CompleteAbort')
    if (producerEpoch !== txn.producerEpoch && !retryOfEnded) return fail(ErrorCode.PRODUCER_FENCED)
    const ok = (): ProducerIdResult => ({
      errorCode: 0,
      producerId: txn.producerId,
      producerEpoch: txn.producerEpoch,
    })
    switch (txn.state) {
      case 'Ongoing':
        if (tv2) this.bumpEpoch(txn)
        this.complete(txn, committed)
        return ok()
      case 'CompleteCommit':
        return committed ? ok() : fail(ErrorCode.INVALID_TXN_STATE)
      case 'CompleteAbort':
        return committed ? fail(ErrorCode.INVALID_TXN_STATE) : ok()
      case 'Empty':
        if (tv2 && !committed) {
          this.bumpEpoch(txn)
          txn.state = 'CompleteAbort'
          return ok()
        }
        return fail(ErrorCode.INVALID_TXN_STATE)
      default:
        return fail(ErrorCode.CONCURRENT_TRANSACTIONS)
    }
  }

  /**
   * The check a leader makes before appending a transactional batch (KIP-890 part 1 verification):
   * the producer's transaction must be open and contain the partition.
   */
  verifyPartition(
    transactionalId: string,
    producerId: bigint,
    producerEpoch: number,
    topic: string,
    partition: number,
  ): number {
    const txn = this.transactions.get(transactionalId)
    if (txn === undefined || txn.producerId !== producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING
    if (producerEpoch < txn.producerEpoch) return ErrorCode.INVALID_PRODUCER_EPOCH
    if (txn.state !== 'Ongoing' || !txn.partitions.has(partitionKey(topic, partition))) {
      return ErrorCode.INVALID_TXN_STATE
    }
    return 0
  }

  private begin(txn: TransactionMetadata, nowMs: number): void {
    if (txn.state !== 'Ongoing') {
      txn.state = 'Ongoing'
      txn.txnStartMs = nowMs
      txn.partitions.clear()
      txn.groups.clear()
    }
  }

  private bumpEpoch(txn: TransactionMetadata): void {
    if (isEpochExhausted(txn.producerEpoch)) {
      txn.producerId = this.allocateProducerId()
      txn.lastProducerEpoch = -1
      txn.producerEpoch = 0
      return
    }
    txn.lastProducerEpoch = txn.producerEpoch
    txn.producerEpoch += 1
  }

  /** Writes the markers, settles group offsets and moves to CompleteCommit/CompleteAbort. */
  private complete(txn: TransactionMetadata, committed: boolean): void {
    for (const partition of txn.partitions.values()) {
      this.model.writeTransactionMarker(
        partition,
        txn.producerId,
        txn.producerEpoch,
        committed,
        txn.coordinatorEpoch,
      )
    }
    const pending = this.pendingOffsets.get(txn.producerId)
    if (pending !== undefined) {
      if (committed) {
        for (const [group, offsets] of pending) {
          if (!txn.groups.has(group)) continue
          let committedOffsets = this.committedOffsets.get(group)
          if (committedOffsets === undefined) {
            committedOffsets = new Map()
            this.committedOffsets.set(group, committedOffsets)
          }
          for (const [key, offset] of offsets) committedOffsets.set(key, offset)
        }
      }
      this.pendingOffsets.delete(txn.producerId)
    }
    txn.state = committed ? 'CompleteCommit' : 'CompleteAbort'
  }
}
