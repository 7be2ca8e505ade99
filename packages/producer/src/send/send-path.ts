import type { Header, RecordAccumulator, RecordAppendResult } from '@x/accumulator'
import type { ClusterView, Partitioner } from '@x/partitioners'
import { UNKNOWN_PARTITION } from '@x/partitioners'
import { estimateSizeInBytesUpperBound } from '@x/protocol'
import { CancellableSendCompletion } from '../cancellation/cancellable-send-completion.js'
import { NotWrittenError } from '../cancellation/not-written-error.js'
import { RecordTooLargeError } from '../errors/record-too-large-error.js'
import type { ProducerInterceptors } from '../interceptors/producer-interceptors.js'
import type { ProducerConfig } from '../options/producer-config.js'
import type { ProducerRecord } from '../record/producer-record.js'
import type { RecordMetadata } from '../record/record-metadata.js'
import type { Serializer } from '../serialization/serializer.js'
import { asError } from './as-error.js'
import { BatchSendResults, type SendResult } from './batch-send.js'
import { BlockedSends } from './blocked-sends.js'
import { CallbackCompletion } from './callback-completion.js'
import { choosePartition } from './choose-partition.js'
import { normalizeHeaders } from './normalize-headers.js'
import type { CompletionContext, PendingRecord } from './pending-record.js'
import type { SendCallback } from './send-callback.js'
import { SendCompletion } from './send-completion.js'
import { serializeValue } from './serialize-value.js'
import { RecordValidator } from './validate-record.js'

/** What the send path needs from the producer's metadata (Java `ProducerMetadata` + `waitOnMetadata`). */
export interface SendPathMetadata {
  /**
   * The cluster, when it knows `topic` and (for `partition >= 0`) has that partition; else undefined. Marks
   * the topic as in use. Never waits: called once per record.
   */
  clusterIfReady(topic: string, partition: number, nowMs: number): ClusterView | undefined
  /**
   * Java `waitOnMetadata`: requests updates until the metadata has `topic` (and `partition`), then resolves
   * with the cluster; rejects with a `TimeoutError` after `maxWaitMs`, or with the topic's error (e.g.
   * authorization) or a closed-producer error.
   */
  waitForCluster(topic: string, partition: number, nowMs: number, maxWaitMs: number): Promise<ClusterView>
}

export interface SendPathOptions<K, V> {
  config: ProducerConfig<K, V>
  accumulator: RecordAccumulator
  metadata: SendPathMetadata
  context: CompletionContext
  interceptors: ProducerInterceptors<K, V> | undefined
  /** A batch became full or a new one began: the sender has work (Java `sender.wakeup()`). */
  wakeup(): void
  /** Transactions: the partition joins the ongoing transaction once a record was appended to it. */
  maybeAddPartition?(topic: string, partition: number): void
  clock?: () => number
}

/**
 * The per-record half of `KafkaProducer.send` (Java `doSend`): validate → serialize → metadata → partition →
 * size check → timestamp → `accumulator.append` → wake the sender on a new or full batch.
 *
 * Synchronous when the topic's metadata and the memory are there: no await, no Observable, no closure, no
 * promise for a send with a callback; the one object created per record is its `SendCompletion`, which is
 * also what such a `send()` returns (`sendBatch` creates a two-field `BatchSlot` per record). Only a send that must
 * wait for metadata goes asynchronous, and later sends to the same topic queue behind it so they keep their
 * order. A send waiting for memory is ordered by the accumulator.
 *
 * Errors follow Java: invalid records and serializer failures throw synchronously (nothing was accepted);
 * everything after acceptance (metadata timeout, record too large, memory, broker errors) settles the
 * promise and the callback exactly once.
 */
