import type { RecordAccumulator } from '@x/accumulator'
import { KafkaError } from '@x/protocol'
import { map, merge, type Observable, Subject, type Subscription, tap } from 'rxjs'
import { MAX_TIMER_DELAY_MS, type SenderClock } from '../clock.js'
import { SenderConfigError } from '../errors/config-error.js'
import { SenderClosedError } from '../errors/sender-closed-error.js'
import type { Metadata } from '../metadata/metadata.js'
import type { MetadataUpdater } from '../metadata/metadata-updater.js'
import type { NetworkClient, NetworkEvent } from '../network/network-client.js'
import { CompletionOrder } from './completion-order.js'
import { InFlightBatches } from './in-flight-batches.js'
import { ProduceResponseHandler } from './produce-response-handler.js'
import { sendProducerData } from './send-producer-data.js'
import type { ResolvedSenderConfig, SenderContext } from './sender-context.js'
import type { SenderEvent } from './sender-events.js'
import { SenderMetrics } from './sender-metrics.js'
import { noTransactionManager, type SenderTransactionManager } from './transaction-manager.js'

export interface SenderOptions {
  accumulator: RecordAccumulator
  metadata: Metadata
  client: NetworkClient
  metadataUpdater: MetadataUpdater
  /** `acks`: -1 or 'all' (default), 0, 1. */
  acks?: -1 | 0 | 1 | 'all'
  /** `retries`. Default 2147483647 (retry until `delivery.timeout.ms`). */
  retries?: number
  /** `max.request.size`. Default 1048576. */
  maxRequestSize?: number
  /** `retry.backoff.ms`. Default 100. */
  retryBackoffMs?: number
  /** Idempotence/transactions; default: none. */
  transactionManager?: SenderTransactionManager
  /** Default: the network client's clock. */
  clock?: SenderClock
}

export interface SenderCloseOptions {
  /** Force-close after this long if the graceful close has not finished. Default: wait as long as it takes. */
  timeoutMs?: number
}

/** Where a wake-up came from (the merged stream carries only this tag). */
type Wakeup = 'accumulator' | 'metadata' | 'network' | 'deadline'

/**
 * The Sender (Java `Sender`, without a thread): reacts to one merged stream of wake-ups — accumulator
 * events (batch created/full, flush, close), metadata updates and refresh requests, network events
 * (connections, written requests, responses) and its own deadline timer (linger, backoff, expiry, metadata
 * age) — and runs one pass per burst of them: transactional requests first, then `ready → drain → Produce
 * per node`, then a metadata refresh if due. No polling loop, nothing per record.
 *
 * Phases live in their own files: `send-producer-data.ts` (ready/drain/send/expiry),
 * `produce-response-handler.ts` (complete/retry/split/fail), `in-flight-batches.ts` (in-flight tracking and
 * memory release), `metadata-updater.ts` (refreshes).
 */
export class Sender {
  readonly events$: Observable<SenderEvent>
  private readonly events = new Subject<SenderEvent>()
  private readonly wakeups = new Subject<Wakeup>()
  private readonly accumulator: RecordAccumulator
  private readonly metadata: Metadata
  private readonly client: NetworkClient
  private readonly updater: MetadataUpdater
  private readonly transactionManager: SenderTransactionManager
  private readonly clock: SenderClock
  private readonly config: ResolvedSenderConfig
  private readonly inFlightBatches: InFlightBatches
  private readonly metricsRegistry = new SenderMetrics()
  private readonly handler: ProduceResponseHandler
  private readonly context: SenderContext
  private subscription: Subscription | undefined
  private passScheduled = false
  /**
   * The pass as a microtask, made once: a closure written inside `schedulePass` would make V8 allocate a
   * context for `this` on every call once the branch has run — and `wakeup()` is called per record.
   */
  private readonly passTask = () => this.runPass()
  private timer: unknown
  private timerDueMs = Number.POSITIVE_INFINITY
  private state: 'created' | 'running' | 'closing' | 'closed' = 'created'
  private forced = false
  private closePromise: Promise<void> | undefined
  private resolveClose: (() => void) | undefined
  private closeTimer: unknown
  private passes = 0

