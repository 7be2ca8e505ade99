import type { SenderClock } from '../clock.js'

interface PendingTimer {
  readonly id: number
  readonly dueMs: number
  readonly callback: () => void
}

/** Lets every microtask and pending I/O callback of the in-memory transport run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/**
 * A hand-stepped clock for deterministic sender tests (test-only). Timers fire only from `advance`, in due
 * order; between timers every pending microtask runs, so a pass, the writes it queues and the fake broker's
 * answers all happen at the instant the timer fired.
 */
export class ManualClock implements SenderClock {
  private nowMs: number
  private nextId = 1
  private readonly timers = new Map<number, PendingTimer>()

  constructor(startMs = 1_000_000) {
    this.nowMs = startMs
  }

  now(): number {
    return this.nowMs
  }

  setTimeout(callback: () => void, delayMs: number): unknown {
    const id = this.nextId++
    this.timers.set(id, { id, dueMs: this.nowMs + Math.max(0, delayMs), callback })
    return id
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number)
  }

  /** Timers not yet fired (diagnostics). */
  get pendingTimers(): number {
    return this.timers.size
  }

  /** Moves time forward by `ms`, firing due timers one by one and settling I/O after each. */
  async advance(ms: number): Promise<void> {
    const target = this.nowMs + ms
    await settle()
    for (;;) {
      let next: PendingTimer | undefined
      for (const timer of this.timers.values()) {
        if (timer.dueMs <= target && (next === undefined || timer.dueMs < next.dueMs)) next = timer
      }
      if (next === undefined) break
      this.timers.delete(next.id)
      if (next.dueMs > this.nowMs) this.nowMs = next.dueMs
      next.callback()
      await settle()
    }
    this.nowMs = target
    await settle()
  }

  /** Advances in `stepMs` steps until `condition` holds or `maxMs` passed; returns whether it held. */
  async advanceUntil(condition: () => boolean, maxMs: number, stepMs = 10): Promise<boolean> {
    for (let waited = 0; waited <= maxMs; waited += stepMs) {
      if (condition()) return true
      await this.advance(stepMs)
    }
    return condition()
  }
}
