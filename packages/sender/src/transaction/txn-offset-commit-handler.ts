import {
  ErrorCode,
  KafkaError,
  readTxnOffsetCommitResponse,
  type TxnOffsetCommitRequestInput,
  type TxnOffsetCommitRequestPartitionInput,
  type TxnOffsetCommitResponse,
  writeTxnOffsetCommitRequest,
} from '@x/protocol'
import type { ClientResponse, RequestSpec } from '../network/client-request.js'
import type { NetworkClient } from '../network/network-client.js'
import { ProducerFencedError } from './producer-fenced-error.js'
import { TXN_APIS } from './transaction-apis.js'
import type { TransactionalRequestResult } from './transactional-request-result.js'
import {
  type CoordinatorType,
  errorOf,
  type GroupMetadata,
  isRetriableCode,
  type TxnHandlerContext,
  TxnPriority,
  TxnRequestHandler,
  unexpectedError,
} from './txn-request-handler.js'

/**
 * TxnOffsetCommit to the group coordinator (Java `TxnOffsetCommitHandler`): the offsets of
 * `sendOffsetsToTransaction`, committed with the transaction. Partitions that fail with a retriable error
 * are sent again (a coordinator move looks the group coordinator up first); group membership errors and
 * fencing end the attempt.
 */
export class TxnOffsetCommitHandler extends TxnRequestHandler {
  readonly name = 'TxnOffsetCommit'
  readonly priority = TxnPriority.ADD_PARTITIONS_OR_OFFSETS

  constructor(
    tm: TxnHandlerContext,
    result: TransactionalRequestResult,
    private readonly group: GroupMetadata,
  ) {
    super(tm, result)
  }

  override coordinatorType(): CoordinatorType {
    return 'group'
  }

  override coordinatorKey(): string {
    return this.group.groupId
  }

  send(
    client: NetworkClient,
    nodeId: number,
    nowMs: number,
    onComplete: (response: ClientResponse<unknown>) => void,
  ): void {
    client.send(nodeId, this.requestSpec(), onComplete, nowMs)
  }

  private requestSpec(): RequestSpec<TxnOffsetCommitRequestInput, TxnOffsetCommitResponse> {
    const topics = new Map<string, { name: string; partitions: TxnOffsetCommitRequestPartitionInput[] }>()
    for (const [tp, offset] of this.tm.pendingTxnOffsetCommits.entries()) {
      let topic = topics.get(tp.topic)
      if (topic === undefined) {
        topic = { name: tp.topic, partitions: [] }
        topics.set(tp.topic, topic)
      }
      topic.partitions.push({
        partitionIndex: tp.partition,
        committedOffset: offset.offset,
        committedLeaderEpoch: offset.leaderEpoch,
        committedMetadata: offset.metadata,
      })
    }
    const { producerId, epoch } = this.tm.currentProducerIdAndEpoch()
    return {
      api: TXN_APIS.txnOffsetCommit,
      body: {
        transactionalId: this.tm.transactionalId ?? '',
        groupId: this.group.groupId,
        producerId,
        producerEpoch: epoch,
        generationId: this.group.generationId,
        memberId: this.group.memberId,
        groupInstanceId: this.group.groupInstanceId,
        topics: [...topics.values()],
      },
      write: writeTxnOffsetCommitRequest,
      read: readTxnOffsetCommitResponse,
    }
  }

  handleResponse(body: unknown): void {
    const response = body as TxnOffsetCommitResponse
    const pending = this.tm.pendingTxnOffsetCommits
    let coordinatorReloaded = false
    outer: for (const topic of response.topics) {
      for (const partition of topic.partitions) {
        const code = partition.errorCode
        if (code === ErrorCode.NONE) {
          pending.delete(topic.name, partition.partitionIndex)
        } else if (
          code === ErrorCode.COORDINATOR_NOT_AVAILABLE ||
          code === ErrorCode.NOT_COORDINATOR ||
          code === ErrorCode.REQUEST_TIMED_OUT
        ) {
          if (!coordinatorReloaded) {
            coordinatorReloaded = true
            this.tm.lookupCoordinator('group', this.group.groupId)
          }
        } else if (isRetriableCode(code)) {
          // Unknown topic, coordinator loading…: retry with the same coordinator.
        } else if (code === ErrorCode.GROUP_AUTHORIZATION_FAILED) {
          this.abortableError(errorOf(code, `Not authorized to access group: ${this.group.groupId}`))
          break outer
        } else if (code === ErrorCode.FENCED_INSTANCE_ID || code === ErrorCode.TRANSACTION_ABORTABLE) {
          this.abortableError(errorOf(code))
          break outer
        } else if (code === ErrorCode.UNKNOWN_MEMBER_ID || code === ErrorCode.ILLEGAL_GENERATION) {
          this.abortableError(
            new KafkaError({
              code: 'COMMIT_FAILED',
              message: `Transaction offset Commit failed due to consumer group metadata mismatch: ${errorOf(code).message}`,
              cause: errorOf(code),
            }),
          )
          break outer
        } else if (code === ErrorCode.INVALID_PRODUCER_EPOCH || code === ErrorCode.PRODUCER_FENCED) {
          const { producerId, epoch } = this.tm.currentProducerIdAndEpoch()
          this.fatalError(
            new ProducerFencedError({ transactionalId: this.tm.transactionalId, producerId, epoch }),
          )
          break outer
        } else if (
          code === ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED ||
          code === ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT
        ) {
          this.fatalError(errorOf(code))
          break outer
        } else {
          this.fatalError(unexpectedError('TxnOffsetCommit', code))
          break outer
        }
      }
    }
    if (this.result.isCompleted) pending.clear()
    else if (pending.size === 0) this.result.done()
    else this.reenqueue()
  }
}
