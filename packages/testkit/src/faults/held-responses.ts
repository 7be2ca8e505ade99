import type { ApiName } from '../api-codecs.js'
import { TestkitError } from '../testkit-error.js'

/** One response kept back by a hold fault. */
export interface HeldResponse {
  readonly api: ApiName
  readonly brokerId: number
  readonly connectionId: number
  readonly correlationId: number
  /** True once released (or dropped because its connection closed). */
  readonly isReleased: boolean
  /**
   * Lets the response go. By default it still waits for earlier responses of its connection (Kafka answers
   * each connection in request order); `outOfOrder` writes it at once, which no Kafka broker does, to test
   * a client's correlation checks.
   */
  release(options?: { outOfOrder?: boolean }): void
}

/** Internal: what a connection hands over for each response it holds. */
export interface HeldResponseEntry extends HeldResponse {
  isReleased: boolean
}

interface Waiter {
  count: number
  resolve: () => void
  reject: (error: Error) => void
}

/**
 * The responses one hold fault keeps back, in arrival order. Tests wait for them to pile up, then release
 * them in any order: across connections any order is possible on a real network.
 */
export class HeldResponses {
  private readonly entries: HeldResponseEntry[] = []
  private waiters: Waiter[] = []

  /** Held responses so far, released or not, in arrival order. */
  get responses(): readonly HeldResponse[] {
    return this.entries
  }

  /** Responses held and not yet released. */
  get pending(): number {
    let count = 0
    for (const entry of this.entries) if (!entry.isReleased) count++
    return count
  }

  /** Resolves once `count` responses have been held in total. */
  waitFor(count = 1): Promise<void> {
    if (this.entries.length >= count) return Promise.resolve()
    return new Promise((resolve, reject) => this.waiters.push({ count, resolve, reject }))
  }

  /** Releases the response at `index` (arrival order). */
  release(index: number, options?: { outOfOrder?: boolean }): void {
    const entry = this.entries[index]
    if (entry === undefined) {
      throw new TestkitError(
        'INVALID_OPTION',
        `No held response at index ${index}: ${this.entries.length} held so far (await held.waitFor(n) first)`,
      )
    }
    entry.release(options)
  }

  /** Releases every pending response, in arrival order. */
  releaseAll(): void {
    for (const entry of this.entries) if (!entry.isReleased) entry.release()
  }

  /** @internal */
  add(entry: HeldResponseEntry): void {
    this.entries.push(entry)
    const ready = this.waiters.filter((waiter) => this.entries.length >= waiter.count)
    this.waiters = this.waiters.filter((waiter) => this.entries.length < waiter.count)
    for (const waiter of ready) waiter.resolve()
  }

  /** @internal Rejects every waiter: the cluster stopped. */
  abandon(): void {
    const waiters = this.waiters
    this.waiters = []
    for (const waiter of waiters) {
      waiter.reject(
        new TestkitError(
          'CLUSTER_STOPPED',
          'The embedded cluster stopped while a test waited for held responses',
        ),
      )
    }
  }
}
