// Produce (key 0), versions 3-11. Transactional records without a transactional id fail the whole request
// with TRANSACTIONAL_ID_AUTHORIZATION_FAILED. Per partition, in Kafka's order: unknown topic or partition, one magic-2
// batch per partition (INVALID_RECORD; zstd before v7 is UNSUPPORTED_COMPRESSION_TYPE), leadership
// (NOT_LEADER_OR_FOLLOWER with KIP-951 leader hints from v10), acks=-1 against min.insync.replicas
// (NOT_ENOUGH_REPLICAS, capped at the replication factor), transaction verification (KIP-890 part 1:
// INVALID_TXN_STATE, TRANSACTION_ABORTABLE from v11), the log's batch validation
// (see produced-batch.ts), then producer state: a retry of one of the last five batches is answered with
// its original offset, a gap or an old sequence is OUT_OF_ORDER_SEQUENCE_NUMBER, an old epoch
// INVALID_PRODUCER_EPOCH, a non-transactional batch inside an open transaction INVALID_TXN_STATE. acks=0
// gets no response, and an error closes the connection instead, as Kafka does.
import {
  ErrorCode,
  type ProduceResponseNodeEndpointInput,
  type ProduceResponsePartitionProduceResponseInput,
  type ProduceResponseTopicProduceResponseInput,
} from '@x/protocol'
import { BrokerError } from '../broker-error.js'
import type { PartitionState, TopicState } from '../cluster/topic-state.js'
import { type ProducedBatch, parseProducedRecords, validateProducedBatch } from '../log/produced-batch.js'
import { inSequence } from '../log/producer-state.js'
import { type ApiHandler, NO_RESPONSE, type RequestContext } from './api-handler.js'

type PartitionResult = ProduceResponsePartitionProduceResponseInput

function failure(index: number, errorCode: number): PartitionResult {
  return { index, errorCode, baseOffset: -1n, logAppendTimeMs: -1n, logStartOffset: -1n, errorMessage: null }
}

/** Java's `ProducerAppendInfo.checkProducerEpoch` and `checkSequence` for a batch that is not a duplicate. */
function checkProducerState(
  ctx: RequestContext<'Produce'>,
  partition: PartitionState,
  batch: ProducedBatch,
): void {
  const tp = `${partition.topic}-${partition.index}`
  const state = partition.log.producers.get(batch.producerId)
  const currentEpoch = state?.epoch ?? -1
  if (batch.producerEpoch < currentEpoch) {
    throw new BrokerError(
      'INVALID_PRODUCER_EPOCH',
      `Epoch of producer ${batch.producerId} at offset ${partition.log.logEndOffset} in ${tp} is ${batch.producerEpoch}, which is smaller than the last seen epoch ${currentEpoch}`,
    )
  }
  if (batch.producerEpoch !== currentEpoch) {
    if (batch.baseSequence !== 0) {
      if (currentEpoch !== -1) {
        throw new BrokerError(
          'OUT_OF_ORDER_SEQUENCE_NUMBER',
          `Invalid sequence number for new epoch of producer ${batch.producerId} at offset ${partition.log.logEndOffset} in partition ${tp}: ${batch.producerEpoch} (request epoch), ${batch.baseSequence} (seq. number), ${currentEpoch} (current producer epoch)`,
        )
      }
      if (ctx.model.settings.unknownProducerId === 'reject') {
        throw new BrokerError(
          'UNKNOWN_PRODUCER_ID',
          `Found no record of producerId=${batch.producerId} on the broker at offset ${partition.log.logEndOffset} in partition ${tp}.`,
        )
      }
    }
  } else if (!inSequence(state!.lastSeq, batch.baseSequence)) {
    throw new BrokerError(
      'OUT_OF_ORDER_SEQUENCE_NUMBER',
      `Out of order sequence number for producer ${batch.producerId} at offset ${partition.log.logEndOffset} in partition ${tp}: ${batch.baseSequence} (incoming seq. number), ${state!.lastSeq} (current end sequence number)`,
    )
  }
  if (partition.log.openTransactions.has(batch.producerId) && !batch.isTransactional) {
    throw new BrokerError(
      'INVALID_TXN_STATE',
      `Expected transactional write from producer ${batch.producerId} at offset ${partition.log.logEndOffset} in partition ${tp}`,
    )
  }
}

