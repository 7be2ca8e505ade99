import type { BufferPool } from '@x/buffer-pool'
import {
  BuiltInPartitioner,
  type ClusterView,
  defaultPartitionerConfig,
  type StickyPartitionInfo,
  UNKNOWN_PARTITION,
} from '@x/partitioners'
import { KafkaError } from '@x/protocol'
import { type Observable, Subject } from 'rxjs'
import { AccumulatorClosedError } from './accumulator-closed-error.js'
import type { AccumulatorInternals, NodeLatencyStats, TopicInfo } from './accumulator-internals.js'
import { CompressionRatioEstimator } from './compression-ratio-estimator.js'
import { drainBatchesForOneNode } from './drain.js'
import { ExponentialBackoff } from './exponential-backoff.js'
import { PartitionQueue } from './partition-queue.js'
import { type CompletionErrorHandler, ProducerBatch, rethrowCompletionError } from './producer-batch.js'
import { readyCheck } from './ready-check.js'
import type { RecordCompletion } from './record-completion.js'
import type { Header, RecordsBuilderFactory } from './records-builder.js'
import type { AccumulatorWakeup, AppendPreview, ReadyCheckResult, RecordAppendResult } from './results.js'
import type { TransactionManagerHooks } from './transaction-manager-hooks.js'

export interface RecordAccumulatorOptions {
  /** `batch.size` in bytes (0 is taken as 1, as Java does). Also the sticky partitioner's switch size. */
  batchSize: number
  /** `linger.ms`. Default 5. */
  lingerMs?: number
  /** `retry.backoff.ms`. Default 100. */
  retryBackoffMs?: number
  /** `retry.backoff.max.ms`. Default 1000. */
  retryBackoffMaxMs?: number
  /** `delivery.timeout.ms`. Default 120000. */
  deliveryTimeoutMs?: number
  /** The pool batches are allocated from (`buffer.memory`). */
  bufferPool: BufferPool
  /** Builds record batches; `recordBatchBuilderFactory(...)` wraps `@x/protocol`'s RecordBatchBuilder. */
  recordsBuilderFactory: RecordsBuilderFactory
  /** `partitioner.adaptive.partitioning.enable`. Default true (set false with a custom partitioner). */
  adaptivePartitioning?: boolean
  /** `partitioner.availability.timeout.ms`. Default 0 (off). */
  partitionerAvailabilityTimeoutMs?: number
  /** Idempotence/transactions: producer state assigned at drain time. */
  transactionManager?: TransactionManagerHooks
  /**
   * Reads the time once after an append had to wait for memory, to date the batch it creates (Java re-reads
   * its clock there). Never used for decisions: those take `nowMs`. Default `Date.now`.
   */
  clock?: () => number
  /** Random source for backoff jitter and keyless partition choice (tests pin it). Default `Math.random`. */
  random?: () => number
  /** Receives errors thrown by `RecordCompletion`s. Default: rethrown asynchronously. */
  onCompletionError?: CompletionErrorHandler
}

const RETRY_BACKOFF_EXP_BASE = 2
const RETRY_BACKOFF_JITTER = 0.2

/**
 * Per-partition queues of `ProducerBatch`es written straight into pooled memory (Java `RecordAccumulator`).
 * The producer appends; the sender asks `ready`, `drain`s the ready leaders, and completes, re-enqueues,
 * splits or expires batches, returning each one's memory with `deallocate` once its request has settled and
 * no socket holds its bytes (KAFKA-19012).
 *
 * Never reads the clock for a decision and never touches the network: every decision takes `nowMs`. `append`
 * is synchronous unless it must wait for memory (then it returns a promise, and later appends queue behind it
 * so records keep their order). Wake-ups for the sender come on `wakeups$`, at most two per batch.
 */
export class RecordAccumulator {
  readonly batchSize: number
  readonly deliveryTimeoutMs: number
  /** Batch created, batch became full, flush begun, closed: one emission per event, never per record. */
  readonly wakeups$: Observable<AccumulatorWakeup>

