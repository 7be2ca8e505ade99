import type { ClusterView } from '@x/partitioners'
import { type AccumulatorInternals, shouldBackoff, type TopicInfo } from './accumulator-internals.js'
import type { ReadyCheckResult } from './results.js'

/**
 * Java `RecordAccumulator.ready`: the leaders that have a sendable batch, the delay until the next one may
 * become sendable, and topics with batches but no known leader. A partition's first batch is sendable when
 * its partition is not muted, it is not backing off after a retry, and any of: the queue holds a full batch
 * (or more than one), `linger.ms` has passed, callers are waiting for memory, the accumulator is closing,
 * a flush is in progress, or a transaction is completing. Also refreshes the adaptive partitioner's load stats.
 */
export function readyCheck(
  internals: AccumulatorInternals,
  cluster: ClusterView,
  nowMs: number,
): ReadyCheckResult {
  const readyNodes = new Set<number>()
  const unknownLeaderTopics = new Set<string>()
  let nextReadyCheckDelayMs = Number.POSITIVE_INFINITY
  const exhausted = internals.pool.queued > 0
  const completing = internals.transactionManager?.isCompleting() ?? false
  const alwaysSendable = exhausted || internals.closed || internals.flushesInProgress > 0 || completing
  for (const [topic, info] of internals.topics) {
    nextReadyCheckDelayMs = partitionReady(
      internals,
      cluster,
      nowMs,
      topic,
      info,
      alwaysSendable,
      nextReadyCheckDelayMs,
      readyNodes,
      unknownLeaderTopics,
    )
  }
  return { readyNodes, nextReadyCheckDelayMs, unknownLeaderTopics }
}

function partitionReady(
  internals: AccumulatorInternals,
  cluster: ClusterView,
  nowMs: number,
  topic: string,
  info: TopicInfo,
  alwaysSendable: boolean,
  nextDelayMs: number,
  readyNodes: Set<number>,
  unknownLeaderTopics: Set<string>,
): number {
  const queues = info.queues
  // Adaptive partitioning only once every partition has a queue: a partition missing from the map would
  // never be switched to.
  let queueSizes: Int32Array | null = null
  let partitionIds: Int32Array | null = null
  if (
    internals.adaptivePartitioning &&
    queues.size >= (cluster.partitionCount(topic) ?? Number.POSITIVE_INFINITY)
  ) {
    queueSizes = new Int32Array(queues.size)
    partitionIds = new Int32Array(queues.size)
  }
  let queueSizesIndex = -1
  for (const queue of queues.values()) {
    const partition = queue.partition
    const leader = cluster.leaderFor(topic, partition)
    if (leader !== undefined && partitionIds !== null) partitionIds[++queueSizesIndex] = partition
    const batch = queue.batches.peekFirst()
    if (batch === undefined) continue

    const waitedTimeMs = batch.waitedTimeMs(nowMs)
    batch.maybeUpdateLeaderEpoch(cluster.leaderEpochFor?.(topic, partition))
    const backingOff = shouldBackoff(internals, batch, waitedTimeMs)
    const dequeSize = queue.batches.size
    const full = dequeSize > 1 || batch.isFull()

    if (leader === undefined) {
      unknownLeaderTopics.add(topic)
      continue
    }
    if (queueSizes !== null) queueSizes[queueSizesIndex] = dequeSize
    if (internals.availabilityTimeoutMs > 0) {
      // Leave out partitions whose leader had data ready but could not drain it for too long.
      const stats = internals.nodeStats.get(leader)
      if (stats !== undefined && stats.readyTimeMs - stats.drainTimeMs > internals.availabilityTimeoutMs) {
        queueSizesIndex--
      }
    }
    if (readyNodes.has(leader) || queue.muted) continue
    const attempts = batch.attempts
    const timeToWaitMs = backingOff
      ? internals.retryBackoff.backoff(attempts > 0 ? attempts - 1 : 0)
      : internals.lingerMs
    const expired = waitedTimeMs >= timeToWaitMs
    if ((full || expired || alwaysSendable) && !backingOff) {
      readyNodes.add(leader)
    } else {
      // Conservative: a partition that is not sendable may share a leader with one that is.
      nextDelayMs = Math.min(nextDelayMs, Math.max(timeToWaitMs - waitedTimeMs, 0))
    }
  }
  info.builtInPartitioner.updatePartitionLoadStats(queueSizes, partitionIds, queueSizesIndex + 1)
  return nextDelayMs
}
