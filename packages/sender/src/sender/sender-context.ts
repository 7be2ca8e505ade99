import type { RecordAccumulator } from '@x/accumulator'
import type { SenderClock } from '../clock.js'
import type { Metadata } from '../metadata/metadata.js'
import type { NetworkClient } from '../network/network-client.js'
import type { CompletionOrder } from './completion-order.js'
import type { InFlightBatches } from './in-flight-batches.js'
import type { SenderEvent } from './sender-events.js'
import type { SenderMetrics } from './sender-metrics.js'
import type { SenderTransactionManager } from './transaction-manager.js'

/** The sender's settings after defaults (Java names in the comments). */
export interface ResolvedSenderConfig {
  /** `acks`: -1 (all), 0 or 1. */
  readonly acks: number
  /** `retries`. */
  readonly retries: number
  /** `request.timeout.ms`, also the Produce request's timeout field. */
  readonly requestTimeoutMs: number
  /** `max.request.size`. */
  readonly maxRequestSize: number
  /** `retry.backoff.ms`: the fallback wait when a ready node yielded nothing to drain. */
  readonly retryBackoffMs: number
  /** `delivery.timeout.ms`, as the accumulator has it. */
  readonly deliveryTimeoutMs: number
  /** `max.in.flight.requests.per.connection` is 1: partitions are muted while a batch of theirs is in flight. */
  readonly guaranteeMessageOrder: boolean
}

/** What the sender's phase files share: one object, so each phase lives in its own file. */
export interface SenderContext {
  readonly accumulator: RecordAccumulator
  readonly metadata: Metadata
  readonly client: NetworkClient
  readonly transactionManager: SenderTransactionManager
  readonly inFlightBatches: InFlightBatches
  /** Holds an idempotent partition's completions back until the batches sent before them completed. */
  readonly completionOrder: CompletionOrder
  readonly metrics: SenderMetrics
  readonly config: ResolvedSenderConfig
  readonly clock: SenderClock
  /** True while someone listens to `events$`: build events only then. */
  readonly eventsObserved: boolean
  emit(event: SenderEvent): void
  /** A forced close is under way: responses no longer matter, batches are being aborted. */
  readonly forceClosed: boolean
}