  private readonly internals: AccumulatorInternals
  private readonly factory: RecordsBuilderFactory
  private readonly pool: BufferPool
  /** Per-topic compression-ratio estimate fed by drained batches (Java's static `CompressionRatioEstimator`). */
  readonly compressionRatioEstimator = new CompressionRatioEstimator()
  private readonly incomplete = new Set<ProducerBatch>()
  private readonly wakeups = new Subject<AccumulatorWakeup>()
  private readonly clock: () => number
  private readonly random: () => number
  private readonly onCompletionError: CompletionErrorHandler
  private nextBatchExpiryTimeMs = Number.POSITIVE_INFINITY
  /** Settles after the last append that waited for memory: later appends chain on it to keep order. */
  private pendingTail: Promise<void> | undefined
  private pendingAppends = 0
  /** The result of synchronous appends into an existing batch, reused: one less object per record. */
  private readonly syncResult: Mutable<RecordAppendResult> = {
    partition: 0,
    batch: undefined,
    batchIsFull: false,
    newBatchCreated: false,
    abortForNewBatch: false,
    appendedBytes: 0,
    ordinal: 0,
  }
  private lastTopic: string | undefined
  private lastTopicInfo: TopicInfo | undefined

  constructor(options: RecordAccumulatorOptions) {
    this.batchSize = Math.max(1, options.batchSize)
    this.deliveryTimeoutMs = options.deliveryTimeoutMs ?? 120_000
    this.pool = options.bufferPool
    this.factory = options.recordsBuilderFactory
    this.clock = options.clock ?? Date.now
    this.random = options.random ?? Math.random
    this.onCompletionError = options.onCompletionError ?? rethrowCompletionError
    const retryBackoffMs = options.retryBackoffMs ?? 100
    this.internals = {
      topics: new Map(),
      nodeStats: new Map(),
      nodesDrainIndex: new Map(),
      pool: options.bufferPool,
      lingerMs: options.lingerMs ?? 5,
      retryBackoff: new ExponentialBackoff(
        retryBackoffMs,
        RETRY_BACKOFF_EXP_BASE,
        options.retryBackoffMaxMs ?? 1000,
        RETRY_BACKOFF_JITTER,
        this.random,
      ),
      adaptivePartitioning:
        options.adaptivePartitioning ?? defaultPartitionerConfig.adaptivePartitioningEnable,
      availabilityTimeoutMs:
        options.partitionerAvailabilityTimeoutMs ?? defaultPartitionerConfig.availabilityTimeoutMs,
      transactionManager: options.transactionManager,
      closed: false,
      flushesInProgress: 0,
      onDrained: (batch) => {
        if (this.factory.compressed)
          this.compressionRatioEstimator.updateEstimation(batch.topic, batch.compressionRatio)
      },
    }
    this.wakeups$ = this.wakeups.asObservable()
  }

  /**
   * Appends a record to `topic`/`partition` (`-1`: the built-in sticky partitioner chooses). Tries the
   * partition's last batch; otherwise allocates `max(batch.size, this record's upper bound)` from the pool and
   * opens a new batch. Returns the result at once, or a promise when it must wait for memory (rejected with
   * `BufferExhaustedError` after `maxBlockMs`) or queue behind an append that waits.
   *
   * With `abortOnNewBatch` (a custom partitioner that has `onNewBatch`), nothing is appended when a new batch
   * would be needed: the result says `abortForNewBatch`.
   *
   * A result returned synchronously for an append into an existing batch is one object reused by the next
   * such append (it saves an allocation per record): read it before appending again.
   *
   * @throws AccumulatorClosedError after `close()`.
   */
  append(
    topic: string,
    partition: number,
    timestamp: number,
    key: Uint8Array | null,
    value: Uint8Array | null,
    headers: readonly Header[] | null,
    completion: RecordCompletion,
    maxBlockMs: number,
    abortOnNewBatch: boolean,
    nowMs: number,
    cluster: ClusterView,
  ): RecordAppendResult | Promise<RecordAppendResult> {
    if (this.internals.closed) throw new AccumulatorClosedError({ forced: false })
    if (this.pendingTail !== undefined) {
      return this.appendAfterPending(
        this.pendingTail,
        topic,
        partition,
        timestamp,
        key,
        value,
        headers,
        completion,
        nowMs + maxBlockMs,
        abortOnNewBatch,
        cluster,
      )
    }
    // Most appends go into the open batch of the partition's queue: try it here, without appendNow's loop,
    // allocation branch and try/finally. A refusal (the try closed that batch) is handed to appendNow, which
    // carries on from exactly that point.
    const info = this.topicInfo(topic)
    let sticky: StickyPartitionInfo | undefined
    let queue: PartitionQueue
    if (partition !== UNKNOWN_PARTITION) {
      queue = this.queueOf(info, topic, partition)
    } else {
      sticky = info.builtInPartitioner.peekCurrentPartitionInfo(cluster)
      queue = this.queueOf(info, topic, sticky.partition)
    }
    let refused: PartitionQueue | undefined
    // With the built-in partitioner, only a batch that is not full: a full one means a postponed switch,
    // which appendNow completes first.
    if (sticky === undefined || !allBatchesFull(queue)) {
      const result = this.tryAppend(queue, timestamp, key, value, headers, completion, nowMs)
      if (result !== undefined) {
        if (sticky !== undefined) {
          info.builtInPartitioner.updatePartitionInfo(
            sticky,
            result.appendedBytes,
            cluster,
            allBatchesFull(queue),
          )
        }
        return result
      }
      refused = queue
    }
    const result = this.appendNow(
      topic,
      partition,
      timestamp,
      key,
      value,
      headers,
      completion,
      maxBlockMs,
      abortOnNewBatch,
      nowMs,
      cluster,
      undefined,
      refused,
    )
    return result instanceof Promise ? this.track(result) : result
  }

