import type { ProducerBatch } from '@x/accumulator'
import {
  ApiError,
  ErrorCode,
  errorForCode,
  KafkaError,
  type ProduceResponse,
  type ProduceResponsePartitionProduceResponse,
} from '@x/protocol'
import { NetworkError } from '../errors/network-error.js'
import { TimeoutError } from '../errors/timeout-error.js'
import { isInvalidMetadataError } from '../metadata/invalid-metadata-errors.js'
import type { LeaderHint } from '../metadata/metadata.js'
import type { ClientResponse } from '../network/client-request.js'
import type { PartitionResponse } from './partition-response.js'
import type { ProduceRequestPlan } from './produce-request-builder.js'
import type { SenderContext } from './sender-context.js'
import type { SenderEvent } from './sender-events.js'

/** Below v6 the broker delays the response itself; from v6 the client must hold back (KIP-219). */
const CLIENT_SIDE_THROTTLE_VERSION = 6

/**
 * Turns Produce responses into batch outcomes (Java `Sender.handleProduceResponse` / `completeBatch`):
 * success completes the batch with its base offset and log-append time; MESSAGE_TOO_LARGE splits a
 * multi-record batch and re-enqueues the parts; a retriable error re-enqueues it (with backoff) while
 * `retries` and `delivery.timeout.ms` allow; anything else fails it with a typed error, per record when the
 * broker named the records at fault (KIP-467). Errors that mean stale metadata request a refresh, and
 * new-leader hints (KIP-951) update the metadata at once. A batch's memory goes back to the pool only once
 * no socket holds its bytes.
 */
export class ProduceResponseHandler {
  constructor(private readonly context: SenderContext) {}

  handle(plan: ProduceRequestPlan, response: ClientResponse<ProduceResponse>, nowMs: number): void {
    const context = this.context
    if (context.forceClosed) return
    if (context.eventsObserved) {
      context.emit({
        type: 'response-received',
        nodeId: plan.nodeId,
        correlationId: response.correlationId,
        latencyMs: response.receivedTimeMs - response.sendTimeMs,
        ...(response.error === undefined ? {} : { error: response.error }),
      })
    }
    if (response.error !== undefined) {
      const partitionResponse = errorResponse(response.error)
      for (const batch of plan.batches) this.completeBatch(batch, partitionResponse, nowMs, undefined)
      return
    }
    const body = response.body
    if (body === undefined) {
      // acks=0: written is all we will know.
      for (const batch of plan.batches) this.completeBatch(batch, ACKS_ZERO_RESPONSE, nowMs, undefined)
      return
    }
    context.metrics.recordLatency(response.receivedTimeMs - response.sendTimeMs)
    if (body.throttleTimeMs > 0) {
      if (body.throttleTimeMs > context.metrics.produceThrottleTimeMaxMs)
        context.metrics.produceThrottleTimeMaxMs = body.throttleTimeMs
      if (response.apiVersion >= CLIENT_SIDE_THROTTLE_VERSION) {
        context.client.throttle(plan.nodeId, response.receivedTimeMs + body.throttleTimeMs)
      }
    }
    const hints: LeaderHint[] = []
    const answered = new Set<ProducerBatch>()
    for (const topic of body.responses) {
      for (const partition of topic.partitionResponses) {
        const batch = plan.batchFor(topic.name, partition.index)
        if (batch === undefined || answered.has(batch)) continue
        answered.add(batch)
        this.completeBatch(batch, toPartitionResponse(partition), nowMs, hints)
      }
    }
    if (answered.size < plan.batches.length) {
      // A broker that leaves partitions out of its answer: the fate of those batches is unknown, retry them.
      const missing = errorResponse(
        new NetworkError({
          nodeId: plan.nodeId,
          message: `The Produce response from node ${plan.nodeId} did not mention every partition of the request.`,
        }),
      )
      for (const batch of plan.batches)
        if (!answered.has(batch)) this.completeBatch(batch, missing, nowMs, hints)
    }
    if (hints.length > 0) {
      context.metadata.updatePartitionLeadership(
        hints,
        body.nodeEndpoints.map((node) => ({
          id: node.nodeId,
          host: node.host,
          port: node.port,
          rack: node.rack,
        })),
      )
    }
  }