export class SendPath<K, V> {
  private readonly accumulator: RecordAccumulator
  private readonly metadata: SendPathMetadata
  private readonly context: CompletionContext
  private readonly interceptors: ProducerInterceptors<K, V> | undefined
  private readonly keySerializer: Serializer<K>
  private readonly valueSerializer: Serializer<V>
  private readonly partitioner: Partitioner<K, V> | undefined
  private readonly abortOnNewBatch: boolean
  private readonly ignoreKeys: boolean
  private readonly maxBlockMs: number
  private readonly maxRequestSize: number
  private readonly bufferMemory: number
  private readonly wakeup: () => void
  private readonly maybeAddPartition: ((topic: string, partition: number) => void) | undefined
  private readonly clock: () => number
  private readonly validator = new RecordValidator()
  /** Per topic, the last send still waiting for metadata: later sends to it go after it. */
  private readonly waitingTopics = new Map<string, Promise<void>>()
  /** The last record prepared (see `prepare`). */
  private keyBytes: Uint8Array | null = null
  private valueBytes: Uint8Array | null = null
  private headers: readonly Header[] | null = null
  /** The completion batches hold for records sent with `sharedCallback` (see `SendCompletion.detach`). */
  private shared: CallbackCompletion | undefined
  /** Set by a forced close. */
  private abortError: Error | undefined
  /** Sends waiting for metadata or memory (`backPressure`). */
  private readonly blocked = new BlockedSends()

  constructor(options: SendPathOptions<K, V>) {
    const { config } = options
    this.accumulator = options.accumulator
    this.metadata = options.metadata
    this.context = options.context
    this.interceptors = options.interceptors
    this.keySerializer = config.keySerializer
    this.valueSerializer = config.valueSerializer
    this.partitioner = config.partitioner
    this.abortOnNewBatch = config.partitioner?.onNewBatch !== undefined
    this.ignoreKeys = config.partitionerIgnoreKeys
    this.maxBlockMs = config.maxBlockMs
    this.maxRequestSize = config.maxRequestSize
    this.bufferMemory = config.bufferMemory
    this.wakeup = options.wakeup
    this.maybeAddPartition = options.maybeAddPartition
    this.clock = options.clock ?? Date.now
  }

  /** Topics with sends waiting for metadata (for tests and diagnostics). */
  get waitingForMetadata(): number {
    return this.waitingTopics.size
  }

  /** Whether sends to `topic` still wait for its metadata (a new one would queue behind them). */
  waitsForMetadata(topic: string): boolean {
    return this.waitingTopics.has(topic)
  }

  /** Sends not appended yet because they wait for metadata or memory. */
  get blockedSends(): number {
    return this.blocked.count
  }

  /** `undefined` when no send waits for metadata or memory; else resolves once none does. */
  backPressure(): Promise<void> | undefined {
    return this.blocked.whenNone()
  }

  /**
   * One record. With a callback, returns its `SendCompletion` as a `FutureRecordMetadata` (no native promise
   * unless someone subscribes); without, a native promise. Throws (synchronously, nothing accepted) for an
   * invalid record, a serializer failure or a partitioner error, as Java's `send` does.
   */
  send(record: ProducerRecord<K, V>, callback: SendCallback | undefined): Promise<RecordMetadata> {
    const nowMs = this.prepare(record)
    const keyBytes = this.keyBytes
    const valueBytes = this.valueBytes
    const completion = new SendCompletion(
      this.context,
      callback,
      record.timestamp ?? nowMs,
      keyBytes === null ? -1 : keyBytes.length,
      valueBytes === null ? -1 : valueBytes.length,
      this.headers,
      // With a callback and no interceptor, its batch will hold a completion shared per callback instead.
      callback !== undefined && this.interceptors === undefined ? this.sharedCompletion(callback) : undefined,
    )
    // Before dispatch, which may already fail the record: the failure must find its promise.
    const result = callback === undefined ? completion.promise() : completion
    try {
      this.dispatch(record, completion, nowMs)
    } catch (error) {
      this.interceptors?.onSendError(
        record.topic,
        record.partition ?? UNKNOWN_PARTITION,
        asError(error),
        this.headers,
      )
      throw error
    }
    return result
  }