  /**
   * An earlier append waits for memory: go after it, within this append's own max.block.ms. Its own method:
   * a closure inside `append` would make V8 allocate a context for the captured arguments on every append.
   */
  private appendAfterPending(
    pendingTail: Promise<void>,
    topic: string,
    partition: number,
    timestamp: number,
    key: Uint8Array | null,
    value: Uint8Array | null,
    headers: readonly Header[] | null,
    completion: RecordCompletion,
    deadlineMs: number,
    abortOnNewBatch: boolean,
    cluster: ClusterView,
  ): Promise<RecordAppendResult> {
    return this.track(
      pendingTail.then(() => {
        if (completion.cancelled === true) throw cancelledWhileWaiting()
        const now = this.clock()
        return this.ownResult(
          this.appendNow(
            topic,
            partition,
            timestamp,
            key,
            value,
            headers,
            completion,
            Math.max(0, deadlineMs - now),
            abortOnNewBatch,
            now,
            cluster,
            undefined,
            undefined,
          ),
        )
      }),
    )
  }

  /**
   * An asynchronous append's result must be its own: the reused `syncResult` would be overwritten by any
   * append that runs before the caller's reaction to the promise does.
   */
  private ownResult(
    result: RecordAppendResult | Promise<RecordAppendResult>,
  ): RecordAppendResult | Promise<RecordAppendResult> {
    return result === this.syncResult ? { ...this.syncResult } : result
  }

  private appendNow(
    topic: string,
    partition: number,
    timestamp: number,
    key: Uint8Array | null,
    value: Uint8Array | null,
    headers: readonly Header[] | null,
    completion: RecordCompletion,
    maxBlockMs: number,
    abortOnNewBatch: boolean,
    nowMs: number,
    cluster: ClusterView,
    allocated: Uint8Array | undefined,
    refused: PartitionQueue | undefined,
  ): RecordAppendResult | Promise<RecordAppendResult> {
    let buffer = allocated
    // `refused`: append() already tried this queue's last batch (not full, so no postponed switch was due)
    // and the batch refused the record; the first pass continues right after that try.
    let alreadyTried = refused
    try {
      if (this.internals.closed) throw new AccumulatorClosedError({ forced: false })
      const info = this.topicInfo(topic)
      for (;;) {
        let sticky: StickyPartitionInfo | undefined
        let queue: PartitionQueue
        if (partition === UNKNOWN_PARTITION) {
          sticky = info.builtInPartitioner.peekCurrentPartitionInfo(cluster)
          queue = this.queueOf(info, topic, sticky.partition)
          // A switch postponed while the last batch was incomplete happens once it is full.
          if (queue !== alreadyTried && this.switchedAfterFullBatch(info, sticky, queue, cluster)) continue
        } else {
          queue = this.queueOf(info, topic, partition)
        }
        let result =
          queue === alreadyTried
            ? undefined
            : this.tryAppend(queue, timestamp, key, value, headers, completion, nowMs)
        alreadyTried = undefined
        if (result === undefined) {
          if (abortOnNewBatch) return abortForNewBatch(queue.partition)
          if (buffer === undefined) {
            const size = Math.max(
              this.batchSize,
              this.factory.estimateSizeInBytesUpperBound(key, value, headers),
            )
            const allocation = this.pool.allocate(size, maxBlockMs, completion.signal)
            if (allocation instanceof Promise) {
              // Waited: re-run with the buffer, since partition choice and queues may have moved meanwhile.
              return this.appendAfterAllocation(
                allocation,
                topic,
                partition,
                timestamp,
                key,
                value,
                headers,
                completion,
                cluster,
              )
            }
            buffer = allocation
          }
          // The failed try closed the last batch: a switch it had postponed happens now, before a new batch.
          if (sticky !== undefined && this.switchedAfterFullBatch(info, sticky, queue, cluster)) continue
          result = this.appendNewBatch(queue, buffer, timestamp, key, value, headers, completion, nowMs)
          buffer = undefined
        }
        if (sticky !== undefined) {
          info.builtInPartitioner.updatePartitionInfo(
            sticky,
            result.appendedBytes,
            cluster,
            allBatchesFull(queue),
          )
        }
        return result
      }
    } finally {
      if (buffer !== undefined) this.pool.deallocate(buffer)
    }
  }