  /** Java `completeBatch(batch, response, correlationId, now, partitionsWithUpdatedLeaderInfo)`. */
  completeBatch(
    batch: ProducerBatch,
    response: PartitionResponse,
    nowMs: number,
    hints: LeaderHint[] | undefined,
  ): void {
    const context = this.context
    const errorCode = response.errorCode
    if (errorCode === ErrorCode.MESSAGE_TOO_LARGE && batch.recordCount > 1 && !batch.isDone()) {
      context.transactionManager.removeInFlightBatch(batch)
      const parts = context.accumulator.splitAndReenqueue(batch)
      context.completionOrder.split(batch, batch.splitParts)
      context.metrics.batchSplitTotal++
      if (context.eventsObserved) context.emit({ type: 'batch-split', batch, into: parts })
      this.removeAndRelease(batch)
    } else if (errorCode !== ErrorCode.NONE) {
      const error = response.error!
      if (this.canRetry(batch, response, nowMs)) {
        context.accumulator.reenqueue(batch, nowMs)
        context.inFlightBatches.remove(batch)
        context.metrics.recordRetryTotal += batch.recordCount
        if (context.eventsObserved)
          context.emit({ type: 'batch-retried', batch, error, attempt: batch.attempts })
      } else if (errorCode === ErrorCode.DUPLICATE_SEQUENCE_NUMBER) {
        // The broker already has this sequence but no longer its offset: report success without one.
        this.succeed(batch, response)
      } else {
        this.fail(batch, response, batch.attempts < context.config.retries)
      }
      if (isInvalidMetadataError(errorCode)) {
        const leader = response.currentLeader
        if (
          hints !== undefined &&
          leader !== undefined &&
          leader.leaderId >= 0 &&
          leader.leaderEpoch >= 0 &&
          (errorCode === ErrorCode.NOT_LEADER_OR_FOLLOWER || errorCode === ErrorCode.FENCED_LEADER_EPOCH)
        ) {
          hints.push({ topic: batch.topic, partition: batch.partition, ...leader })
        }
        context.metadata.requestUpdate()
      }
    } else {
      this.succeed(batch, response)
    }
    if (context.config.guaranteeMessageOrder)
      context.accumulator.unmutePartition(batch.topic, batch.partition)
  }

  /**
   * Fails a batch that reached `delivery.timeout.ms`, queued or in flight. An in-flight batch keeps its memory
   * until its request settles (the late response is then ignored).
   */
  expire(batch: ProducerBatch, nowMs: number, inFlight: boolean): void {
    const context = this.context
    const error = new TimeoutError({
      timeout: 'delivery.timeout.ms',
      timeoutMs: context.config.deliveryTimeoutMs,
      message: `Expiring ${batch.recordCount} record(s) for ${batch.topic}-${batch.partition}:${nowMs - batch.createdMs} ms has passed since batch creation (delivery.timeout.ms is ${context.config.deliveryTimeoutMs} ms).`,
    })
    // Sent before (in flight, or queued for a retry), it may have been written: its sequence is unresolved.
    const event: SenderEvent = { type: 'batch-expired', batch, error, inFlight }
    this.failBatch(batch, error, undefined, false, event, batch.inRetry())
  }

  private canRetry(batch: ProducerBatch, response: PartitionResponse, nowMs: number): boolean {
    const context = this.context
    return (
      !batch.hasReachedDeliveryTimeout(context.config.deliveryTimeoutMs, nowMs) &&
      batch.attempts < context.config.retries &&
      !batch.isDone() &&
      context.transactionManager.canRetry(response, batch)
    )
  }

  private succeed(batch: ProducerBatch, response: PartitionResponse): void {
    const context = this.context
    context.transactionManager.handleCompletedBatch(batch, response)
    context.inFlightBatches.remove(batch)
    context.completionOrder.settle(batch, () => {
      if (batch.complete(response.baseOffset, response.logAppendTimeMs) && context.eventsObserved)
        context.emit({ type: 'batch-completed', batch, baseOffset: response.baseOffset })
      this.release(batch)
    })
  }

  private fail(batch: ProducerBatch, response: PartitionResponse, adjustSequenceNumbers: boolean): void {
    const topLevel = topLevelError(batch, response)
    const event: SenderEvent = { type: 'batch-failed', batch, error: topLevel }
    this.failBatch(batch, topLevel, recordErrorsFor(response), adjustSequenceNumbers, event, false)
  }

  /**
   * Fails a batch: the sequence bookkeeping at once, so the next drain sees it; the completions (and `event`)
   * in their turn, after every batch sent before it to the partition (`CompletionOrder`).
   */
  private failBatch(
    batch: ProducerBatch,
    error: KafkaError,
    recordErrors: ((index: number) => Error | undefined) | undefined,
    adjustSequenceNumbers: boolean,
    event: SenderEvent,
    sequenceUnresolved: boolean,
  ): void {
    const context = this.context
    context.metrics.recordErrorTotal += batch.recordCount
    context.inFlightBatches.remove(batch)
    if (batch.isDone()) {
      this.release(batch)
      return
    }
    try {
      context.transactionManager.handleFailedBatch(batch, error, adjustSequenceNumbers)
      if (sequenceUnresolved) context.transactionManager.markSequenceUnresolved(batch)
    } finally {
      context.completionOrder.settle(batch, () => {
        if (batch.completeExceptionally(error, recordErrors) && context.eventsObserved) context.emit(event)
        this.release(batch)
      })
    }
  }