  constructor(options: SenderOptions) {
    this.accumulator = options.accumulator
    this.metadata = options.metadata
    this.client = options.client
    this.updater = options.metadataUpdater
    this.transactionManager = options.transactionManager ?? noTransactionManager
    this.clock = options.clock ?? options.client.clock
    const acks = options.acks === 'all' || options.acks === undefined ? -1 : options.acks
    if (acks !== -1 && acks !== 0 && acks !== 1) {
      throw new SenderConfigError('acks', `${String(options.acks)}; use -1 (or "all"), 0 or 1.`)
    }
    const retries = options.retries ?? 2_147_483_647
    if (!Number.isInteger(retries) || retries < 0) {
      throw new SenderConfigError('retries', `${retries}; it must be an integer of 0 or more.`)
    }
    const maxRequestSize = options.maxRequestSize ?? 1_048_576
    if (!Number.isInteger(maxRequestSize) || maxRequestSize <= 0) {
      throw new SenderConfigError('max.request.size', `${maxRequestSize}; it must be a positive integer.`)
    }
    this.config = {
      acks,
      retries,
      maxRequestSize,
      requestTimeoutMs: this.client.requestTimeoutMs,
      retryBackoffMs: options.retryBackoffMs ?? 100,
      deliveryTimeoutMs: this.accumulator.deliveryTimeoutMs,
      guaranteeMessageOrder: this.client.maxInFlightRequestsPerConnection === 1,
    }
    this.inFlightBatches = new InFlightBatches(this.config.deliveryTimeoutMs, () => this.forced)
    const sender = this
    this.context = {
      accumulator: this.accumulator,
      metadata: this.metadata,
      client: this.client,
      transactionManager: this.transactionManager,
      inFlightBatches: this.inFlightBatches,
      completionOrder: new CompletionOrder(),
      metrics: this.metricsRegistry,
      config: this.config,
      clock: this.clock,
      get eventsObserved() {
        return sender.events.observed
      },
      emit: (event) => this.events.next(event),
      get forceClosed() {
        return sender.forced
      },
    }
    this.handler = new ProduceResponseHandler(this.context)
    this.events$ = this.events.asObservable()
  }

  /** Subscribes to the wake-up sources and runs the first pass. Idempotent. */
  start(): void {
    if (this.state !== 'created') return
    this.state = 'running'
    this.subscription = merge(
      this.accumulator.wakeups$.pipe(map((): Wakeup => 'accumulator')),
      this.metadata.updates$.pipe(
        tap((update) => {
          if (this.events.observed) this.events.next({ type: 'metadata-updated', update })
        }),
        map((): Wakeup => 'metadata'),
      ),
      this.metadata.updateRequests$.pipe(map((): Wakeup => 'metadata')),
      this.client.events$.pipe(
        tap((event) => this.onNetworkEvent(event)),
        map((): Wakeup => 'network'),
      ),
      this.wakeups,
    ).subscribe(() => this.schedulePass())
    this.schedulePass()
  }

  /** Asks for a pass soon (Java `wakeup`). */
  wakeup(): void {
    this.schedulePass()
  }

  /** Number of passes run so far (diagnostics: passes happen per event burst, not per record). */
  get passCount(): number {
    return this.passes
  }

  /** Java's sender metrics, by name (totals, averages, maxima; derive rates from two snapshots). */
  metrics(): Record<string, number> {
    return this.metricsRegistry.snapshot({
      requestsInFlight: this.client.inFlightRequestCount(),
      metadataAgeMs: this.metadata.ageMs(this.clock.now()),
      connectionCount: this.client.connectedNodes().length,
    })
  }

  /** Batches sent and not yet completed. */
  get inFlightBatchCount(): number {
    return this.inFlightBatches.count
  }

  /**
   * Graceful close (Java `initiateClose`): closes the accumulator to appends, sends everything queued,
   * waits for every in-flight request, then closes the connections. With `timeoutMs`, force-closes when
   * that passes first. Resolves once closed.
   */
  close(options: SenderCloseOptions = {}): Promise<void> {
    if (this.closePromise === undefined) {
      this.closePromise = new Promise<void>((resolve) => {
        this.resolveClose = resolve
      })
      if (this.state === 'created') this.start()
      this.state = 'closing'
      this.accumulator.close()
      this.schedulePass()
    }
    if (options.timeoutMs !== undefined && this.state !== 'closed' && this.closeTimer === undefined) {
      this.closeTimer = this.clock.setTimeout(
        () => this.forceClose(),
        Math.min(Math.max(0, options.timeoutMs), MAX_TIMER_DELAY_MS),
      )
    }
    return this.closePromise
  }