  /** `appendNow` again once `allocation` is served (a method of its own for the reason of `appendAfterPending`). */
  private appendAfterAllocation(
    allocation: Promise<Uint8Array>,
    topic: string,
    partition: number,
    timestamp: number,
    key: Uint8Array | null,
    value: Uint8Array | null,
    headers: readonly Header[] | null,
    completion: RecordCompletion,
    cluster: ClusterView,
  ): Promise<RecordAppendResult> {
    return allocation.then((memory) => {
      if (completion.cancelled === true) {
        this.pool.deallocate(memory)
        throw cancelledWhileWaiting()
      }
      return this.ownResult(
        this.appendNow(
          topic,
          partition,
          timestamp,
          key,
          value,
          headers,
          completion,
          0,
          false,
          this.clock(),
          cluster,
          memory,
          undefined,
        ),
      )
    })
  }

  /** Java `partitionChanged`: completes a postponed partition switch once the queue's batches are all full. */
  private switchedAfterFullBatch(
    info: TopicInfo,
    sticky: StickyPartitionInfo,
    queue: PartitionQueue,
    cluster: ClusterView,
  ): boolean {
    if (!allBatchesFull(queue)) return false
    info.builtInPartitioner.updatePartitionInfo(sticky, 0, cluster, true)
    return info.builtInPartitioner.isPartitionChanged(sticky)
  }

  private tryAppend(
    queue: PartitionQueue,
    timestamp: number,
    key: Uint8Array | null,
    value: Uint8Array | null,
    headers: readonly Header[] | null,
    completion: RecordCompletion,
    nowMs: number,
  ): RecordAppendResult | undefined {
    const batches = queue.batches
    const last = batches.peekLast()
    if (last === undefined) return undefined
    const before = last.estimatedSizeInBytes
    // A full batch refuses the record, so a successful append always starts from a batch that was not full.
    if (!last.tryAppend(timestamp, key, value, headers, completion, nowMs)) {
      last.closeForRecordAppends()
      return undefined
    }
    const isFull = last.isFull()
    if (isFull) this.wake('batch-full', queue)
    const result = this.syncResult
    result.partition = queue.partition
    result.batch = last
    result.batchIsFull = isFull || batches.size > 1
    result.newBatchCreated = false
    result.abortForNewBatch = false
    result.appendedBytes = last.estimatedSizeInBytes - before
    result.ordinal = last.lastAppendOrdinal
    return result
  }

  private appendNewBatch(
    queue: PartitionQueue,
    buffer: Uint8Array,
    timestamp: number,
    key: Uint8Array | null,
    value: Uint8Array | null,
    headers: readonly Header[] | null,
    completion: RecordCompletion,
    nowMs: number,
  ): RecordAppendResult {
    const batch = new ProducerBatch({
      topic: queue.topic,
      partition: queue.partition,
      buffer,
      factory: this.factory,
      createdMs: nowMs,
      estimatedCompressionRatio: this.compressionRatioEstimator.estimation(queue.topic),
      onCompletionError: this.onCompletionError,
    })
    if (!batch.tryAppend(timestamp, key, value, headers, completion, nowMs)) {
      throw new KafkaError({
        code: 'ILLEGAL_STATE',
        message: `${batch}: a new batch refused its first record.`,
      })
    }
    queue.batches.addLast(batch)
    this.incomplete.add(batch)
    this.wake('batch-created', queue)
    return {
      partition: queue.partition,
      batch,
      batchIsFull: queue.batches.size > 1 || batch.isFull(),
      newBatchCreated: true,
      abortForNewBatch: false,
      appendedBytes: batch.estimatedSizeInBytes,
      ordinal: 0,
    }
  }

