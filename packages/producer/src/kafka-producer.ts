import { KafkaError } from '@x/protocol'
import { type TransactionalRequestResult, type TransactionManager, TransactionStateError } from '@x/sender'
import { defer, filter, from, map, merge, type Observable, of, Subject, throttleTime } from 'rxjs'
import {
  type FlushOptions,
  flushUntilAborted,
  type SendBatchOptions,
  type SendOptions,
  sendWithOptions,
} from './cancellation/send-options.js'
import { IllegalStateError } from './errors/illegal-state-error.js'
import { InvalidArgumentError } from './errors/invalid-argument-error.js'
import { validateTopicName } from './errors/invalid-topic-error.js'
import { ProducerClosedError } from './errors/producer-closed-error.js'
import type { ProducerEvent } from './events/producer-event.js'
import { SendExplainer } from './explain/send-explainer.js'
import type { SendExplanation } from './explain/send-explanation.js'
import { ProducerInterceptors } from './interceptors/producer-interceptors.js'
import { ProducerMetrics } from './metrics/producer-metrics.js'
import type { KafkaProducerOptions } from './options/java-properties.js'
import type { ConfigWarning, ProducerConfig } from './options/producer-config.js'
import { resolveProducerConfig } from './options/resolve-producer-config.js'
import { createProducerStack, type ProducerStack } from './producer-stack.js'
import { type PartitionInfo, partitionInfos } from './record/partition-info.js'
import type { ProducerRecord } from './record/producer-record.js'
import type { RecordMetadata } from './record/record-metadata.js'
import type { RecordSink } from './rx/send-records.js'
import type { SendResult } from './send/batch-send.js'
import type { FutureRecordMetadata } from './send/future-record-metadata.js'
import { MetadataAccess } from './send/metadata-access.js'
import type { CompletionContext } from './send/pending-record.js'
import type { SendCallback } from './send/send-callback.js'
import { sendEach } from './send/send-each.js'
import { SendPath } from './send/send-path.js'
import { anyProducerChannel } from './tracing/producer-channels.js'
import {
  ALWAYS_OBSERVE,
  type ObservationGate,
  ProducerTelemetry,
  SendInstrumentation,
} from './tracing/send-instrumentation.js'
import type {
  ConsumerGroupMetadata,
  ProducerTransactions,
  TransactionOffset,
} from './transactions/producer-transactions.js'

/** Options of `close()`. */
export interface CloseOptions {
  /**
   * How long to wait for pending records to be delivered before failing the rest with
   * `ProducerClosedError` (forced). Default: no limit (records still end by `deliveryTimeoutMs`). 0 fails
   * everything pending at once.
   */
  timeoutMs?: number
}

/** How often `metrics$` may emit while requests complete. */
const METRICS_INTERVAL_MS = 1000

/**
 * A Kafka producer with the Java `KafkaProducer`'s contract: typed options with Kafka 4.x's defaults,
 * `send` → `Promise<RecordMetadata>` (plus a Java-style callback), `sendBatch`, `flush`, `close`,
 * `partitionsFor`, `metrics`, interceptors and serializers, and the transactional methods.
 *
 * A façade over the stages (see ARCHITECTURE.md): the per-record path (`send/`) is synchronous — validate,
 * serialize, partition, append into a pooled batch — and the sender (`@x/sender`) runs on RxJS streams of
 * batch-granularity events. `events$` and `metrics$` expose those streams.
 *
 * @typeParam K key type before serialization (default: bytes or string)
 * @typeParam V value type before serialization
 */
