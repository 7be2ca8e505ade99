// ListOffsets (key 2), versions 1-10. LATEST (-1) is the high watermark, or the last stable offset for
// read_committed; EARLIEST (-2) and EARLIEST_LOCAL (-4) the log start offset; MAX_TIMESTAMP (-3, v7+) the
// record with the largest timestamp; LATEST_TIERED (-5) finds nothing without tiered storage; a real
// timestamp finds the first record at or after it below the fetchable bound. Nothing found is offset -1
// with error NONE. Leadership and the client's leader epoch are checked as for Fetch.
import {
  decodeRecordBatches,
  ErrorCode,
  type ListOffsetsResponseListOffsetsPartitionResponseInput,
  type ListOffsetsResponseListOffsetsTopicResponseInput,
} from '@x/protocol'
import type { PartitionLog } from '../log/partition-log.js'
import { storedBytes } from '../log/stored-batch.js'
import type { ApiHandler } from './api-handler.js'

const LATEST = -1
const EARLIEST = -2
const MAX_TIMESTAMP = -3
const EARLIEST_LOCAL = -4
const READ_COMMITTED = 1

type PartitionResult = ListOffsetsResponseListOffsetsPartitionResponseInput

/** The first record with timestamp >= `target` (or the first with the maximum timestamp) below `bound`. */
function findRecord(
  log: PartitionLog,
  bound: number,
  target: number | 'max',
): { offset: number; timestamp: number } | undefined {
  let best: { offset: number; timestamp: number } | undefined
  for (let index = log.batchIndexFor(log.logStartOffset); index < log.batches.length; index++) {
    const batch = log.batches[index]!
    if (batch.baseOffset >= bound) break
    if (batch.isControl) continue
    if (target !== 'max' && batch.maxTimestamp < target) continue
    if (target === 'max' && best !== undefined && batch.maxTimestamp <= best.timestamp) continue
    for (const decoded of decodeRecordBatches(storedBytes(batch), { verifyCrc: false })) {
      for (const record of decoded.records) {
        const offset = Number(record.offset)
        if (offset < log.logStartOffset || offset >= bound) continue
        if (target === 'max') {
          if (best === undefined || record.timestamp > best.timestamp)
            best = { offset, timestamp: record.timestamp }
        } else if (record.timestamp >= target) {
          return { offset, timestamp: record.timestamp }
        }
      }
    }
  }
  return best
}

export const listOffsetsHandler: ApiHandler<'ListOffsets'> = {
  name: 'ListOffsets',
  partitions: (request) => (visit) =>
    request.topics.some((topic) =>
      topic.partitions.some((partition) => visit(topic.name, partition.partitionIndex)),
    ),
  handle(ctx, request) {
    const { model, faults } = ctx
    const topics: ListOffsetsResponseListOffsetsTopicResponseInput[] = request.topics.map((requested) => {
      const topic = model.topics.get(requested.name)
      const partitions = requested.partitions.map((asked): PartitionResult => {
        const fail = (errorCode: number): PartitionResult => ({
          partitionIndex: asked.partitionIndex,
          errorCode,
          timestamp: -1n,
          offset: -1n,
          leaderEpoch: -1,
        })
        const injected = faults.errorFor(requested.name, asked.partitionIndex)
        if (injected !== 0) return fail(injected)
        const partition = topic?.partitions[asked.partitionIndex]
        if (partition === undefined) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
        if (partition.leaderId !== ctx.broker.id) return fail(ErrorCode.NOT_LEADER_OR_FOLLOWER)
        if (asked.currentLeaderEpoch >= 0 && asked.currentLeaderEpoch !== partition.leaderEpoch) {
          return fail(
            asked.currentLeaderEpoch < partition.leaderEpoch
              ? ErrorCode.FENCED_LEADER_EPOCH
              : ErrorCode.UNKNOWN_LEADER_EPOCH,
          )
        }
        const log = partition.log
        const bound = request.isolationLevel === READ_COMMITTED ? log.lastStableOffset : log.highWatermark
        const timestamp = Number(asked.timestamp)
        const found = (offset: number, at: number): PartitionResult => ({
          partitionIndex: asked.partitionIndex,
          errorCode: 0,
          timestamp: BigInt(at),
          offset: BigInt(offset),
          leaderEpoch: ctx.apiVersion >= 4 ? partition.leaderEpoch : -1,
        })
        if (timestamp === LATEST) return found(bound, -1)
        if (timestamp === EARLIEST || timestamp === EARLIEST_LOCAL) return found(log.logStartOffset, -1)
        const record =
          timestamp === MAX_TIMESTAMP
            ? findRecord(log, bound, 'max')
            : timestamp >= 0
              ? findRecord(log, bound, timestamp)
              : undefined
        if (record === undefined) return { ...found(-1, -1), leaderEpoch: -1 }
        return found(record.offset, record.timestamp)
      })
      return { name: requested.name, partitions }
    })
    return { throttleTimeMs: 0, topics }
  },
}