  private removeAndRelease(batch: ProducerBatch): void {
    this.context.inFlightBatches.remove(batch)
    this.release(batch)
  }

  private release(batch: ProducerBatch): void {
    this.context.inFlightBatches.release(batch, this.context.accumulator)
  }
}

const ACKS_ZERO_RESPONSE: PartitionResponse = Object.freeze({
  errorCode: ErrorCode.NONE,
  error: undefined,
  baseOffset: -1n,
  logAppendTimeMs: -1,
  logStartOffset: -1n,
  recordErrors: [],
  errorMessage: null,
  currentLeader: undefined,
})

/** The outcome of every batch of a request that got no response. */
function errorResponse(error: KafkaError): PartitionResponse {
  const errorCode = ApiError.isInstance(error)
    ? error.errorCode
    : TimeoutError.isInstance(error)
      ? ErrorCode.REQUEST_TIMED_OUT
      : NetworkError.isInstance(error)
        ? ErrorCode.NETWORK_EXCEPTION
        : error.retriable
          ? ErrorCode.NETWORK_EXCEPTION
          : ErrorCode.UNKNOWN_SERVER_ERROR
  return {
    errorCode,
    error,
    baseOffset: -1n,
    logAppendTimeMs: -1,
    logStartOffset: -1n,
    recordErrors: [],
    errorMessage: error.message,
    currentLeader: undefined,
  }
}

function toPartitionResponse(partition: ProduceResponsePartitionProduceResponse): PartitionResponse {
  const leader = partition.currentLeader
  return {
    errorCode: partition.errorCode,
    error: errorForCode(partition.errorCode, partition.errorMessage) ?? undefined,
    baseOffset: partition.baseOffset,
    logAppendTimeMs: Number(partition.logAppendTimeMs),
    logStartOffset: partition.logStartOffset,
    recordErrors: partition.recordErrors.map((recordError) => ({
      batchIndex: recordError.batchIndex,
      message: recordError.batchIndexErrorMessage,
    })),
    errorMessage: partition.errorMessage,
    currentLeader:
      leader.leaderId >= 0 && leader.leaderEpoch >= 0
        ? { leaderId: leader.leaderId, leaderEpoch: leader.leaderEpoch }
        : undefined,
  }
}

/** The batch-level error, named after the topic where Java does (authorization failures). */
function topLevelError(batch: ProducerBatch, response: PartitionResponse): KafkaError {
  switch (response.errorCode) {
    case ErrorCode.TOPIC_AUTHORIZATION_FAILED:
      return new ApiError({
        errorCode: response.errorCode,
        message: `Not authorized to access topics: [${batch.topic}]`,
      })
    case ErrorCode.MESSAGE_TOO_LARGE:
      // Only a batch that cannot be split further fails with it: name the limit and the fix.
      return new ApiError({
        errorCode: response.errorCode,
        message: `The broker refused ${batch.recordCount} record(s) for ${batch.topic}-${batch.partition} (${batch.estimatedSizeInBytes} bytes as a batch) as larger than it accepts: the topic's max.message.bytes (or the broker's message.max.bytes). Raise that limit, or send smaller records.`,
      })
    case ErrorCode.CLUSTER_AUTHORIZATION_FAILED:
      return new ApiError({
        errorCode: response.errorCode,
        message: 'The producer is not authorized to do idempotent sends',
      })
    default:
      return response.error ?? new ApiError({ errorCode: response.errorCode, message: response.errorMessage })
  }
}

/**
 * KIP-467: the records the broker named get their own error (the partition-level error type when it named
 * one record, INVALID_RECORD when several); the rest of the batch gets a generic error saying so.
 */
function recordErrorsFor(response: PartitionResponse): ((index: number) => Error | undefined) | undefined {
  if (response.recordErrors.length === 0) return undefined
  const byIndex = new Map<number, Error>()
  const single = response.recordErrors.length === 1
  for (const recordError of response.recordErrors) {
    const message = recordError.message ?? response.errorMessage ?? response.error?.message ?? null
    byIndex.set(
      recordError.batchIndex,
      single
        ? (errorForCode(response.errorCode, message) ??
            new ApiError({ errorCode: response.errorCode, message }))
        : new ApiError({ errorCode: ErrorCode.INVALID_RECORD, message }),
    )
  }
  return (index) =>
    byIndex.get(index) ??
    new KafkaError({
      code: 'RECORD_IN_INVALID_BATCH',
      message:
        'Failed to append record because it was part of a batch which had one or more invalid records. The record itself may be fine: send it again.',
    })
}