/** The transactional attribute of the partition's first batch, if it has one. */
function isTransactionalBatch(records: Uint8Array | null): boolean {
  return records !== null && records.length >= 23 && records[16] === 2 && (records[22]! & 0x10) !== 0
}

function lastSequenceOf(batch: ProducedBatch): number {
  const last = batch.baseSequence + batch.lastOffsetDelta
  return last > 0x7fffffff ? last - 0x7fffffff - 1 : last
}

function appendToLeader(
  ctx: RequestContext<'Produce'>,
  topic: TopicState,
  partition: PartitionState,
  batch: ProducedBatch,
  acks: number,
  transactionalId: string | null,
): PartitionResult {
  const { model } = ctx
  const log = partition.log
  const config = topic.config
  // Kafka caps min.insync.replicas at the replication factor (Partition.effectiveMinIsr)
  const minIsr = Math.min(config.minInsyncReplicas, partition.replicas.length)
  if (acks === -1 && model.isr(partition).length < minIsr) {
    throw new BrokerError(
      'NOT_ENOUGH_REPLICAS',
      `The size of the current ISR ${model.isr(partition).length} is insufficient to satisfy the min.isr requirement of ${minIsr} for partition ${partition.topic}-${partition.index}`,
    )
  }
  if (batch.isTransactional && transactionalId !== null && batch.producerId >= 0n) {
    const verification = model.transactions.verifyPartition(
      transactionalId,
      batch.producerId,
      batch.producerEpoch,
      partition.topic,
      partition.index,
    )
    if (verification !== 0) {
      // From v11 (KIP-890) a failed verification tells the client to abort: TRANSACTION_ABORTABLE
      const abortable = verification === ErrorCode.INVALID_TXN_STATE && ctx.apiVersion >= 11
      return failure(partition.index, abortable ? ErrorCode.TRANSACTION_ABORTABLE : verification)
    }
  }
  validateProducedBatch(batch, {
    topicPartition: `${partition.topic}-${partition.index}`,
    maxMessageBytes: config.maxMessageBytes,
    segmentBytes: config.segmentBytes,
    compacted: config.compacted,
    logAppendTime: config.logAppendTime,
    timestampBeforeMaxMs: config.timestampBeforeMaxMs,
    timestampAfterMaxMs: config.timestampAfterMaxMs,
    nowMs: ctx.nowMs,
    codecs: model.settings.codecs,
    validateRecords: model.settings.validateRecords,
  })
  const idempotent = batch.producerId >= 0n
  const lastSeq = idempotent ? lastSequenceOf(batch) : -1
  if (idempotent) {
    const duplicate = log.producers
      .get(batch.producerId)
      ?.findDuplicate(batch.producerEpoch, batch.baseSequence, lastSeq)
    if (duplicate !== undefined) {
      return {
        index: partition.index,
        errorCode: 0,
        baseOffset: BigInt(duplicate.firstOffset),
        logAppendTimeMs: BigInt(duplicate.timestamp),
        logStartOffset: BigInt(log.logStartOffset),
      }
    }
    checkProducerState(ctx, partition, batch)
  }
  const logAppendTimeMs = config.logAppendTime ? ctx.nowMs : undefined
  const stored = log.append(batch, partition.leaderEpoch, logAppendTimeMs)
  if (idempotent) {
    const state = log.producerState(batch.producerId, batch.producerEpoch)
    state.addBatch(batch.producerEpoch, {
      firstSeq: batch.baseSequence,
      lastSeq,
      firstOffset: stored.baseOffset,
      lastOffset: stored.lastOffset,
      timestamp: stored.maxTimestamp,
    })
    if (batch.isTransactional && !log.openTransactions.has(batch.producerId)) {
      log.openTransactions.set(batch.producerId, stored.baseOffset)
      state.currentTxnFirstOffset = stored.baseOffset
    }
  }
  return {
    index: partition.index,
    errorCode: 0,
    baseOffset: BigInt(stored.baseOffset),
    logAppendTimeMs: logAppendTimeMs === undefined ? -1n : BigInt(logAppendTimeMs),
    logStartOffset: BigInt(log.logStartOffset),
  }
}