  /** The shared completion for `callback`: the last one made, while callers keep passing the same function. */
  private sharedCompletion(callback: SendCallback): CallbackCompletion {
    const shared = this.shared
    if (shared !== undefined && shared.callback === callback) return shared
    const made = new CallbackCompletion(this.context, callback)
    this.shared = made
    return made
  }

  /**
   * `send` with an `AbortSignal` (see `CancellableSendCompletion`): a signal already aborted fails the record
   * with `NotWrittenError` at once, nothing validated or appended. A path of its own, so `send` without a
   * signal stays as it was.
   */
  sendCancellable(
    record: ProducerRecord<K, V>,
    callback: SendCallback | undefined,
    signal: AbortSignal,
  ): Promise<RecordMetadata> {
    if (signal.aborted) {
      const refused = new SendCompletion(this.context, callback, this.clock(), -1, -1, null)
      const result = callback === undefined ? refused.promise() : refused
      const topic = String(record?.topic)
      refused.fail(
        topic,
        record?.partition ?? UNKNOWN_PARTITION,
        new NotWrittenError({ topic, cause: signal.reason }),
      )
      return result
    }
    const nowMs = this.prepare(record)
    const keyBytes = this.keyBytes
    const valueBytes = this.valueBytes
    const completion = new CancellableSendCompletion(
      this.context,
      callback,
      record.timestamp ?? nowMs,
      keyBytes === null ? -1 : keyBytes.length,
      valueBytes === null ? -1 : valueBytes.length,
      this.headers,
      signal,
      record.topic,
      this.accumulator,
    )
    const result = callback === undefined ? completion.promise() : completion
    try {
      this.dispatch(record, completion, nowMs)
    } catch (error) {
      this.interceptors?.onSendError(
        record.topic,
        record.partition ?? UNKNOWN_PARTITION,
        asError(error),
        this.headers,
      )
      throw error
    }
    completion.listen()
    return result
  }

  /**
   * Many records with one promise for all, settled once every record is, with one result per record in
   * order (the shape of `Promise.allSettled`). A record that `send()` would throw for gets a rejected result;
   * the others are unaffected. No promise and no metadata per record until the results are built; the
   * records of one call share one send time.
   */
  sendBatch(records: readonly ProducerRecord<K, V>[]): Promise<SendResult[]> {
    const results = new BatchSendResults(records.length, this.context)
    const nowMs = this.clock()
    for (let index = 0; index < records.length; index++) {
      const record = records[index]!
      try {
        this.serialize(record)
      } catch (error) {
        results.refuse(index, error)
        continue
      }
      const keyBytes = this.keyBytes
      const valueBytes = this.valueBytes
      const slot = results.accept(
        index,
        record.timestamp ?? nowMs,
        keyBytes === null ? -1 : keyBytes.length,
        valueBytes === null ? -1 : valueBytes.length,
        this.headers,
      )
      try {
        this.dispatch(record, slot, nowMs)
      } catch (error) {
        slot.fail(record.topic, record.partition ?? UNKNOWN_PARTITION, asError(error))
      }
    }
    return results.promise
  }

  /**
   * A forced close: every send still waiting for metadata or memory fails with `error` (instead of whatever
   * closing the pool or the metadata makes them fail with), and so does every later one.
   */
  abort(error: Error): void {
    this.abortError = error
  }

  /**
   * Validates and serializes into `keyBytes`, `valueBytes` and `headers` (fields, so nothing is allocated to
   * return three values). Returns the current time.
   */
  private prepare(record: ProducerRecord<K, V>): number {
    this.serialize(record)
    return this.clock()
  }