  /**
   * What `append` would do with this record now, changing no choice (for `KafkaProducer.explain`): the
   * partition (for `-1`, the sticky partition, or the one a switch before this record would pick — see
   * `BuiltInPartitioner.peekNextPartition`), whether it joins the open batch or starts one, and whether that
   * would wait for memory. It follows `append`'s decisions step by step; only the per-topic bookkeeping is
   * created if the topic was never appended to (no choice is made there).
   */
  previewAppend(
    topic: string,
    partition: number,
    timestamp: number,
    key: Uint8Array | null,
    value: Uint8Array | null,
    headers: readonly Header[] | null,
    cluster: ClusterView,
  ): AppendPreview {
    const info = this.topicInfo(topic)
    let target = partition
    let stickySwitch = false
    let joins: boolean
    if (partition !== UNKNOWN_PARTITION) {
      joins = this.wouldJoin(info, target, timestamp, key, value, headers)
    } else {
      const partitioner = info.builtInPartitioner
      const sticky = partitioner.peekStickyPartitionInfo()
      target = sticky?.partition ?? partitioner.peekNextPartition(cluster)
      joins = this.wouldJoin(info, target, timestamp, key, value, headers)
      // Refused (or the last batch full): the batch is closed, and a switch postponed until then happens.
      if (!joins && sticky !== undefined && sticky.producedBytes >= partitioner.stickyBatchSize) {
        stickySwitch = true
        target = partitioner.peekNextPartition(cluster)
        joins = this.wouldJoin(info, target, timestamp, key, value, headers)
      }
    }
    const newBatchBytes = joins
      ? 0
      : Math.max(this.batchSize, this.factory.estimateSizeInBytesUpperBound(key, value, headers))
    return {
      partition: target,
      stickySwitch,
      joinsOpenBatch: joins,
      newBatchBytes,
      waitsForMemory:
        this.pendingTail !== undefined ||
        (!joins && (this.pool.queued > 0 || this.pool.availableMemory < newBatchBytes)),
      closed: this.internals.closed,
    }
  }

  private wouldJoin(
    info: TopicInfo,
    partition: number,
    timestamp: number,
    key: Uint8Array | null,
    value: Uint8Array | null,
    headers: readonly Header[] | null,
  ): boolean {
    const last = info.queues.get(partition)?.batches.peekLast()
    return last !== undefined && !last.isFull() && last.hasRoomFor(timestamp, key, value, headers)
  }

  /**
   * Takes back a record whose `send` was cancelled (its `RecordCompletion` is `completion`; `topic` narrows the
   * search). `removed`: it sat in a batch never drained and is gone from it — a batch left empty leaves its
   * queue and returns its memory to the pool; the completion will not be called. `sent`: its batch was drained
   * (or retried, or split), so it may be on the wire; nothing changes and the batch completes as usual, which
   * keeps idempotent sequences intact. `not-appended`: no batch holds it (still waiting for metadata or memory,
   * or already completed). O(records in incomplete batches of the topic): paid only by a cancellation.
   */
  cancelRecord(
    topic: string,
    completion: RecordCompletion,
  ): { outcome: 'removed' | 'sent' | 'not-appended'; partition: number } {
    for (const batch of this.incomplete) {
      if (batch.topic !== topic || !batch.holds(completion)) continue
      if (!batch.removeRecord(completion)) return { outcome: 'sent', partition: batch.partition }
      if (batch.recordCount === 0) {
        this.internals.topics.get(topic)?.queues.get(batch.partition)?.batches.remove(batch)
        batch.abortRecordAppends()
        // No completion left to call: this only settles the batch for flush() and the incomplete set.
        batch.abort(cancelledWhileWaiting())
        this.deallocate(batch)
      }
      return { outcome: 'removed', partition: batch.partition }
    }
    return { outcome: 'not-appended', partition: UNKNOWN_PARTITION }
  }

  /** See `readyCheck` (ready-check.ts): sendable leaders, next check delay, topics without a leader. */
  ready(cluster: ClusterView, nowMs: number): ReadyCheckResult {
    return readyCheck(this.internals, cluster, nowMs)
  }

