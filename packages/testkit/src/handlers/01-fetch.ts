// Fetch (key 1), versions 4-17 (v13+ name topics by id). Per partition: unknown topic (UNKNOWN_TOPIC_ID
// by id), leadership (NOT_LEADER_OR_FOLLOWER with the current leader from v12 and its endpoint from v16),
// the client's leader epoch (FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH), the offset range
// (OFFSET_OUT_OF_RANGE). Data is read up to the high watermark, or for read_committed up to the last
// stable offset with the aborted transactions in range. The first batch is returned even when larger than
// the limits (KIP-74). With less than `minBytes` the fetch is parked until an append or `maxWaitMs`.
// Fetch sessions (KIP-227) are declined: session id 0 means "no session", so clients send full fetches.
import {
  ErrorCode,
  type FetchRequest,
  type FetchResponseFetchableTopicResponseInput,
  type FetchResponseInput,
  type FetchResponseNodeEndpointInput,
  type FetchResponsePartitionDataInput,
} from '@x/protocol'
import type { PartitionState, TopicState } from '../cluster/topic-state.js'
import type { PartitionLog } from '../log/partition-log.js'
import { type ApiHandler, DEFERRED, type RequestContext } from './api-handler.js'

const EMPTY = new Uint8Array(0)
const READ_COMMITTED = 1

interface FetchPass {
  response: FetchResponseInput
  bytes: number
  hasError: boolean
  logs: PartitionLog[]
}

function topicOf(
  ctx: RequestContext<'Fetch'>,
  topic: FetchRequest['topics'][number],
): TopicState | undefined {
  return ctx.apiVersion >= 13 ? ctx.model.topicsById.get(topic.topicId) : ctx.model.topics.get(topic.topic)
}

function errorPartition(
  index: number,
  errorCode: number,
  log?: PartitionLog,
): FetchResponsePartitionDataInput {
  return {
    partitionIndex: index,
    errorCode,
    highWatermark: log === undefined ? -1n : BigInt(log.highWatermark),
    lastStableOffset: log === undefined ? -1n : BigInt(log.lastStableOffset),
    logStartOffset: log === undefined ? -1n : BigInt(log.logStartOffset),
    abortedTransactions: null,
    preferredReadReplica: -1,
    records: EMPTY,
  }
}

