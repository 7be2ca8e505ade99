import { KafkaError } from '@x/protocol'
import type { ClientRequest } from './client-request.js'

/**
 * The requests sent on one connection and not yet answered, oldest first (Java `InFlightRequests`, one node).
 * Kafka answers in order on a connection, so a response always matches the oldest. Enforces
 * `max.in.flight.requests.per.connection` itself: adding beyond it throws, so the limit holds by assertion,
 * not by the caller's care.
 */
export class InFlightRequests {
  private readonly requests: ClientRequest[] = []
  private head = 0
  /** Highest number of requests in flight seen on this connection. */
  maxObserved = 0

  constructor(readonly maxInFlight: number) {}

  get size(): number {
    return this.requests.length - this.head
  }

  /**
   * True when one more request may be sent: below the limit, and the newest request has fully left the
   * process (Java's `canSendMore`: a slow socket holds back pipelining instead of queueing in memory).
   */
  canSendMore(): boolean {
    const size = this.size
    return size === 0 || (size < this.maxInFlight && this.requests[this.requests.length - 1]!.written)
  }

  add(request: ClientRequest): void {
    if (this.size >= this.maxInFlight) {
      throw new KafkaError({
        code: 'ILLEGAL_STATE',
        message: `Attempt to send a request with ${this.size} requests in flight on a connection, the maximum being max.in.flight.requests.per.connection (${this.maxInFlight}).`,
      })
    }
    this.requests.push(request)
    if (this.size > this.maxObserved) this.maxObserved = this.size
  }

  peekOldest(): ClientRequest | undefined {
    return this.head < this.requests.length ? this.requests[this.head] : undefined
  }

  /** The oldest request that awaits a response (acks=0 requests not yet written are passed over). */
  oldestExpectingResponse(): ClientRequest | undefined {
    for (let i = this.head; i < this.requests.length; i++) {
      const request = this.requests[i]!
      if (request.expectResponse) return request
    }
    return undefined
  }

  pollOldest(): ClientRequest | undefined {
    if (this.head >= this.requests.length) return undefined
    const request = this.requests[this.head]!
    this.requests[this.head] = undefined as unknown as ClientRequest
    this.head++
    if (this.head === this.requests.length) {
      this.requests.length = 0
      this.head = 0
    } else if (this.head > 32 && this.head * 2 > this.requests.length) {
      this.requests.splice(0, this.head)
      this.head = 0
    }
    return request
  }

  /** Removes a request that expects no response (acks=0) once written. */
  remove(request: ClientRequest): boolean {
    for (let i = this.head; i < this.requests.length; i++) {
      if (this.requests[i] === request) {
        this.requests.splice(i, 1)
        if (this.head === this.requests.length) {
          this.requests.length = 0
          this.head = 0
        }
        return true
      }
    }
    return false
  }

  /** Takes every request out, oldest first (the connection is closing). */
  clear(): ClientRequest[] {
    const all = this.requests.slice(this.head)
    this.requests.length = 0
    this.head = 0
    return all
  }

  /** The earliest deadline (send time + request timeout) among requests awaiting a response. */
  earliestDeadline(): number {
    let earliest = Number.POSITIVE_INFINITY
    for (let i = this.head; i < this.requests.length; i++) {
      const request = this.requests[i]!
      const deadline = request.sendTimeMs + request.requestTimeoutMs
      if (deadline < earliest) earliest = deadline
    }
    return earliest
  }

  /** The oldest-sent request whose deadline passed at `nowMs`, if any. */
  timedOut(nowMs: number): ClientRequest | undefined {
    for (let i = this.head; i < this.requests.length; i++) {
      const request = this.requests[i]!
      if (nowMs - request.sendTimeMs >= request.requestTimeoutMs) return request
    }
    return undefined
  }
}
