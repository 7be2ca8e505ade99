import type { BufferPool } from '@x/buffer-pool'
import type { BuiltInPartitioner } from '@x/partitioners'
import type { ExponentialBackoff } from './exponential-backoff.js'
import type { PartitionQueue } from './partition-queue.js'
import type { ProducerBatch } from './producer-batch.js'
import type { TransactionManagerHooks } from './transaction-manager-hooks.js'

/** One topic's queues and its keyless partitioner. */
export interface TopicInfo {
  /** Every queue of the topic, in creation order (`ready` and `drain` iterate it). */
  readonly queues: Map<number, PartitionQueue>
  /** The same queues indexed by partition id, for the per-record lookup (holes where none exists yet). */
  readonly queuesByPartition: (PartitionQueue | undefined)[]
  readonly builtInPartitioner: BuiltInPartitioner
}

/** When a node last had batches ready and last could drain them (adaptive partitioning, KIP-794). */
export interface NodeLatencyStats {
  readyTimeMs: number
  drainTimeMs: number
}

/**
 * The state `ready` and `drain` share with `RecordAccumulator`: one object, so those phases live in their own
 * files (ready-check.ts, drain.ts) without reaching into the class.
 */
export interface AccumulatorInternals {
  readonly topics: Map<string, TopicInfo>
  readonly nodeStats: Map<number, NodeLatencyStats>
  readonly nodesDrainIndex: Map<number, number>
  readonly pool: BufferPool
  readonly lingerMs: number
  readonly retryBackoff: ExponentialBackoff
  readonly adaptivePartitioning: boolean
  readonly availabilityTimeoutMs: number
  readonly transactionManager: TransactionManagerHooks | undefined
  closed: boolean
  flushesInProgress: number
  /** Called with every drained batch, after `close()`, to feed the compression-ratio estimate. */
  onDrained(batch: ProducerBatch): void
}

/** Java `shouldBackoff`: a retried batch waits out its backoff unless its leader changed since the last try. */
export function shouldBackoff(
  internals: AccumulatorInternals,
  batch: ProducerBatch,
  waitedTimeMs: number,
): boolean {
  const attempts = batch.attempts
  if (attempts === 0 || batch.hasLeaderChangedForTheOngoingRetry()) return false
  return waitedTimeMs < internals.retryBackoff.backoff(attempts - 1)
}