  /**
   * Forced close (Java `forceClose`): closes every connection at once and fails every queued and in-flight
   * batch with `error` (default: `SenderClosedError`, forced). Resolves once closed.
   */
  forceClose(error: KafkaError = new SenderClosedError({ forced: true })): Promise<void> {
    const closing = this.close()
    if (this.state === 'closed') return closing
    this.forced = true
    this.client.close(error)
    this.transactionManager.close()
    this.accumulator.abortIncompleteBatches(error)
    this.finish(error)
    return closing
  }

  private onNetworkEvent(event: NetworkEvent): void {
    this.updater.onNetworkEvent(event)
    if (event.type !== 'connection-state-changed') return
    if (event.state === 'connecting') this.metricsRegistry.connectionCreationTotal++
    else if (event.state !== 'ready') this.metricsRegistry.connectionCloseTotal++
    if (this.events.observed) this.events.next(event)
  }

  /** Coalesces every wake-up of this turn into one pass, run as a microtask. */
  private schedulePass(): void {
    if (this.passScheduled || this.state === 'closed' || this.state === 'created') return
    this.passScheduled = true
    queueMicrotask(this.passTask)
  }

  private runPass(): void {
    this.passScheduled = false
    if (this.state === 'closed') return
    this.passes++
    const nowMs = this.clock.now()
    let delay = Number.POSITIVE_INFINITY
    const tm = this.transactionManager
    tm.maybeResolveSequences(nowMs)
    if (tm.hasFatalError()) {
      // Java `maybeAbortBatches`: queued and in-flight batches fail with the fatal error.
      const error = tm.lastError()
      if (error !== undefined && this.accumulator.hasIncomplete()) this.accumulator.abortBatches(error)
      delay = this.config.retryBackoffMs
    } else {
      tm.bumpIdempotentEpochAndResetIdIfNeeded(nowMs)
      if (
        this.state === 'closing' &&
        tm.hasOngoingTransaction() &&
        !tm.isCompleting() &&
        this.drainedForClose()
      ) {
        try {
          tm.beginAbort()
        } catch (error) {
          // The open transaction cannot be aborted (e.g. a timed-out commit was never retried): rather than
          // wait forever, close forcefully with that error.
          void this.forceClose(
            KafkaError.isInstance(error)
              ? error
              : new KafkaError({ message: String(error), code: 'ILLEGAL_STATE', cause: error }),
          )
          return
        }
      }
      const transactional = tm.maybeSendTransactionalRequest({
        nowMs,
        client: this.client,
        metadata: this.metadata,
        accumulator: this.accumulator,
        leastLoadedNode: () => this.client.leastLoadedNode(this.metadata.fetch().nodes, this.clock.now()),
        wakeup: (delayMs) =>
          delayMs === undefined ? this.schedulePass() : this.armTimer(this.clock.now(), delayMs),
      })
      if (!transactional) delay = sendProducerData(this.context, this.handler, nowMs)
    }
    delay = Math.min(delay, this.updater.maybeUpdate(nowMs))
    if (this.state === 'closing' && this.drainedForClose() && !tm.hasPendingRequests()) {
      this.finish(undefined)
      return
    }
    this.armTimer(nowMs, delay)
  }

  /** Nothing queued, nothing in flight: a graceful close can finish. */
  private drainedForClose(): boolean {
    return (
      !this.accumulator.hasUndrained() &&
      this.client.inFlightRequestCount() === 0 &&
      this.inFlightBatches.count === 0
    )
  }

  /** Keeps one timer for the next deadline; an earlier deadline replaces a later one. */
  private armTimer(nowMs: number, delayMs: number): void {
    if (delayMs === Number.POSITIVE_INFINITY) return
    const due = nowMs + Math.max(0, delayMs)
    if (this.timer !== undefined) {
      if (this.timerDueMs <= due) return
      this.clock.clearTimeout(this.timer)
    }
    this.timerDueMs = due
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = undefined
        this.timerDueMs = Number.POSITIVE_INFINITY
        this.wakeups.next('deadline')
      },
      Math.min(Math.max(0, delayMs), MAX_TIMER_DELAY_MS),
    )
  }

  private finish(error: KafkaError | undefined): void {
    if (this.state === 'closed') return
    this.state = 'closed'
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer)
    if (this.closeTimer !== undefined) this.clock.clearTimeout(this.closeTimer)
    this.timer = undefined
    this.closeTimer = undefined
    this.subscription?.unsubscribe()
    this.updater.close()
    this.client.close(error)
    this.metadata.close(error)
    this.events.complete()
    this.resolveClose?.()
  }
}
