import { KafkaError } from '@x/protocol'
import { defer, filter, from, map, merge, type Observable, of, Subject, throttleTime } from 'rxjs'
import { ConfigError } from './errors/config-error.js'
import { IllegalStateError } from './errors/illegal-state-error.js'
import { InvalidArgumentError } from './errors/invalid-argument-error.js'
import { validateTopicName } from './errors/invalid-topic-error.js'
import { ProducerClosedError } from './errors/producer-closed-error.js'
import type { ProducerEvent } from './events/producer-event.js'
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
import { MetadataAccess } from './send/metadata-access.js'
import type { CompletionContext } from './send/pending-record.js'
import type { SendCallback } from './send/send-callback.js'
import { SendPath } from './send/send-path.js'
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
  private readonly producerEvents = new Subject<ProducerEvent>()
  private readonly producerMetrics = new ProducerMetrics()
  private closing: Promise<void> | undefined
  private forced = false
  private onForced: (() => void) | undefined
  private forceTimer: ReturnType<typeof setTimeout> | undefined
  private forceDueMs = Number.POSITIVE_INFINITY

  /** @throws ConfigError naming the option and the fix, for any invalid option or conflict. */
  constructor(options: KafkaProducerOptions<K, V>) {
    const { config, warnings } = resolveProducerConfig<K, V>(options)
    this.config = config
    this.stack = createProducerStack(config as ProducerConfig<unknown, unknown>)
    this.transactions = this.stack.transactions
    if (config.transactionalId !== undefined && this.transactions === undefined) {
      throw new ConfigError({
        option: 'transactionalId',
        javaName: 'transactional.id',
        value: config.transactionalId,
        message:
          'transactionalId (transactional.id) needs the transaction manager, which this version of @x/producer does not include yet: leave transactionalId out.',
      })
    }
    const startup: ConfigWarning[] = [...warnings]
    if (config.enableIdempotence && this.transactions === undefined) {
      startup.push({
        type: 'config-warning',
        option: 'enableIdempotence',
        message:
          'Idempotence is not available in this version of @x/producer: the producer runs as a non-idempotent acks=all producer (no producer id or sequence numbers), so a retried batch may be written twice. Set enableIdempotence: false to silence this warning.',
      })
    }
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
   * the memory are there — with a promise of its `RecordMetadata`; the promise and `callback` settle exactly
   * once (callback first). Failures after acceptance (metadata not arriving within `maxBlockMs`, a record
   * over `maxRequestSize`, memory not freeing within `maxBlockMs`, broker errors, `deliveryTimeoutMs`) reject
   * the promise.
   *
   * @throws InvalidArgumentError / InvalidTopicError for an invalid record, SerializationError when a
   * serializer fails, ProducerClosedError after `close()` — synchronously, as Java throws them; nothing was
   * accepted and the callback is not called.
   */
  send(record: ProducerRecord<K, V>, callback?: SendCallback): Promise<RecordMetadata> {
    const intercepted = this.interceptors === undefined ? record : this.interceptors.onSend(record)
    if (this.closing !== undefined) throw this.closedError('send', intercepted)
    return this.sendPath.send(intercepted, callback)
  }

  /**
   * Sends many records with one promise, settled once all are, with one `PromiseSettledResult` per record in
   * order. Cheaper than `send()` per record (no promise each); a record `send()` would throw for gets a
   * rejected result and the others go on.
   *
   * @throws ProducerClosedError after `close()`.
   */
  sendBatch(records: readonly ProducerRecord<K, V>[]): Promise<SendResult[]> {
    const interceptors = this.interceptors
    const intercepted =
      interceptors === undefined ? records : records.map((record) => interceptors.onSend(record))
    if (this.closing !== undefined) throw this.closedError('sendBatch', undefined)
    return this.sendPath.sendBatch(intercepted)
  }

  /**
   * Makes every buffered record sendable now (whatever `lingerMs`) and resolves once every record sent
   * before the call has completed, successfully or not (Java `flush`).
   */
  async flush(): Promise<void> {
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

  /** For `sendRecords`: undefined while sends append at once, else resolves when waiting sends went through. */
  backPressure(): Promise<void> | undefined {
    return this.sendPath.backPressure()
  }

  /** Registers the transactional id with the coordinator and fences older producers (Java `initTransactions`). */
  initTransactions(): Promise<void> {
    return this.requireTransactions('initTransactions').initTransactions(this.config.maxBlockMs)
  }

  beginTransaction(): void {
    this.requireTransactions('beginTransaction').beginTransaction()
  }

  sendOffsetsToTransaction(
    offsets: readonly TransactionOffset[],
    groupMetadata: ConsumerGroupMetadata,
  ): Promise<void> {
    return this.requireTransactions('sendOffsetsToTransaction').sendOffsetsToTransaction(
      offsets,
      groupMetadata,
      this.config.maxBlockMs,
    )
  }

  commitTransaction(): Promise<void> {
    return this.requireTransactions('commitTransaction').commitTransaction(this.config.maxBlockMs)
  }

  abortTransaction(): Promise<void> {
    return this.requireTransactions('abortTransaction').abortTransaction(this.config.maxBlockMs)
  }

  toString(): string {
    return `KafkaProducer(clientId=${this.config.clientId})`
  }

  private requireTransactions(operation: string): ProducerTransactions {
    if (this.closing !== undefined) throw new ProducerClosedError({ operation })
    if (this.transactions === undefined || this.config.transactionalId === undefined) {
      throw new IllegalStateError({
        message: `Transactional method ${operation}() invoked on a non-transactional producer: set transactionalId.`,
      })
    }
    return this.transactions
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