export class KafkaProducer<K = Uint8Array | string, V = Uint8Array | string>
  implements RecordSink<K, V>, AsyncDisposable
{
  /** The resolved configuration (defaults applied, Java's cross-checks done). */
  readonly config: ProducerConfig<K, V>
  /**
   * Configuration warnings first (each subscriber gets them), then producer and sender events as they
   * happen. Completes once the producer is closed.
   */
  readonly events$: Observable<ProducerEvent>
  /** `metrics()` on subscription, then at most once a second while requests complete. Completes on close. */
  readonly metrics$: Observable<Record<string, number>>

  private readonly stack: ProducerStack
  private readonly metadataAccess: MetadataAccess
  private readonly sendPath: SendPath<K, V>
  private readonly interceptors: ProducerInterceptors<K, V> | undefined
  private readonly transactions: ProducerTransactions | undefined
  /** Idempotence/transactions, when on: consulted once per record before it is accepted. */
  private readonly transactionManager: TransactionManager | undefined
  private readonly producerEvents = new Subject<ProducerEvent>()
  private readonly producerMetrics = new ProducerMetrics()
  /**
   * The one flag `send()` reads for tracing and diagnostics_channel: true while any of the producer's channels
   * has a subscriber when tracing is off, else always true.
   */
  private readonly observation: ObservationGate
  private readonly telemetry: ProducerTelemetry | undefined
  /** Built on the first observed send. */
  private instrumentation: SendInstrumentation<K, V> | undefined
  private explainer: SendExplainer<K, V> | undefined
  private closing: Promise<void> | undefined
  private forced = false
  private onForced: (() => void) | undefined
  private forceTimer: ReturnType<typeof setTimeout> | undefined
  private forceDueMs = Number.POSITIVE_INFINITY

  /** @throws ConfigError naming the option and the fix, for any invalid option or conflict. */
  constructor(options: KafkaProducerOptions<K, V>) {
    const { config, warnings } = resolveProducerConfig<K, V>(options)
    this.config = config
    this.telemetry = config.tracing === undefined ? undefined : new ProducerTelemetry(config.tracing)
    this.observation = this.telemetry === undefined ? anyProducerChannel : ALWAYS_OBSERVE
    this.stack = createProducerStack(config as ProducerConfig<unknown, unknown>)
    this.transactions = this.stack.transactions
    this.transactionManager = this.transactions?.manager
    const startup: ConfigWarning[] = [...warnings]
    this.interceptors =
      config.interceptors.length === 0
        ? undefined
        : new ProducerInterceptors(config.interceptors, (hook, error, interceptorIndex) =>
            this.emit({ type: 'interceptor-error', hook, interceptorIndex, error }),
          )
    const metrics = this.producerMetrics
    const context: CompletionContext = {
      interceptors: this.interceptors,
      reportCallbackError: (error, metadata) => this.emit({ type: 'callback-error', error, metadata }),
      recordError: () => {
        metrics.recordErrorTotal++
      },
    }
    const { sender, metadata, accumulator } = this.stack
    this.metadataAccess = new MetadataAccess(metadata, config.maxBlockMs, this.stack.ready, (ns) => {
      metrics.metadataWaitTimeNsTotal += ns
    })
    const addPartition = this.transactions?.maybeAddPartition
    this.sendPath = new SendPath<K, V>({
      config,
      accumulator,
      metadata: this.metadataAccess,
      context,
      interceptors: this.interceptors,
      wakeup: () => sender.wakeup(),
      ...(addPartition === undefined ? {} : { maybeAddPartition: addPartition.bind(this.transactions) }),
    })
    this.events$ = defer(() => merge(from(startup), this.producerEvents, sender.events$))
    this.metrics$ = defer(() =>
      merge(of(undefined), sender.events$.pipe(filter((event) => event.type === 'response-received'))).pipe(
        throttleTime(METRICS_INTERVAL_MS, undefined, { leading: true, trailing: true }),
        map(() => this.metrics()),
      ),
    )
    sender.start()
  }

  /**
   * Sends one record. Returns at once — synchronously appended into its batch when the topic's metadata and
   * the memory are there — with a promise of its `RecordMetadata`. The promise and `callback` settle exactly
   * once (callback first). Failures after acceptance (metadata not arriving within `maxBlockMs`, a record
   * over `maxRequestSize`, memory not freeing within `maxBlockMs`, broker errors, `deliveryTimeoutMs`) reject
   * the promise and reach the callback.
   *
   * With a callback (Java's `send(record, callback)`), what is returned is a `FutureRecordMetadata`: it behaves
   * as the promise but makes one only if you subscribe (`instanceof Promise` is false), so sending with a
   * callback and ignoring the result costs no promise per record. Without a callback it is a native promise;
   * leave its rejection unhandled and Node reports it, as for any promise.
   *
   * @throws InvalidArgumentError / InvalidTopicError for an invalid record, SerializationError when a
   * serializer fails, ProducerClosedError after `close()` — synchronously, as Java throws them; nothing was
   * accepted and the callback is not called.
   */
  send(record: ProducerRecord<K, V>): Promise<RecordMetadata>
  send(record: ProducerRecord<K, V>, callback: SendCallback): FutureRecordMetadata
  send(record: ProducerRecord<K, V>, options: SendOptions & { callback: SendCallback }): FutureRecordMetadata
  send(record: ProducerRecord<K, V>, options: SendOptions): Promise<RecordMetadata>
  send(record: ProducerRecord<K, V>, callback?: SendCallback | SendOptions): Promise<RecordMetadata>
  send(record: ProducerRecord<K, V>, callback?: SendCallback | SendOptions): Promise<RecordMetadata> {
    const intercepted = this.interceptors === undefined ? record : this.interceptors.onSend(record)
    if (this.closing !== undefined) throw this.closedError('send', intercepted)
    const tm = this.transactionManager
    // One state test per record: only a transactional producer outside a transaction, or an error state, refuses.
    if (tm !== undefined && tm.state !== 'IN_TRANSACTION' && (tm.transactionalId !== null || tm.hasError()))
      this.failIfNotReadyForSend(tm, intercepted)
    if (this.observation.hasSubscribers) return this.instrumented().send(intercepted, callback)
    if (typeof callback === 'object' && callback !== null)
      return sendWithOptions(this.sendPath, intercepted, callback)
    return this.sendPath.send(intercepted, callback)
  }

  /**
   * Sends many records with one promise, settled once all are, with one `PromiseSettledResult` per record in
   * order. Cheaper than `send()` per record (no promise each); a record `send()` would throw for gets a
   * rejected result and the others go on. With `signal`, every record is cancellable as with
   * `send(record, { signal })`.
   *
   * @throws ProducerClosedError after `close()`.
   */
  sendBatch(records: readonly ProducerRecord<K, V>[], options?: SendBatchOptions): Promise<SendResult[]> {
    const interceptors = this.interceptors
    const intercepted =
      interceptors === undefined ? records : records.map((record) => interceptors.onSend(record))
    if (this.closing !== undefined) throw this.closedError('sendBatch', undefined)
    const tm = this.transactionManager
    if (tm !== undefined && tm.state !== 'IN_TRANSACTION' && (tm.transactionalId !== null || tm.hasError())) {
      // As send() would throw for each record: every record gets the refusal, nothing is accepted.
      let refusal: unknown
      try {
        tm.failIfNotReadyForSend()
      } catch (error) {
        refusal = asProducerError(error)
      }
      if (refusal !== undefined) {
        for (const record of intercepted) {
          this.interceptors?.onSendError(String(record.topic), record.partition ?? -1, refusal as Error, null)
        }
        return Promise.resolve(intercepted.map((): SendResult => ({ status: 'rejected', reason: refusal })))
      }
    }
    const signal = options?.signal
    if (this.observation.hasSubscribers) return this.instrumented().sendBatch(intercepted, signal)
    if (signal === undefined) return this.sendPath.sendBatch(intercepted)
    const sendPath = this.sendPath
    return sendEach(intercepted, (record, callback) => sendPath.sendCancellable(record, callback, signal))
  }

  /**
   * Makes every buffered record sendable now (whatever `lingerMs`) and resolves once every record sent
   * before the call has completed, successfully or not (Java `flush`). With `signal`, the returned promise
   * rejects with `FlushAbortedError` when it fires; the records keep going.
   */
  flush(options?: FlushOptions): Promise<void> {
    const signal = options?.signal
    return signal === undefined ? this.flushAll() : flushUntilAborted(this.flushAll(), signal)
  }

  private async flushAll(): Promise<void> {
    const start = process.hrtime.bigint()
    try {
      // Records accepted but still waiting for metadata or memory are "sent" too: let them reach a batch.
      for (let wait = this.sendPath.backPressure(); wait !== undefined; wait = this.sendPath.backPressure())
        await wait
      this.stack.accumulator.beginFlush()
      this.stack.sender.wakeup()
      await this.stack.accumulator.awaitFlushCompletion()
    } finally {
      this.producerMetrics.flushTimeNsTotal += Number(process.hrtime.bigint() - start)
    }
  }

  /**
   * Closes the producer (Java `close(timeout)`). New sends throw at once; records already accepted — even
   * those still waiting for metadata or memory — are delivered, until `timeoutMs` runs out: then every
   * record still pending fails with `ProducerClosedError` (forced) and the producer stops. Resolves when
   * everything is closed. Calling it again returns the same promise (a shorter `timeoutMs` still applies).
   */
  close(options: CloseOptions = {}): Promise<void> {
    const { timeoutMs } = options
    if (timeoutMs !== undefined && !(timeoutMs >= 0)) {
      throw new InvalidArgumentError({
        argument: 'timeoutMs',
        message: `The timeout cannot be negative: close({ timeoutMs: ${timeoutMs} }). Use 0 to fail pending records at once, or leave it out to wait for them.`,
      })
    }
    if (this.closing === undefined) {
      this.emit({ type: 'producer-closing', ...(timeoutMs === undefined ? {} : { timeoutMs }) })
      this.closing = this.runClose()
    }
    if (timeoutMs !== undefined) this.forceAfter(timeoutMs)
    return this.closing
  }

  /** `close()` for `await using producer = new KafkaProducer(...)`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }

  /**
   * The partitions of `topic`, waiting up to `maxBlockMs` for its metadata (Java `partitionsFor`).
   *
   * @throws (rejects) TimeoutError when the topic's metadata did not arrive in time.
   */
  async partitionsFor(topic: string): Promise<PartitionInfo[]> {
    if (this.closing !== undefined) throw new ProducerClosedError({ operation: 'partitionsFor' })
    if (typeof topic !== 'string')
      throw new InvalidArgumentError({
        argument: 'topic',
        message: 'partitionsFor(topic): topic cannot be null.',
      })
    validateTopicName(topic)
    const cluster = await this.metadataAccess.waitForCluster(topic, -1, Date.now(), this.config.maxBlockMs)
    return partitionInfos(cluster, topic)
  }

  /**
   * The producer's metrics under the Java client's names (`record-send-total`, `record-error-total`,
   * `request-latency-avg`, `buffer-available-bytes`, `bufferpool-wait-time-ns-total`, ...): totals, averages
   * and maxima; derive rates from two snapshots.
   */
  metrics(): Record<string, number> {
    return {
      ...this.stack.sender.metrics(),
      ...this.stack.pool.metrics(),
      ...this.producerMetrics.snapshot(),
    }
  }

  /**
   * What `send(record)` would do now, without sending or changing anything (no sticky choice, partitioner
   * counter, metric or metadata request): the partition and why, its leader, whether the record would join
   * the open batch or start one, its estimated encoded size, and what would hold it back (metadata, memory).
   * Runs the serializers but not the interceptors. See `SendExplanation`.
   *
   * @throws as `send` would for an invalid record or a failing serializer; ProducerClosedError after close.
   */
  explain(record: ProducerRecord<K, V>): SendExplanation {
    if (this.closing !== undefined) throw new ProducerClosedError({ operation: 'explain' })
    this.explainer ??= new SendExplainer<K, V>({
      config: this.config,
      accumulator: this.stack.accumulator,
      cluster: () => this.stack.metadata.fetch(),
      waitsForMetadata: (topic) => this.sendPath.waitsForMetadata(topic),
    })
    return this.explainer.explain(record)
  }

  /** For `sendRecords`: undefined while sends append at once, else resolves when waiting sends went through. */
  backPressure(): Promise<void> | undefined {
    return this.sendPath.backPressure()
  }

  /**
   * Java `initTransactions`: finds the transaction coordinator and gets a producer id and epoch for the
   * `transactionalId`, which fences older producers with the same id and aborts a transaction one of them left
   * open. Call it once, before the first transaction.
   *
   * @throws (rejects) TimeoutError after `maxBlockMs` — the request goes on, and calling again waits for it;
   * ProducerFencedError and other fatal errors; IllegalStateError on a non-transactional producer.
   */
  async initTransactions(): Promise<void> {
    const tm = this.requireTransactions('initTransactions')
    await this.awaitResult(transactionCall(() => tm.initializeTransactions()))
  }

  /**
   * Java `beginTransaction`: records sent from now on belong to the transaction until it is committed or
   * aborted. Their partitions join it (AddPartitionsToTxn) before their first batch is sent.
   *
   * @throws IllegalStateError before `initTransactions()` or inside a transaction; the fatal error after one;
   * AbortableTransactionError when the previous transaction must be aborted first.
   */
  beginTransaction(): void {
    const tm = this.requireTransactions('beginTransaction')
    transactionCall(() => tm.beginTransaction())
  }

  /**
   * Java `sendOffsetsToTransaction`: commits the consumer's offsets with the transaction (AddOffsetsToTxn, then
   * TxnOffsetCommit to the group coordinator), for consume-transform-produce. No-op for no offsets.
   */
  async sendOffsetsToTransaction(
    offsets: readonly TransactionOffset[],
    groupMetadata: ConsumerGroupMetadata,
  ): Promise<void> {
    const tm = this.requireTransactions('sendOffsetsToTransaction')
    if (
      groupMetadata === null ||
      typeof groupMetadata !== 'object' ||
      typeof groupMetadata.groupId !== 'string'
    ) {
      throw new InvalidArgumentError({
        argument: 'groupMetadata',
        message: 'sendOffsetsToTransaction(offsets, groupMetadata): groupMetadata.groupId must be a string.',
      })
    }
    if (
      groupMetadata.generationId !== undefined &&
      groupMetadata.generationId > 0 &&
      !groupMetadata.memberId
    ) {
      throw new InvalidArgumentError({
        argument: 'groupMetadata',
        message:
          'sendOffsetsToTransaction(offsets, groupMetadata): groupMetadata with a generationId needs its memberId (pass the consumer group metadata as the consumer reports it).',
      })
    }
    if (offsets.length === 0) return
    await this.awaitResult(transactionCall(() => tm.sendOffsetsToTransaction(offsets, groupMetadata)))
  }

  /**
   * Java `commitTransaction`: waits for the transaction's sends still waiting for metadata or memory to reach
   * their batch, makes every batch sendable at once, and ends the transaction with EndTxn(commit) once all are
   * acknowledged. A record of the transaction that failed makes the commit reject: call
   * `abortTransaction()` then.
   *
   * @throws (rejects) TimeoutError after `maxBlockMs` (the commit goes on; call again to keep waiting — it can
   * no longer turn into an abort); AbortableTransactionError / the record's error (abort next); a fatal error
   * (ProducerFencedError…: close the producer).
   */
  async commitTransaction(): Promise<void> {
    const tm = this.requireTransactions('commitTransaction')
    await this.whenSendsAppended()
    await this.awaitResult(transactionCall(() => tm.beginCommit()))
  }

  /**
   * Java `abortTransaction`: records not sent yet fail with `TransactionAbortedError`, the ones written are
   * aborted (read_committed consumers never see them), then a new transaction may begin. After an abortable
   * error the epoch is bumped first when the coordinator supports it (KIP-360/588).
   */
  async abortTransaction(): Promise<void> {
    const tm = this.requireTransactions('abortTransaction')
    await this.whenSendsAppended()
    await this.awaitResult(transactionCall(() => tm.beginAbort()))
  }

  toString(): string {
    return `KafkaProducer(clientId=${this.config.clientId})`
  }

  /** Tracing or a diagnostics_channel subscriber: sends go through the instrumentation. */
  private instrumented(): SendInstrumentation<K, V> {
    this.instrumentation ??= new SendInstrumentation<K, V>(
      this.config.clientId,
      this.telemetry,
      (record, callback, signal) =>
        signal === undefined
          ? this.sendPath.send(record, callback)
          : sendWithOptions(this.sendPath, record, { signal, callback }),
    )
    return this.instrumentation
  }

  private requireTransactions(operation: string): TransactionManager {
    if (this.closing !== undefined) throw new ProducerClosedError({ operation })
    const tm = this.transactionManager
    if (tm === undefined || !tm.isTransactional()) {
      throw new IllegalStateError({
        message: `Transactional method ${operation}() invoked on a non-transactional producer: set transactionalId.`,
      })
    }
    return tm
  }

  /** Wakes the sender for the operation's requests and waits for it, at most `maxBlockMs`. */
  private awaitResult(result: TransactionalRequestResult): Promise<void> {
    this.stack.sender.wakeup()
    return result.await(this.config.maxBlockMs, this.stack.client.clock)
  }

  /** Sends accepted before now but still waiting for metadata or memory reach their batch first. */
  private async whenSendsAppended(): Promise<void> {
    for (let wait = this.sendPath.backPressure(); wait !== undefined; wait = this.sendPath.backPressure())
      await wait
  }

  /** A refused send (Java throws from `maybeAddPartition`): the interceptors hear of it, then it throws. */
  private failIfNotReadyForSend(tm: TransactionManager, record: ProducerRecord<K, V>): void {
    try {
      tm.failIfNotReadyForSend()
    } catch (error) {
      const refusal = asProducerError(error)
      this.interceptors?.onSendError(String(record.topic), record.partition ?? -1, refusal, null)
      throw refusal
    }
  }

  private closedError(operation: string, record: ProducerRecord<K, V> | undefined): ProducerClosedError {
    const error = new ProducerClosedError({ operation })
    if (record !== undefined)
      this.interceptors?.onSendError(String(record.topic), record.partition ?? -1, error, null)
    return error
  }

  private emit(event: ProducerEvent): void {
    if (this.producerEvents.observed) this.producerEvents.next(event)
  }

  /** Forces the close once `timeoutMs` has passed (or at once for 0), unless an earlier deadline is set. */
  private forceAfter(timeoutMs: number): void {
    const dueMs = Date.now() + timeoutMs
    if (this.forced || dueMs >= this.forceDueMs) return
    this.forceDueMs = dueMs
    if (this.forceTimer !== undefined) clearTimeout(this.forceTimer)
    if (timeoutMs === 0) this.force()
    else this.forceTimer = setTimeout(() => this.force(), Math.min(timeoutMs, 2 ** 31 - 1))
  }

  private force(): void {
    if (this.forced) return
    this.forced = true
    const error = new ProducerClosedError({ operation: 'close', forced: true })
    this.sendPath.abort(error)
    void this.stack.sender.forceClose(error)
    this.onForced?.()
  }

  private async runClose(): Promise<void> {
    const forced = new Promise<void>((resolve) => {
      this.onForced = resolve
    })
    // Sends accepted before close() but still waiting for metadata or memory reach their batch first:
    // closing the accumulator now would fail them.
    for (
      let wait = this.sendPath.backPressure();
      wait !== undefined && !this.forced;
      wait = this.sendPath.backPressure()
    ) {
      await Promise.race([wait, forced])
    }
    await this.stack.sender.close()
    // A transactional operation still waited on (e.g. initTransactions() racing close()) ends now.
    this.transactionManager?.close(new ProducerClosedError({ operation: 'close' }))
    if (this.forceTimer !== undefined) clearTimeout(this.forceTimer)
    const failures = this.closeUserObjects()
    this.emit({ type: 'producer-closed' })
    this.producerEvents.complete()
    if (failures.length > 0) {
      throw new KafkaError({
        code: 'CLOSE_FAILED',
        message: `Failed to close kafka producer: ${failures.length === 1 ? 'a serializer or partitioner' : `${failures.length} serializers or partitioners`} threw from close().`,
        cause: failures[0],
      })
    }
  }

  /** Java closes interceptors, serializers and the partitioner quietly and reports the first failure. */
  private closeUserObjects(): unknown[] {
    this.interceptors?.close()
    const failures: unknown[] = []
    for (const closeable of [
      this.config.keySerializer,
      this.config.valueSerializer,
      this.config.partitioner,
    ]) {
      try {
        closeable?.close?.()
      } catch (error) {
        failures.push(error)
      }
    }
    return failures
  }
}

/** Invalid transitions surface as the producer's `IllegalStateError` (Java `IllegalStateException`). */
function asProducerError(error: unknown): Error {
  if (TransactionStateError.isInstance(error))
    return new IllegalStateError({ message: error.message, cause: error })
  return error instanceof Error ? error : new KafkaError({ message: String(error) })
}

/** Runs a transaction-manager call, converting its state errors. */
function transactionCall<T>(call: () => T): T {
  try {
    return call()
  } catch (error) {
    throw asProducerError(error)
  }
}
