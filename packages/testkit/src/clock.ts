import { TestkitError } from './testkit-error.js'

/**
 * Where the embedded cluster reads time and schedules its timers (added latency, parked fetches). The
 * default is the system clock; tests that want determinism pass a {@link ManualClock} and step it.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number
  /** Runs `callback` after `delayMs`; returns a handle for `clearTimeout`. */
  setTimeout(callback: () => void, delayMs: number): unknown
  clearTimeout(handle: unknown): void
}

/** Wall-clock time and Node's timers (unref'd: a forgotten cluster never keeps the process alive). */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, delayMs) {
    const timer = setTimeout(callback, delayMs)
    timer.unref()
    return timer
  },
  clearTimeout(handle) {
    clearTimeout(handle as NodeJS.Timeout)
  },
}

interface ManualTimer {
  readonly id: number
  readonly dueMs: number
  readonly callback: () => void
}

/**
 * A clock that moves only when told to: `advance(ms)` runs every timer that falls due, in due-time order
 * (ties in scheduling order), with `now()` reading each timer's due time while it runs. It starts at the
 * wall-clock time by default, so record timestamps a producer takes from `Date.now()` stay within the
 * broker's `message.timestamp.*.max.ms` bounds; pass `startMs` for fully repeatable times.
 *
 * When a client under test shares the clock with the cluster, step it with `advanceAsync` instead: it lets
 * the I/O each timer sets off (requests, the brokers' answers, the client's reaction) finish at that
 * timer's instant before the next timer runs, so a run is the same on every machine.
 */
export class ManualClock implements Clock {
  private nowMs: number
  private nextId = 1
  private timers: ManualTimer[] = []

  constructor(startMs = Date.now()) {
    this.nowMs = startMs
  }

  now(): number {
    return this.nowMs
  }

  setTimeout(callback: () => void, delayMs: number): unknown {
    const timer = { id: this.nextId++, dueMs: this.nowMs + Math.max(0, delayMs), callback }
    this.timers.push(timer)
    return timer.id
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle)
  }

  /** Timers scheduled and not yet run. */
  get pendingTimers(): number {
    return this.timers.length
  }

  /** Moves time forward by `ms`, running the timers that fall due on the way. */
  advance(ms: number): void {
    const target = this.nowMs + ms
    for (let next = this.takeDue(target); next !== undefined; next = this.takeDue(target)) next.callback()
    this.nowMs = target
  }

  /**
   * Moves time forward by `ms` like `advance`, but lets pending I/O settle (see `settle`) before the first
   * timer and after each one: a timer's consequences happen at its instant, and a timer they schedule
   * within the span runs in it too.
   */
  async advanceAsync(ms: number): Promise<void> {
    const target = this.nowMs + ms
    await this.settle()
    for (let next = this.takeDue(target); next !== undefined; next = this.takeDue(target)) {
      next.callback()
      await this.settle()
    }
    this.nowMs = target
    await this.settle()
  }

  /**
   * Advances in `stepMs` steps (each an `advanceAsync`) until `condition()` holds, at most `maxMs`;
   * resolves to whether it held.
   */
  async advanceUntil(condition: () => boolean, maxMs: number, stepMs = 10): Promise<boolean> {
    if (!(stepMs > 0)) throw new TestkitError('INVALID_OPTION', `stepMs must be positive, got ${stepMs}`)
    for (let waited = 0; waited <= maxMs; waited += stepMs) {
      if (condition()) return true
      await this.advanceAsync(stepMs)
    }
    return condition()
  }

  /**
   * Lets what is under way finish without moving time: every queued microtask (the in-memory transport
   * carries bytes in microtasks, so written requests reach the brokers and their answers the client) and
   * then one turn of the event loop.
   */
  settle(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve))
  }

  /** Removes and returns the earliest timer due by `target`, with the time set to its due time. */
  private takeDue(target: number): ManualTimer | undefined {
    let next: ManualTimer | undefined
    for (const timer of this.timers) {
      if (timer.dueMs <= target && (next === undefined || timer.dueMs < next.dueMs)) next = timer
    }
    if (next === undefined) return undefined
    this.timers = this.timers.filter((timer) => timer !== next)
    this.nowMs = Math.max(this.nowMs, next.dueMs)
    return next
  }
}
