// TxnOffsetCommit (key 28), versions 0-4. On the group's coordinator (else NOT_COORDINATOR): offsets wait
// for the producer's transaction to end and become the group's committed offsets when it commits with
// the group added through AddOffsetsToTxn. Unknown partitions are UNKNOWN_TOPIC_OR_PARTITION. As in Kafka
// before transactions v2, the group coordinator does not consult the transaction coordinator (offsets of
// a group never added are accepted and never committed), and group generations are not checked: the
// embedded cluster has no consumer groups.
import { ErrorCode, type TxnOffsetCommitResponseTopicInput } from '@x/protocol'
import type { ApiHandler } from './api-handler.js'

export const txnOffsetCommitHandler: ApiHandler<'TxnOffsetCommit'> = {
  name: 'TxnOffsetCommit',
  partitions: (request) => (visit) =>
    request.topics.some((topic) =>
      topic.partitions.some((partition) => visit(topic.name, partition.partitionIndex)),
    ),
  handle(ctx, request) {
    const { model } = ctx
    const notCoordinator = model.coordinatorFor(request.groupId)?.id !== ctx.broker.id
    const topics: TxnOffsetCommitResponseTopicInput[] = request.topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map((partition) => {
        const injected = ctx.faults.errorFor(topic.name, partition.partitionIndex)
        let errorCode: number = injected !== 0 ? injected : notCoordinator ? ErrorCode.NOT_COORDINATOR : 0
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
