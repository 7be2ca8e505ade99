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
    for (;;) {
      let next: ManualTimer | undefined
      for (const timer of this.timers) {
        if (timer.dueMs <= target && (next === undefined || timer.dueMs < next.dueMs)) next = timer
      }
      if (next === undefined) break
      this.timers = this.timers.filter((timer) => timer !== next)
      this.nowMs = Math.max(this.nowMs, next.dueMs)
      next.callback()
    }
    this.nowMs = target
  }
}