  /** `prepare` without the clock. On failure tells the interceptors and throws. */
  private serialize(record: ProducerRecord<K, V>): void {
    this.headers = null
    try {
      this.validator.validate(record)
      const { topic } = record
      this.headers = normalizeHeaders(record.headers)
      this.keyBytes = serializeValue('key', this.keySerializer, topic, record.key, this.headers)
      this.valueBytes = serializeValue('value', this.valueSerializer, topic, record.value, this.headers)
    } catch (error) {
      this.interceptors?.onSendError(
        String(record?.topic),
        record?.partition ?? UNKNOWN_PARTITION,
        asError(error),
        this.headers,
      )
      throw error
    }
  }

  /** From metadata to append, for a prepared record. Throws only for a partitioner error on the sync path. */
  private dispatch(record: ProducerRecord<K, V>, completion: PendingRecord, nowMs: number): void {
    const { topic } = record
    const keyBytes = this.keyBytes
    const valueBytes = this.valueBytes
    const headers = this.headers
    const requested = record.partition ?? UNKNOWN_PARTITION
    const cluster =
      this.waitingTopics.size === 0 || !this.waitingTopics.has(topic)
        ? this.metadata.clusterIfReady(topic, requested, nowMs)
        : undefined
    if (cluster === undefined) {
      this.sendAfterMetadata(record, keyBytes, valueBytes, headers, completion, nowMs)
      return
    }
    const partition = this.partition(record, keyBytes, valueBytes, cluster)
    if (this.fitsLimits(topic, partition, keyBytes, valueBytes, headers, completion)) {
      this.append(
        record,
        partition,
        keyBytes,
        valueBytes,
        headers,
        completion,
        this.maxBlockMs,
        this.abortOnNewBatch,
        nowMs,
        cluster,
      )
    }
  }

  /** The asynchronous path: wait for the topic's metadata within `max.block.ms`, then go on as above. */
  private sendAfterMetadata(
    record: ProducerRecord<K, V>,
    keyBytes: Uint8Array | null,
    valueBytes: Uint8Array | null,
    headers: readonly Header[] | null,
    completion: PendingRecord,
    nowMs: number,
  ): void {
    const { topic } = record
    const requested = record.partition ?? UNKNOWN_PARTITION
    const deadlineMs = nowMs + this.maxBlockMs
    const previous = this.waitingTopics.get(topic)
    const run = async () => {
      if (previous !== undefined) await previous
      let now = this.clock()
      const cluster =
        this.metadata.clusterIfReady(topic, requested, now) ??
        (await this.metadata.waitForCluster(topic, requested, now, Math.max(0, deadlineMs - now)))
      // Cancelled while waiting (its canceller settled it): drop it before it touches the partitioner.
      if (completion.cancelled === true) return
      now = this.clock()
      if (record.timestamp === undefined || record.timestamp === null) completion.setTimestamp(now)
      const partition = this.partition(record, keyBytes, valueBytes, cluster)
      if (!this.fitsLimits(topic, partition, keyBytes, valueBytes, headers, completion)) return
      const remainingMs = Math.max(0, deadlineMs - now)
      this.append(
        record,
        partition,
        keyBytes,
        valueBytes,
        headers,
        completion,
        remainingMs,
        this.abortOnNewBatch,
        now,
        cluster,
      )
    }
    this.blocked.add()
    const tail = run().catch((error: unknown) =>
      completion.fail(topic, requested, this.abortError ?? asError(error)),
    )
    this.waitingTopics.set(topic, tail)
    void tail.then(() => {
      if (this.waitingTopics.get(topic) === tail) this.waitingTopics.delete(topic)
      this.blocked.remove()
    })
  }

  private partition(
    record: ProducerRecord<K, V>,
    keyBytes: Uint8Array | null,
    valueBytes: Uint8Array | null,
    cluster: ClusterView,
  ): number {
    return choosePartition(record, keyBytes, valueBytes, cluster, this.partitioner, this.ignoreKeys)
  }