function readPartitions(ctx: RequestContext<'Fetch'>, request: FetchRequest): FetchPass {
  const { model, apiVersion, faults } = ctx
  const readCommitted = request.isolationLevel === READ_COMMITTED
  let remaining = request.maxBytes
  let minOneBatch = true
  let bytes = 0
  let hasError = false
  const logs: PartitionLog[] = []
  const endpoints = new Map<number, FetchResponseNodeEndpointInput>()
  const responses: FetchResponseFetchableTopicResponseInput[] = []
  for (const requested of request.topics) {
    const topic = topicOf(ctx, requested)
    const partitions: FetchResponsePartitionDataInput[] = []
    for (const fetch of requested.partitions) {
      const partition: PartitionState | undefined = topic?.partitions[fetch.partition]
      const injected = topic === undefined ? 0 : faults.errorFor(topic.name, fetch.partition)
      let result: FetchResponsePartitionDataInput
      if (injected !== 0) {
        result = errorPartition(fetch.partition, injected)
      } else if (topic === undefined) {
        result = errorPartition(
          fetch.partition,
          apiVersion >= 13 ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        )
      } else if (partition === undefined) {
        result = errorPartition(fetch.partition, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
      } else if (partition.leaderId !== ctx.broker.id) {
        result = errorPartition(fetch.partition, ErrorCode.NOT_LEADER_OR_FOLLOWER)
        const leader = model.brokers.get(partition.leaderId)
        if (apiVersion >= 12 && partition.leaderHint !== 'none' && leader?.isUp === true) {
          result.currentLeader = { leaderId: leader.id, leaderEpoch: partition.leaderEpoch }
          if (apiVersion >= 16) {
            endpoints.set(leader.id, {
              nodeId: leader.id,
              host: leader.host,
              port: leader.port,
              rack: leader.rack,
            })
          }
        }
      } else if (fetch.currentLeaderEpoch >= 0 && fetch.currentLeaderEpoch !== partition.leaderEpoch) {
        result = errorPartition(
          fetch.partition,
          fetch.currentLeaderEpoch < partition.leaderEpoch
            ? ErrorCode.FENCED_LEADER_EPOCH
            : ErrorCode.UNKNOWN_LEADER_EPOCH,
          partition.log,
        )
      } else {
        const log = partition.log
        const offset = Number(fetch.fetchOffset)
        if (offset < log.logStartOffset || offset > log.logEndOffset) {
          result = errorPartition(fetch.partition, ErrorCode.OFFSET_OUT_OF_RANGE, log)
        } else {
          logs.push(log)
          const upperBound = readCommitted ? log.lastStableOffset : log.highWatermark
          const limit = Math.min(fetch.partitionMaxBytes, Math.max(remaining, 0))
          const read = log.read(offset, upperBound, limit, minOneBatch)
          const records = read.records ?? EMPTY
          if (records.length > 0) {
            minOneBatch = false
            remaining -= records.length
            bytes += records.length
          }
          result = {
            partitionIndex: fetch.partition,
            errorCode: 0,
            highWatermark: BigInt(log.highWatermark),
            lastStableOffset: BigInt(log.lastStableOffset),
            logStartOffset: BigInt(log.logStartOffset),
            abortedTransactions: readCommitted
              ? log
                  .abortedTransactionsBetween(offset, upperBound)
                  .map((txn) => ({ producerId: txn.producerId, firstOffset: BigInt(txn.firstOffset) }))
              : null,
            preferredReadReplica: -1,
            records,
          }
        }
      }
      if (result.errorCode !== 0) hasError = true
      partitions.push(result)
    }
    responses.push({ topic: requested.topic, topicId: requested.topicId, partitions })
  }
  return {
    response: {
      throttleTimeMs: 0,
      errorCode: 0,
      sessionId: 0,
      responses,
      nodeEndpoints: apiVersion >= 16 ? [...endpoints.values()] : [],
    },
    bytes,
    hasError,
    logs,
  }
}

export const fetchHandler: ApiHandler<'Fetch'> = {
  name: 'Fetch',
  partitions: (request) => (visit) =>
    request.topics.some((topic) =>
      topic.partitions.some((partition) => visit(topic.topic, partition.partition)),
    ),
  handle(ctx, request) {
    if (request.sessionId !== 0) {
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND,
        sessionId: 0,
        responses: [],
      }
    }
    const first = readPartitions(ctx, request)
    if (
      first.bytes >= request.minBytes ||
      request.maxWaitMs <= 0 ||
      first.hasError ||
      first.logs.length === 0
    ) {
      return first.response
    }
    // Park: answer on the next append to one of the partitions that brings enough bytes, or at maxWaitMs.
    const deferred = ctx.defer()
    let cancelTimer: (() => void) | undefined
    let cancelWaits: (() => void)[] = []
    const stopWaiting = () => {
      cancelTimer?.()
      for (const cancel of cancelWaits) cancel()
      cancelWaits = []
    }
    const answer = () => {
      stopWaiting()
      deferred.complete(readPartitions(ctx, request).response)
    }
    const watch = (logs: PartitionLog[]) => {
      cancelWaits = logs.map((log) =>
        log.onAppend(() => {
          for (const cancel of cancelWaits) cancel()
          const pass = readPartitions(ctx, request)
          if (pass.bytes >= request.minBytes || pass.hasError) answer()
          else watch(pass.logs)
        }),
      )
    }
    watch(first.logs)
    cancelTimer = ctx.model.timers.schedule(answer, request.maxWaitMs)
    deferred.onCancel(stopWaiting)
    return DEFERRED
  },
}
