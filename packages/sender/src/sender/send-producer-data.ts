import type { ProducerBatch } from '@x/accumulator'
import type { BrokerNode } from '../network/broker-node.js'
import { buildProduceRequest } from './produce-request-builder.js'
import type { ProduceResponseHandler } from './produce-response-handler.js'
import type { SenderContext } from './sender-context.js'

/**
 * One pass of Java's `Sender.sendProducerData`: expire what reached `delivery.timeout.ms` (queued and in
 * flight), find the leaders with sendable batches, keep those whose connection can take a request (starting
 * connections to the others), drain up to `max.request.size` per node, and send one Produce request per
 * node. Returns how long until the next pass is needed for anything this phase waits on (linger, retry
 * backoff, reconnect backoff, expiry); events (responses, writes, connections, wake-ups) come sooner.
 */
export function sendProducerData(
  context: SenderContext,
  handler: ProduceResponseHandler,
  nowMs: number,
): number {
  const { accumulator, metadata, client, inFlightBatches } = context

  // Expire first, so nothing already past its delivery timeout is drained and sent again.
  accumulator.resetNextBatchExpiryTime()
  for (const batch of inFlightBatches.expired(nowMs)) handler.expire(batch, nowMs, true)
  for (const batch of accumulator.expiredBatches(nowMs)) handler.expire(batch, nowMs, false)

  const cluster = metadata.fetch()
  const result = accumulator.ready(cluster, nowMs)
  if (result.unknownLeaderTopics.size > 0) {
    for (const topic of result.unknownLeaderTopics) metadata.add(topic, nowMs)
    metadata.requestUpdate()
  }

  let notReadyTimeout = Number.POSITIVE_INFINITY
  const readyNodes: number[] = []
  for (const nodeId of result.readyNodes) {
    const node: BrokerNode | undefined = cluster.nodeById(nodeId)
    if (node !== undefined && client.ready(node, nowMs)) {
      readyNodes.push(nodeId)
      accumulator.updateNodeLatencyStats(nodeId, nowMs, true)
    } else {
      accumulator.updateNodeLatencyStats(nodeId, nowMs, false)
      notReadyTimeout = Math.min(notReadyTimeout, client.connectionDelay(nodeId, nowMs))
    }
  }

  let drainedNothing = false
  if (readyNodes.length > 0) {
    const drained = accumulator.drain(cluster, readyNodes, context.config.maxRequestSize, nowMs)
    for (const [nodeId, batches] of drained) {
      if (batches.length === 0) {
        drainedNothing = true
        continue
      }
      if (context.config.guaranteeMessageOrder) {
        for (const batch of batches) accumulator.mutePartition(batch.topic, batch.partition)
      }
      sendProduceRequest(context, handler, nodeId, batches, nowMs)
    }
  }

  let delay = Math.min(result.nextReadyCheckDelayMs, notReadyTimeout)
  delay = Math.min(delay, accumulator.nextExpiryTimeMs() - nowMs, inFlightBatches.nextExpiryMs - nowMs)
  // A ready node that yielded nothing (its batches wait on ordering or producer state): look again later
  // rather than spin; the usual wake-ups (responses, writes) still come first.
  if (drainedNothing) delay = Math.min(delay, context.config.retryBackoffMs)
  return Math.max(delay, 0)
}

function sendProduceRequest(
  context: SenderContext,
  handler: ProduceResponseHandler,
  nodeId: number,
  batches: ProducerBatch[],
  nowMs: number,
): void {
  const { config, transactionManager } = context
  const plan = buildProduceRequest(
    nodeId,
    batches,
    config.acks,
    config.requestTimeoutMs,
    transactionManager.isTransactional() ? transactionManager.transactionalId : null,
  )
  const request = context.client.send(
    nodeId,
    plan.spec,
    (response) => handler.handle(plan, response, context.clock.now()),
    nowMs,
  )
  for (const batch of batches) {
    context.inFlightBatches.add(batch, request)
    context.completionOrder.sent(batch)
    context.metrics.recordBatch(batch.estimatedSizeInBytes, nowMs - batch.createdMs)
  }
  context.metrics.recordRequest(plan.records, plan.bytes)
  if (context.eventsObserved) {
    context.emit({
      type: 'request-sent',
      nodeId,
      correlationId: request.correlationId,
      batches: batches.length,
      records: plan.records,
      bytes: plan.bytes,
    })
  }
}
