// TxnOffsetCommit (key 28), versions 0-4. On the group's coordinator (else NOT_COORDINATOR): offsets wait
// for the producer's transaction to end and become the group's committed offsets on COMMIT. Unknown
// partitions are UNKNOWN_TOPIC_OR_PARTITION; a group not added with AddOffsetsToTxn, or a stale producer,
// is INVALID_TXN_STATE / PRODUCER_FENCED (INVALID_PRODUCER_EPOCH before v2). Group generations are not
// checked: the embedded cluster has no consumer groups.
import { ErrorCode, type TxnOffsetCommitResponseTopicInput } from '@x/protocol'
import type { ApiHandler } from './api-handler.js'
import { fencedFor } from './fenced-error.js'

export const txnOffsetCommitHandler: ApiHandler<'TxnOffsetCommit'> = {
  name: 'TxnOffsetCommit',
  partitions: (request) => (visit) =>
    request.topics.some((topic) =>
      topic.partitions.some((partition) => visit(topic.name, partition.partitionIndex)),
    ),
  handle(ctx, request) {
    const { model } = ctx
    let requestError = 0
    if (model.coordinatorFor(request.groupId)?.id !== ctx.broker.id) {
      requestError = ErrorCode.NOT_COORDINATOR
    } else {
      requestError = fencedFor(
        model.transactions.validate(request.transactionalId, request.producerId, request.producerEpoch),
        ctx.apiVersion,
        2,
      )
      const txn = model.transactions.metadata(request.transactionalId)
      if (
        requestError === 0 &&
        (txn === undefined || txn.state !== 'Ongoing' || !txn.groups.has(request.groupId))
      ) {
        requestError = ErrorCode.INVALID_TXN_STATE
      }
    }
    const topics: TxnOffsetCommitResponseTopicInput[] = request.topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map((partition) => {
        const injected = ctx.faults.errorFor(topic.name, partition.partitionIndex)
        let errorCode = injected !== 0 ? injected : requestError
        if (errorCode === 0 && model.partition(topic.name, partition.partitionIndex) === undefined) {
          errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
        }
        if (errorCode === 0) {
          model.transactions.addPendingOffset(
            request.producerId,
            request.groupId,
            topic.name,
            partition.partitionIndex,
            partition.committedOffset,
          )
        }
        return { partitionIndex: partition.partitionIndex, errorCode }
      }),
    }))
    return { throttleTimeMs: 0, topics }
  },
}
