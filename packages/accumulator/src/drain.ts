import type { ClusterView, TopicPartition } from '@x/partitioners'
import { type AccumulatorInternals, shouldBackoff } from './accumulator-internals.js'
import type { ProducerBatch } from './producer-batch.js'

/**
 * Java `drainBatchesForOneNode`: takes at most one batch per partition led by `nodeId`, starting where the
 * previous drain of that node stopped so no partition starves, until `maxSize` bytes (the first batch is
 * always taken, even if larger — a compressed batch can exceed it). Skips muted partitions and batches
 * backing off. With a transaction manager, assigns producer id/epoch and base sequence to batches drained
 * for the first time, and stops at a partition whose sequence state says to wait.
 */
export function drainBatchesForOneNode(
  internals: AccumulatorInternals,
  cluster: ClusterView,
  nodeId: number,
  maxSize: number,
  nowMs: number,
): ProducerBatch[] {
  const ready: ProducerBatch[] = []
  const parts = cluster.partitionsForNode(nodeId)
  if (parts.length === 0) return ready
  let size = 0
  let drainIndex = (internals.nodesDrainIndex.get(nodeId) ?? 0) % parts.length
  const start = drainIndex
  do {
    const tp = parts[drainIndex]!
    internals.nodesDrainIndex.set(nodeId, drainIndex)
    drainIndex = (drainIndex + 1) % parts.length
    const queue = internals.topics.get(tp.topic)?.queues.get(tp.partition)
    if (queue === undefined || queue.muted) continue
    const first = queue.batches.peekFirst()
    if (first === undefined) continue
    first.maybeUpdateLeaderEpoch(cluster.leaderEpochFor?.(tp.topic, tp.partition))
    if (shouldBackoff(internals, first, first.waitedTimeMs(nowMs))) continue
    if (size + first.estimatedSizeInBytes > maxSize && ready.length > 0) break
    if (shouldStopDrainBatchesForPartition(internals, first, tp)) break

    const batch = queue.batches.pollFirst()!
    const transactionManager = internals.transactionManager
    if (transactionManager !== undefined && !batch.hasSequence()) {
      // A batch that already has a sequence keeps it: changing it could duplicate a write that was accepted.
      transactionManager.maybeUpdateProducerIdAndEpoch(tp)
      const { producerId, epoch } = transactionManager.producerIdAndEpoch()
      batch.setProducerState(
        producerId,
        epoch,
        transactionManager.sequenceNumber(tp),
        transactionManager.isTransactional(),
      )
      transactionManager.incrementSequenceNumber(tp, batch.recordCount)
      transactionManager.addInFlightBatch(batch)
    }
    size += batch.close().byteLength
    internals.onDrained(batch)
    ready.push(batch)
    batch.drained(nowMs)
  } while (drainIndex !== start)
  return ready
}

function shouldStopDrainBatchesForPartition(
  internals: AccumulatorInternals,
  first: ProducerBatch,
  tp: TopicPartition,
): boolean {
  const transactionManager = internals.transactionManager
  if (transactionManager === undefined) return false
  if (!transactionManager.isSendToPartitionAllowed(tp)) return true
  // No producer id yet: nothing can be sent until InitProducerId completes.
  if (transactionManager.producerIdAndEpoch().producerId < 0n) return true
  if (!first.hasSequence()) {
    // New batches wait while older-epoch batches are in flight (their sequences would clash), and while the
    // fate of earlier sequences is unknown (batches aborted after being sent).
    if (transactionManager.hasInflightBatches(tp) && transactionManager.hasStaleProducerIdAndEpoch(tp))
      return true
    if (transactionManager.hasUnresolvedSequence(tp)) return true
  }
  // A retried batch goes only when it is the oldest in flight: one request at a time while retrying.
  const firstInFlightSequence = transactionManager.firstInFlightSequence(tp)
  return firstInFlightSequence !== -1 && first.hasSequence() && first.baseSequence !== firstInFlightSequence
}