  /** Java `ensureValidRecordSize`: fails the record (not the caller) when it can never be sent. */
  private fitsLimits(
    topic: string,
    partition: number,
    keyBytes: Uint8Array | null,
    valueBytes: Uint8Array | null,
    headers: readonly Header[] | null,
    completion: PendingRecord,
  ): boolean {
    const size = estimateSizeInBytesUpperBound(keyBytes, valueBytes, headers)
    if (size <= this.maxRequestSize && size <= this.bufferMemory) return true
    const error =
      size > this.maxRequestSize
        ? new RecordTooLargeError({ sizeInBytes: size, limit: this.maxRequestSize, option: 'maxRequestSize' })
        : new RecordTooLargeError({ sizeInBytes: size, limit: this.bufferMemory, option: 'bufferMemory' })
    completion.fail(topic, partition, error)
    return false
  }

  private append(
    record: ProducerRecord<K, V>,
    partition: number,
    keyBytes: Uint8Array | null,
    valueBytes: Uint8Array | null,
    headers: readonly Header[] | null,
    completion: PendingRecord,
    maxBlockMs: number,
    abortOnNewBatch: boolean,
    nowMs: number,
    cluster: ClusterView,
  ): void {
    const { topic } = record
    let result: RecordAppendResult | Promise<RecordAppendResult>
    try {
      result = this.accumulator.append(
        topic,
        partition,
        completion.timestamp,
        keyBytes,
        valueBytes,
        headers,
        completion,
        maxBlockMs,
        abortOnNewBatch,
        nowMs,
        cluster,
      )
    } catch (error) {
      completion.fail(topic, partition, asError(error))
      return
    }
    if (!(result instanceof Promise)) {
      this.appended(
        result,
        record,
        partition,
        keyBytes,
        valueBytes,
        headers,
        completion,
        maxBlockMs,
        nowMs,
        cluster,
      )
      return
    }
    this.appendAfterMemory(result, record, partition, keyBytes, valueBytes, headers, completion, cluster)
  }

  /**
   * An append waiting for memory (or behind one that does). Its own method: a closure inside `append` would
   * make V8 allocate a context for the captured arguments on every record, not only on this path.
   */
  private appendAfterMemory(
    result: Promise<RecordAppendResult>,
    record: ProducerRecord<K, V>,
    partition: number,
    keyBytes: Uint8Array | null,
    valueBytes: Uint8Array | null,
    headers: readonly Header[] | null,
    completion: PendingRecord,
    cluster: ClusterView,
  ): void {
    this.blocked.add()
    result.then(
      (appended) => {
        this.blocked.remove()
        this.appended(
          appended,
          record,
          partition,
          keyBytes,
          valueBytes,
          headers,
          completion,
          0,
          this.clock(),
          cluster,
        )
      },
      (error: unknown) => {
        this.blocked.remove()
        completion.fail(record.topic, partition, this.abortError ?? asError(error))
      },
    )
  }

  /** After an append: re-partition once on `abortForNewBatch`, join the transaction, wake the sender. */
  private appended(
    result: RecordAppendResult,
    record: ProducerRecord<K, V>,
    partition: number,
    keyBytes: Uint8Array | null,
    valueBytes: Uint8Array | null,
    headers: readonly Header[] | null,
    completion: PendingRecord,
    maxBlockMs: number,
    nowMs: number,
    cluster: ClusterView,
  ): void {
    if (result.abortForNewBatch) {
      this.partitioner!.onNewBatch!(record.topic, cluster, partition)
      let next: number
      try {
        next = this.partition(record, keyBytes, valueBytes, cluster)
      } catch (error) {
        completion.fail(record.topic, partition, asError(error))
        return
      }
      this.append(record, next, keyBytes, valueBytes, headers, completion, maxBlockMs, false, nowMs, cluster)
      return
    }
    // `result` may be the accumulator's reused object: read it now, before anything appends again.
    if (result.batch !== undefined && completion.appendedTo !== undefined)
      completion.appendedTo(result.batch, result.ordinal)
    if (this.maybeAddPartition !== undefined) this.maybeAddPartition(record.topic, result.partition)
    if (result.batchIsFull || result.newBatchCreated) this.wakeup()
  }
}