  /**
   * Drains, per node, batches totalling at most `maxRequestSize` bytes (`max.request.size`), rotating fairly
   * over the node's partitions (see drain.ts). Drained batches are closed and leave their queue.
   */
  drain(
    cluster: ClusterView,
    nodes: Iterable<number>,
    maxRequestSize: number,
    nowMs: number,
  ): Map<number, ProducerBatch[]> {
    const batches = new Map<number, ProducerBatch[]>()
    for (const node of nodes)
      batches.set(node, drainBatchesForOneNode(this.internals, cluster, node, maxRequestSize, nowMs))
    return batches
  }

  /** Records, for adaptive partitioning, that `nodeId` had data ready at `nowMs` and whether it could drain. */
  updateNodeLatencyStats(nodeId: number, nowMs: number, canDrain: boolean): void {
    if (this.internals.availabilityTimeoutMs <= 0) return
    let stats = this.internals.nodeStats.get(nodeId)
    if (stats === undefined) {
      stats = { readyTimeMs: nowMs, drainTimeMs: nowMs }
      this.internals.nodeStats.set(nodeId, stats)
    }
    if (canDrain) stats.drainTimeMs = nowMs
    stats.readyTimeMs = nowMs
  }

  getNodeLatencyStats(nodeId: number): Readonly<NodeLatencyStats> | undefined {
    return this.internals.nodeStats.get(nodeId)
  }

  /**
   * Takes out the batches that reached `delivery.timeout.ms` at the head of each queue (muted or not), with
   * appends aborted. The caller fails them (their completions get the timeout error) and deallocates them.
   */
  expiredBatches(nowMs: number): ProducerBatch[] {
    const expired: ProducerBatch[] = []
    for (const info of this.internals.topics.values()) {
      for (const queue of info.queues.values()) {
        for (let batch = queue.batches.peekFirst(); batch !== undefined; batch = queue.batches.peekFirst()) {
          if (!batch.hasReachedDeliveryTimeout(this.deliveryTimeoutMs, nowMs)) {
            this.nextBatchExpiryTimeMs = Math.min(
              this.nextBatchExpiryTimeMs,
              batch.createdMs + this.deliveryTimeoutMs,
            )
            break
          }
          queue.batches.pollFirst()
          batch.abortRecordAppends()
          expired.push(batch)
        }
      }
    }
    return expired
  }

  /** The earliest time a queued batch expires, as of the last `expiredBatches`; `Infinity` if none. */
  nextExpiryTimeMs(): number {
    return this.nextBatchExpiryTimeMs
  }

  resetNextBatchExpiryTime(): void {
    this.nextBatchExpiryTimeMs = Number.POSITIVE_INFINITY
  }

  /**
   * Puts a batch that failed with a retriable error back at the head of its queue for another attempt. With
   * a transaction manager, batches with sequences are placed in sequence order (several may come back out of
   * order from different in-flight requests). Delivery timeout is the caller's check.
   */
  reenqueue(batch: ProducerBatch, nowMs: number): void {
    batch.reenqueued(nowMs)
    const queue = this.queueOf(this.topicInfo(batch.topic), batch.topic, batch.partition)
    if (this.internals.transactionManager !== undefined) this.insertInSequenceOrder(queue, batch)
    else queue.batches.addFirst(batch)
  }

  /**
   * Splits a batch the broker rejected as too large (`MESSAGE_TOO_LARGE`) into `batch.size` batches and puts
   * them at the head of its queue, as if never tried. When that would rebuild the batch as it was (the topic's
   * `max.message.bytes` is below `batch.size`, or one large record sized the batch), it is halved instead, so
   * repeated rejections converge on single records, which then fail alone. Resets the topic's compression
   * estimate pessimistically. Returns the number of new batches. The caller still deallocates the big batch.
   */
  splitAndReenqueue(bigBatch: ProducerBatch): number {
    this.compressionRatioEstimator.setEstimation(bigBatch.topic, Math.max(1, bigBatch.compressionRatio))
    const ratio = this.compressionRatioEstimator.estimation(bigBatch.topic)
    let parts = bigBatch.split(this.batchSize, ratio)
    if (parts.length === 1 && bigBatch.recordCount > 1) {
      parts = parts[0]!.split(this.batchSize, ratio, Math.ceil(bigBatch.recordCount / 2))
    }
    const queue = this.queueOf(this.topicInfo(bigBatch.topic), bigBatch.topic, bigBatch.partition)
    const transactionManager = this.internals.transactionManager
    for (let i = parts.length - 1; i >= 0; i--) {
      const part = parts[i]!
      this.incomplete.add(part)
      if (transactionManager !== undefined && part.hasSequence()) {
        transactionManager.addInFlightBatch(part)
        this.insertInSequenceOrder(queue, part)
      } else {
        queue.batches.addFirst(part)
      }
    }
    return parts.length
  }

