import type { ApiName } from '../api-codecs.js'
import { TestkitError } from '../testkit-error.js'

/** How a logged request ended. */
export type RequestOutcome =
  /** Still waiting: parked fetch, added latency or a hold. */
  | 'pending'
  | 'responded'
  /** Produce with acks=0: handled, nothing sent back. */
  | 'no-response'
  /** The connection closed (a fault, the peer, or a broker going down) before the response went out. */
  | 'disconnected'

/** One request as the broker saw it. */
export interface RequestLogEntry {
  /** Arrival order across the cluster, from 1. */
  readonly sequence: number
  readonly api: ApiName
  readonly apiKey: number
  readonly apiVersion: number
  readonly brokerId: number
  readonly connectionId: number
  readonly correlationId: number
  readonly clientId: string | null
  /**
   * Requests of this connection the broker had received and not yet answered when this one arrived, itself
   * included: the client's pipelining depth as the broker sees it (check max.in.flight.requests.per.connection
   * from the broker's side). A request that gets no response (acks=0) counts only for itself.
   */
  readonly inFlightOnConnection: number
  /** Cluster clock time of arrival and of the response write (or of the disconnect). */
  readonly receivedAtMs: number
  completedAtMs: number | undefined
  outcome: RequestOutcome
  /** The decoded request body (decoded from a copy of the frame, so its bytes stay valid). */
  readonly request: unknown
  /** The response body as the broker built it, once there is one. */
  response: unknown
  /** The faults that applied, e.g. `error NOT_LEADER_OR_FOLLOWER`, `disconnect after-handling`. */
  readonly faults: readonly string[]
}

/** Filters of {@link RequestLog.entries}. */
export interface RequestLogFilter {
  api?: ApiName
  brokerId?: number
  connectionId?: number
}

interface Waiter {
  predicate: (entry: RequestLogEntry) => boolean
  resolve: (entry: RequestLogEntry) => void
  reject: (error: Error) => void
}

/**
 * The requests the cluster received, newest last, bounded to `capacity` entries (the oldest are dropped).
 * Off (capacity 0) costs nothing; on, each request's frame is copied once for its decoded body.
 */
export class RequestLog {
  private readonly buffer: RequestLogEntry[] = []
  private waiters: Waiter[] = []
  private sequence = 0

  constructor(readonly capacity: number) {}

  get isEnabled(): boolean {
    return this.capacity > 0
  }

  /** Logged requests, oldest first, optionally filtered. */
  entries(filter: RequestLogFilter = {}): RequestLogEntry[] {
    return this.buffer.filter(
      (entry) =>
        (filter.api === undefined || entry.api === filter.api) &&
        (filter.brokerId === undefined || entry.brokerId === filter.brokerId) &&
        (filter.connectionId === undefined || entry.connectionId === filter.connectionId),
    )
  }

  /** Resolves with the first request logged from now on that satisfies `predicate`. */
  waitFor(predicate: (entry: RequestLogEntry) => boolean): Promise<RequestLogEntry> {
    if (!this.isEnabled) {
      return Promise.reject(
        new TestkitError(
          'INVALID_OPTION',
          'The request log is off: start the cluster with requestLog capacity > 0',
        ),
      )
    }
    return new Promise((resolve, reject) => this.waiters.push({ predicate, resolve, reject }))
  }

  clear(): void {
    this.buffer.length = 0
  }

  /** @internal */
  nextSequence(): number {
    return ++this.sequence
  }

  /** @internal */
  add(entry: RequestLogEntry): void {
    this.buffer.push(entry)
    if (this.buffer.length > this.capacity) this.buffer.shift()
    if (this.waiters.length === 0) return
    const matched = this.waiters.filter((waiter) => waiter.predicate(entry))
    if (matched.length === 0) return
    this.waiters = this.waiters.filter((waiter) => !matched.includes(waiter))
    for (const waiter of matched) waiter.resolve(entry)
  }

  /** @internal */
  abandon(): void {
    const waiters = this.waiters
    this.waiters = []
    for (const waiter of waiters) {
      waiter.reject(
        new TestkitError('CLUSTER_STOPPED', 'The embedded cluster stopped while a test waited for a request'),
      )
    }
  }
}
