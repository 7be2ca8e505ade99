import type { BufferPoolTimer } from './buffer-pool-timer.js'

interface PendingTimer {
  readonly id: number
  /** When the timer is due: armed time + delay. */
  readonly at: number
  /** When it actually fires: `at`, or earlier with `firesEarlyByMs`. */
  readonly fireAt: number
  readonly callback: () => void
}

/**
 * A hand-stepped `BufferPoolTimer` for tests and benchmarks: time moves only when `advance` is called. Pending
 * timers sit in a binary heap (fire time, then arming order), so stepping through many timers costs what the
 * pool asks for, not a scan of every timer. It counts the calls the pool makes, so tests can assert how much
 * timer work a scenario costs without measuring wall time.
 */
export class ManualTimer implements BufferPoolTimer {
  /** Calls of `setTimeout`, `clearTimeout` and `now` so far. */
  setTimeoutCalls = 0
  clearTimeoutCalls = 0
  nowCalls = 0
  private nowMs = 0
  private nextId = 1
  private readonly pending = new Map<number, PendingTimer>()
  /** Live and cleared timers; cleared ones are skipped when they reach the top. */
  private readonly heap: PendingTimer[] = []
  private readonly firesEarlyByMs: number

  /**
   * @param options.firesEarlyByMs (below 1) fire every timer this long before its delay has passed, as Node's
   *   timers can: they count whole milliseconds of a clock that `performance.now()` reads with fractions. Like
   *   Node's, such a timer then waits at least 1 ms, so a timer re-armed for the last fraction still fires later.
   */
  constructor(options: { firesEarlyByMs?: number } = {}) {
    this.firesEarlyByMs = options.firesEarlyByMs ?? 0
  }

  now(): number {
    this.nowCalls++
    return this.nowMs
  }

  setTimeout(callback: () => void, delayMs: number): unknown {
    this.setTimeoutCalls++
    const at = this.nowMs + delayMs
    const fireAt = this.firesEarlyByMs === 0 ? at : this.nowMs + Math.max(delayMs, 1) - this.firesEarlyByMs
    const timer: PendingTimer = { id: this.nextId++, at, fireAt, callback }
    this.pending.set(timer.id, timer)
    this.push(timer)
    return timer.id
  }

  clearTimeout(handle: unknown): void {
    this.clearTimeoutCalls++
    this.pending.delete(handle as number)
  }

  /** Timers still armed. */
  get armed(): number {
    return this.pending.size
  }

  /** Delays until the armed timers are due, earliest first. */
  get armedDelays(): number[] {
    return [...this.pending.values()].map((timer) => timer.at - this.nowMs).sort((a, b) => a - b)
  }

  /** Moves time forward, firing due timers in fire-time order (ties in arming order), each at its fire time. */
  advance(ms: number): void {
    const target = this.nowMs + ms
    for (;;) {
      while (this.heap.length > 0 && !this.pending.has(this.heap[0]!.id)) this.pop()
      const next = this.heap[0]
      if (next === undefined || next.fireAt > target) break
      this.pop()
      this.pending.delete(next.id)
      this.nowMs = Math.max(this.nowMs, next.fireAt)
      next.callback()
    }
    this.nowMs = target
  }

  private before(a: PendingTimer, b: PendingTimer): boolean {
    return a.fireAt < b.fireAt || (a.fireAt === b.fireAt && a.id < b.id)
  }

  private push(timer: PendingTimer): void {
    const heap = this.heap
    let index = heap.length
    heap.push(timer)
    while (index > 0) {
      const parent = (index - 1) >> 1
      if (!this.before(timer, heap[parent]!)) break
      heap[index] = heap[parent]!
      index = parent
    }
    heap[index] = timer
  }

  private pop(): void {
    const heap = this.heap
    const last = heap.pop()!
    if (heap.length === 0) return
    let index = 0
    for (;;) {
      const left = 2 * index + 1
      if (left >= heap.length) break
      const right = left + 1
      const child = right < heap.length && this.before(heap[right]!, heap[left]!) ? right : left
      if (!this.before(heap[child]!, last)) break
      heap[index] = heap[child]!
      index = child
    }
    heap[index] = last
  }
}