  private insertInSequenceOrder(queue: PartitionQueue, batch: ProducerBatch): void {
    if (!batch.hasSequence()) {
      throw new KafkaError({
        code: 'ILLEGAL_STATE',
        message: `Re-enqueueing ${batch} without a sequence although idempotence is enabled.`,
      })
    }
    const batches = queue.batches
    // Batches with a lower sequence stay ahead; the first without a sequence (never sent) or with a higher
    // one stays behind.
    const ahead: ProducerBatch[] = []
    for (
      let first = batches.peekFirst();
      first?.hasSequence() && first.baseSequence < batch.baseSequence;
      first = batches.peekFirst()
    ) {
      ahead.push(batches.pollFirst()!)
    }
    batches.addFirst(batch)
    for (let i = ahead.length - 1; i >= 0; i--) batches.addFirst(ahead[i]!)
  }

  /**
   * Returns a finished batch's memory to the pool (split batches own heap memory and return nothing). Call
   * only once the batch's request has settled and no socket write references its bytes (KAFKA-19012).
   */
  deallocate(batch: ProducerBatch): void {
    this.incomplete.delete(batch)
    if (!batch.isSplitBatch) this.pool.deallocate(batch.buffer)
  }

  /** Makes every batch sendable at once until the matching `awaitFlushCompletion`. */
  beginFlush(): void {
    this.internals.flushesInProgress++
    this.wake('flush', undefined)
  }

  /** Resolves when every batch incomplete now (appended before this call) is done; ends the flush. */
  awaitFlushCompletion(): Promise<void> {
    const batches = [...this.incomplete]
    return new Promise<void>((resolve) => {
      let remaining = batches.length + 1
      const batchDone = () => {
        if (--remaining === 0) {
          this.internals.flushesInProgress--
          resolve()
        }
      }
      for (const batch of batches) batch.onceDone(batchDone)
      batchDone()
    })
  }

  /** `beginFlush` + `awaitFlushCompletion`: resolves when everything appended before the call completed. */
  flush(): Promise<void> {
    this.beginFlush()
    return this.awaitFlushCompletion()
  }

  flushInProgress(): boolean {
    return this.internals.flushesInProgress > 0
  }

  /** Batches still queued (not drained). */
  hasUndrained(): boolean {
    for (const info of this.internals.topics.values()) {
      for (const queue of info.queues.values()) if (!queue.batches.isEmpty()) return true
    }
    return false
  }

  /** Batches not yet deallocated, sent or not. */
  hasIncomplete(): boolean {
    return this.incomplete.size > 0
  }

  mutePartition(topic: string, partition: number): void {
    this.queueOf(this.topicInfo(topic), topic, partition).muted = true
  }

  unmutePartition(topic: string, partition: number): void {
    const queue = this.internals.topics.get(topic)?.queues.get(partition)
    if (queue !== undefined) queue.muted = false
  }

  /** The queued batches of a partition, oldest first (a copy; for tests and diagnostics). */
  batchesFor(topic: string, partition: number): ProducerBatch[] {
    return this.internals.topics.get(topic)?.queues.get(partition)?.batches.toArray() ?? []
  }

  /** The keyless partitioner of a topic, once the topic has been appended to. */
  builtInPartitioner(topic: string): BuiltInPartitioner | undefined {
    return this.internals.topics.get(topic)?.builtInPartitioner
  }

  /**
   * Stops appends (later ones throw `AccumulatorClosedError`; appends waiting for memory reject) and closes
   * the pool. Queued batches stay sendable: every partition counts as ready until drained.
   */
  close(): void {
    if (this.internals.closed) return
    this.internals.closed = true
    this.pool.close()
    this.wake('close', undefined)
  }

  get isClosed(): boolean {
    return this.internals.closed
  }

  /**
   * Forced close (Java `abortIncompleteBatches`): closes, then aborts every incomplete batch — queued or in
   * flight — with `error` (default `AccumulatorClosedError`, forced) and returns its memory. The pool is closed
   * first, so memory of in-flight batches is never handed out again.
   */
  abortIncompleteBatches(error: Error = new AccumulatorClosedError({ forced: true })): void {
    this.close()
    for (const batch of [...this.incomplete]) this.abortBatch(batch, error)
    this.internals.topics.clear()
    this.lastTopic = undefined
    this.lastTopicInfo = undefined
  }

