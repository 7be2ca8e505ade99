// AddPartitionsToTxn (key 24), versions 0-5 (v4+ batch transactions and carry `verifyOnly`, the broker's
// own verification call). On the transactional id's coordinator (else NOT_COORDINATOR): unknown
// partitions get UNKNOWN_TOPIC_OR_PARTITION and the rest OPERATION_NOT_ATTEMPTED; a wrong producer id is
// INVALID_PRODUCER_ID_MAPPING, a wrong epoch PRODUCER_FENCED (INVALID_PRODUCER_EPOCH before v2). Otherwise
// the transaction becomes Ongoing with the partitions in it. `verifyOnly` reports INVALID_TXN_STATE for a
// partition not in the open transaction and changes nothing.
import {
  type AddPartitionsToTxnRequestAddPartitionsToTxnTopic,
  type AddPartitionsToTxnResponseAddPartitionsToTxnTopicResultInput,
  ErrorCode,
} from '@x/protocol'
import type { PartitionState } from '../cluster/topic-state.js'
import { partitionKey } from '../txn/transaction-coordinator.js'
import type { ApiHandler, RequestContext } from './api-handler.js'
import { fencedFor } from './fenced-error.js'

interface TransactionInput {
  transactionalId: string
  producerId: bigint
  producerEpoch: number
  verifyOnly: boolean
  topics: readonly AddPartitionsToTxnRequestAddPartitionsToTxnTopic[]
}

function resultsFor(
  topics: readonly AddPartitionsToTxnRequestAddPartitionsToTxnTopic[],
  codeFor: (topic: string, partition: number) => number,
): AddPartitionsToTxnResponseAddPartitionsToTxnTopicResultInput[] {
  return topics.map((topic) => ({
    name: topic.name,
    resultsByPartition: topic.partitions.map((partition) => ({
      partitionIndex: partition,
      partitionErrorCode: codeFor(topic.name, partition),
    })),
  }))
}

function addPartitions(
  ctx: RequestContext<'AddPartitionsToTxn'>,
  txn: TransactionInput,
): AddPartitionsToTxnResponseAddPartitionsToTxnTopicResultInput[] {
  const { model } = ctx
  const injected = ctx.faults.errorFor()
  if (injected !== 0) return resultsFor(txn.topics, () => injected)
  if (model.coordinatorFor(txn.transactionalId)?.id !== ctx.broker.id) {
    return resultsFor(txn.topics, () => ErrorCode.NOT_COORDINATOR)
  }
  const found: PartitionState[] = []
  let anyUnknown = false
  for (const topic of txn.topics) {
    for (const index of topic.partitions) {
      const partition = model.partition(topic.name, index)
      if (partition === undefined) anyUnknown = true
      else found.push(partition)
    }
  }
  if (anyUnknown) {
    return resultsFor(txn.topics, (topic, index) =>
      model.partition(topic, index) === undefined
        ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
        : ErrorCode.OPERATION_NOT_ATTEMPTED,
    )
  }
  if (txn.verifyOnly) {
    const error = model.transactions.validate(txn.transactionalId, txn.producerId, txn.producerEpoch)
    if (error !== 0) return resultsFor(txn.topics, () => error)
    const metadata = model.transactions.metadata(txn.transactionalId)!
    return resultsFor(txn.topics, (topic, index) =>
      metadata.state === 'Ongoing' && metadata.partitions.has(partitionKey(topic, index))
        ? 0
        : ErrorCode.INVALID_TXN_STATE,
    )
  }
  const error = model.transactions.addPartitions(
    txn.transactionalId,
    txn.producerId,
    txn.producerEpoch,
    found,
    ctx.nowMs,
  )
  const code = fencedFor(error, ctx.apiVersion, 2)
  return resultsFor(txn.topics, () => code)
}

export const addPartitionsToTxnHandler: ApiHandler<'AddPartitionsToTxn'> = {
  name: 'AddPartitionsToTxn',
  partitions: (request) => (visit) =>
    [...request.v3AndBelowTopics, ...request.transactions.flatMap((txn) => txn.topics)].some((topic) =>
      topic.partitions.some((partition) => visit(topic.name, partition)),
    ),
  handle(ctx, request) {
    if (ctx.apiVersion <= 3) {
      return {
        throttleTimeMs: 0,
        resultsByTopicV3AndBelow: addPartitions(ctx, {
          transactionalId: request.v3AndBelowTransactionalId,
          producerId: request.v3AndBelowProducerId,
          producerEpoch: request.v3AndBelowProducerEpoch,
          verifyOnly: false,
          topics: request.v3AndBelowTopics,
        }),
      }
    }
    return {
      throttleTimeMs: 0,
      errorCode: 0,
      resultsByTransaction: request.transactions.map((txn) => ({
        transactionalId: txn.transactionalId,
        topicResults: addPartitions(ctx, txn),
      })),
    }
  },
}