export const produceHandler: ApiHandler<'Produce'> = {
  name: 'Produce',
  partitions: (request) => (visit) =>
    request.topicData.some((topic) =>
      topic.partitionData.some((partition) => visit(topic.name, partition.index)),
    ),
  handle(ctx, request) {
    const { model, apiVersion, faults } = ctx
    const acks = request.acks
    const endpoints = new Map<number, ProduceResponseNodeEndpointInput>()
    // Transactional records need a transactional id to authorize: without one the whole request fails
    const unauthorized =
      request.transactionalId === null &&
      request.topicData.some((topic) =>
        topic.partitionData.some((data) => isTransactionalBatch(data.records)),
      )
    const responses: ProduceResponseTopicProduceResponseInput[] = []
    let anyError = false
    for (const topicData of request.topicData) {
      const partitionResponses: PartitionResult[] = []
      const topic = model.topics.get(topicData.name)
      for (const data of topicData.partitionData) {
        let result: PartitionResult
        const injected = faults.errorFor(topicData.name, data.index)
        const partition = topic?.partitions[data.index]
        if (injected !== 0) {
          result = failure(data.index, injected)
        } else if (unauthorized) {
          result = failure(data.index, ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED)
        } else if (acks !== 0 && acks !== 1 && acks !== -1) {
          result = failure(data.index, ErrorCode.INVALID_REQUIRED_ACKS)
        } else if (topic === undefined || partition === undefined) {
          result = failure(data.index, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
        } else {
          try {
            const batch = parseProducedRecords(data.records, apiVersion)
            if (partition.leaderId !== ctx.broker.id) {
              result = notLeader(ctx, partition, endpoints)
            } else {
              result = appendToLeader(ctx, topic, partition, batch, acks, request.transactionalId)
            }
          } catch (error) {
            if (!(error instanceof BrokerError)) throw error
            result = failure(data.index, error.errorCode)
            if (error.recordErrors.length > 0) {
              // only record validation failures carry a message (Kafka's RecordValidationException)
              result.errorMessage = error.detail
              result.recordErrors = error.recordErrors.map((recordError) => ({
                batchIndex: recordError.batchIndex,
                batchIndexErrorMessage: recordError.message,
              }))
            }
          }
          const late = faults.errorFor(topicData.name, data.index, true)
          if (late !== 0) result = failure(data.index, late)
        }
        if (result.errorCode !== 0) anyError = true
        partitionResponses.push(result)
      }
      responses.push({ name: topicData.name, partitionResponses })
    }
    if (acks === 0) {
      if (anyError) ctx.closeConnection()
      return NO_RESPONSE
    }
    return { responses, throttleTimeMs: 0, nodeEndpoints: apiVersion >= 10 ? [...endpoints.values()] : [] }
  },
}

/** NOT_LEADER_OR_FOLLOWER, with the current leader and its endpoint from v10 unless the move said otherwise. */
function notLeader(
  ctx: RequestContext<'Produce'>,
  partition: PartitionState,
  endpoints: Map<number, ProduceResponseNodeEndpointInput>,
): PartitionResult {
  const result = failure(partition.index, ErrorCode.NOT_LEADER_OR_FOLLOWER)
  if (ctx.apiVersion < 10 || partition.leaderHint === 'none') return result
  const leader = ctx.model.brokers.get(partition.leaderId)
  if (partition.leaderHint === 'stale') {
    result.currentLeader = { leaderId: ctx.broker.id, leaderEpoch: Math.max(0, partition.leaderEpoch - 1) }
    return result
  }
  if (leader === undefined || !leader.isUp) return result
  result.currentLeader = { leaderId: leader.id, leaderEpoch: partition.leaderEpoch }
  endpoints.set(leader.id, { nodeId: leader.id, host: leader.host, port: leader.port, rack: leader.rack })
  return result
}