  /**
   * Fails every incomplete batch, queued or in flight, with `error` without closing the accumulator (Java
   * `abortBatches`, after a fatal transaction-manager error). Queued batches return their memory at once; a
   * batch in flight keeps it until its request settles and the sender deallocates it (KAFKA-19012).
   */
  abortBatches(error: Error): void {
    for (const batch of [...this.incomplete]) {
      const queued =
        this.internals.topics.get(batch.topic)?.queues.get(batch.partition)?.batches.remove(batch) ?? false
      batch.abortRecordAppends()
      if (!batch.isDone()) batch.abort(error)
      if (queued) this.deallocate(batch)
    }
  }

  /** Aborts the batches not drained yet (a transaction abort); in-flight ones are left to their responses. */
  abortUndrainedBatches(error: Error): void {
    const withSequences = this.internals.transactionManager !== undefined
    for (const batch of [...this.incomplete]) {
      if (withSequences ? !batch.hasSequence() : !batch.isClosed()) this.abortBatch(batch, error)
    }
  }

  private abortBatch(batch: ProducerBatch, error: Error): void {
    this.internals.topics.get(batch.topic)?.queues.get(batch.partition)?.batches.remove(batch)
    batch.abortRecordAppends()
    if (!batch.isDone()) batch.abort(error)
    this.deallocate(batch)
  }

  private track(promise: Promise<RecordAppendResult>): Promise<RecordAppendResult> {
    this.pendingAppends++
    const settled = promise.then(
      () => this.appendSettled(),
      () => this.appendSettled(),
    )
    this.pendingTail = settled
    return promise
  }

  private appendSettled(): void {
    if (--this.pendingAppends === 0) this.pendingTail = undefined
  }

  private topicInfo(topic: string): TopicInfo {
    // Most appends go to the topic of the previous one: skip the map lookup then.
    if (topic === this.lastTopic && this.lastTopicInfo !== undefined) return this.lastTopicInfo
    let info = this.internals.topics.get(topic)
    if (info === undefined) {
      info = {
        queues: new Map(),
        queuesByPartition: [],
        builtInPartitioner: new BuiltInPartitioner(topic, {
          stickyBatchSize: this.batchSize,
          random: () => (this.random() * 0x80000000) >>> 0,
        }),
      }
      this.internals.topics.set(topic, info)
    }
    this.lastTopic = topic
    this.lastTopicInfo = info
    return info
  }

  private queueOf(info: TopicInfo, topic: string, partition: number): PartitionQueue {
    // Partition ids index a plain array (no hashing per record); the map keeps creation order for ready/drain.
    const byPartition = info.queuesByPartition
    let queue = partition >= 0 && partition < byPartition.length ? byPartition[partition] : undefined
    if (queue !== undefined) return queue
    queue = info.queues.get(partition)
    if (queue === undefined) {
      queue = new PartitionQueue(topic, partition)
      info.queues.set(partition, queue)
    }
    if (Number.isInteger(partition) && partition >= 0 && partition < MAX_INDEXED_PARTITIONS) {
      while (byPartition.length <= partition) byPartition.push(undefined)
      byPartition[partition] = queue
    }
    return queue
  }

  private wake(type: AccumulatorWakeup['type'], queue: PartitionQueue | undefined): void {
    if (!this.wakeups.observed) return
    this.wakeups.next(
      queue === undefined ? { type } : { type, topic: queue.topic, partition: queue.partition },
    )
  }
}

/** Partition ids below this are looked up by index; others (never seen in practice) through the map. */
const MAX_INDEXED_PARTITIONS = 1 << 16

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** Only the last batch can be incomplete, so "all full" is "the last one is full (or there is none)". */
function allBatchesFull(queue: PartitionQueue): boolean {
  const last = queue.batches.peekLast()
  return last === undefined || last.isFull()
}

function abortForNewBatch(partition: number): RecordAppendResult {
  return {
    partition,
    batch: undefined,
    batchIsFull: false,
    newBatchCreated: false,
    abortForNewBatch: true,
    appendedBytes: 0,
    ordinal: -1,
  }
}

/** Thrown into an append that was cancelled while it waited: its canceller has already settled the record. */
function cancelledWhileWaiting(): KafkaError {
  return new KafkaError({
    code: 'RECORD_CANCELLED',
    message: 'The send was cancelled (its AbortSignal fired) before the record reached a batch.',
  })
}
