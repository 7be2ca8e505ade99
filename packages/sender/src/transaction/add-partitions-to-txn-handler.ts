import type { TopicPartition } from '@x/partitioners'
import {
  type AddPartitionsToTxnRequestInput,
  type AddPartitionsToTxnResponse,
  type AddPartitionsToTxnResponseAddPartitionsToTxnTopicResult,
  ErrorCode,
  KafkaError,
  readAddPartitionsToTxnResponse,
  writeAddPartitionsToTxnRequest,
} from '@x/protocol'
import type { ClientResponse, RequestSpec } from '../network/client-request.js'
import type { NetworkClient } from '../network/network-client.js'
import { ProducerFencedError } from './producer-fenced-error.js'
import { TXN_APIS } from './transaction-apis.js'
import {
  errorOf,
  isRetriableCode,
  type TxnHandlerContext,
  TxnPriority,
  TxnRequestHandler,
} from './txn-request-handler.js'

/** Java `ADD_PARTITIONS_RETRY_BACKOFF_MS`: the previous transaction is usually still completing. */
const CONCURRENT_TRANSACTIONS_BACKOFF_MS = 20

/**
 * AddPartitionsToTxn v0–3 (Java `AddPartitionsToTxnHandler`): every partition the transaction has written to
 * since the last request, in one request, before any Produce to them. A partition error fails the whole
 * request the way Java classifies it: coordinator moves and CONCURRENT_TRANSACTIONS retry, fencing and
 * INVALID_TXN_STATE are fatal, topic authorization and the rest abortable.
 */
export class AddPartitionsToTxnHandler extends TxnRequestHandler {
  readonly name = 'AddPartitionsToTxn'
  readonly priority = TxnPriority.ADD_PARTITIONS_OR_OFFSETS
  private backoffMs: number

  constructor(
    tm: TxnHandlerContext,
    private readonly body: AddPartitionsToTxnRequestInput,
  ) {
    super(tm, 'AddPartitionsToTxn')
    this.backoffMs = tm.retryBackoffMs
  }

  send(
    client: NetworkClient,
    nodeId: number,
    nowMs: number,
    onComplete: (response: ClientResponse<unknown>) => void,
  ): void {
    client.send(nodeId, this.requestSpec(), onComplete, nowMs)
  }

  private requestSpec(): RequestSpec<AddPartitionsToTxnRequestInput, AddPartitionsToTxnResponse> {
    return {
      api: TXN_APIS.addPartitionsToTxn,
      body: this.body,
      write: writeAddPartitionsToTxnRequest,
      read: readAddPartitionsToTxnResponse,
    }
  }

  override retryBackoffMs(): number {
    return Math.min(this.tm.retryBackoffMs, this.backoffMs)
  }

  handleResponse(body: unknown, apiVersion: number): void {
    const response = body as AddPartitionsToTxnResponse
    const results: readonly AddPartitionsToTxnResponseAddPartitionsToTxnTopicResult[] =
      apiVersion >= 4
        ? (response.resultsByTransaction[0]?.topicResults ?? [])
        : response.resultsByTopicV3AndBelow
    this.backoffMs = this.tm.retryBackoffMs
    const partitions: TopicPartition[] = []
    const unauthorizedTopics = new Set<string>()
    const failures: string[] = []
    for (const topic of results) {
      for (const result of topic.resultsByPartition) {
        const tp = { topic: topic.name, partition: result.partitionIndex }
        partitions.push(tp)
        const code = result.partitionErrorCode
        if (code === ErrorCode.NONE) continue
        if (code === ErrorCode.COORDINATOR_NOT_AVAILABLE || code === ErrorCode.NOT_COORDINATOR) {
          this.tm.lookupCoordinator('transaction', this.coordinatorKey())
          this.reenqueue()
          return
        }
        if (code === ErrorCode.CONCURRENT_TRANSACTIONS) {
          // Only the first add of a transaction waits less: the previous transaction is still completing.
          if (!this.tm.hasPartitionsInTransaction()) this.backoffMs = CONCURRENT_TRANSACTIONS_BACKOFF_MS
          this.reenqueue()
          return
        }
        if (isRetriableCode(code)) {
          this.reenqueue()
          return
        }
        if (code === ErrorCode.INVALID_PRODUCER_EPOCH || code === ErrorCode.PRODUCER_FENCED) {
          const { producerId, epoch } = this.tm.currentProducerIdAndEpoch()
          this.fatalError(
            new ProducerFencedError({ transactionalId: this.tm.transactionalId, producerId, epoch }),
          )
          return
        }
        if (
          code === ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED ||
          code === ErrorCode.INVALID_TXN_STATE
        ) {
          this.fatalError(errorOf(code))
          return
        }
        if (code === ErrorCode.TOPIC_AUTHORIZATION_FAILED) {
          unauthorizedTopics.add(tp.topic)
        } else if (code === ErrorCode.OPERATION_NOT_ATTEMPTED) {
          // Not attempted because other partitions of the request failed.
          failures.push(`${tp.topic}-${tp.partition}: OPERATION_NOT_ATTEMPTED`)
        } else if (code === ErrorCode.UNKNOWN_PRODUCER_ID || code === ErrorCode.INVALID_PRODUCER_ID_MAPPING) {
          this.abortableErrorIfPossible(errorOf(code))
          return
        } else if (code === ErrorCode.TRANSACTION_ABORTABLE) {
          this.abortableError(errorOf(code))
          return
        } else {
          failures.push(`${tp.topic}-${tp.partition}: ${errorOf(code).code}`)
        }
      }
    }
    // Pending no more, added or not: batches in retry for partitions that were added must still be able to go.
    this.tm.removePendingPartitions(partitions)
    if (unauthorizedTopics.size > 0) {
      this.abortableError(
        errorOf(
          ErrorCode.TOPIC_AUTHORIZATION_FAILED,
          `Not authorized to access topics: [${[...unauthorizedTopics].join(', ')}]`,
        ),
      )
    } else if (failures.length > 0) {
      this.abortableError(
        new KafkaError({
          code: 'ADD_PARTITIONS_FAILED',
          message: `Could not add partitions to transaction due to errors: ${failures.join(', ')}.`,
        }),
      )
    } else {
      this.tm.addPartitionsToTransaction(partitions)
      this.result.done()
    }
  }
}
