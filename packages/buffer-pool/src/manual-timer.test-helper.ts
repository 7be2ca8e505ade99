import type { BufferPoolTimer } from './buffer-pool-timer.js'

/** A hand-stepped `BufferPoolTimer` for tests: time moves only when `advance` is called. */
export class ManualTimer implements BufferPoolTimer {
  private nowMs = 0
  private nextId = 1
  private readonly pending = new Map<number, { at: number; callback: () => void }>()

  now(): number {
    return this.nowMs
  }

  setTimeout(callback: () => void, delayMs: number): unknown {
    const id = this.nextId++
    this.pending.set(id, { at: this.nowMs + delayMs, callback })
    return id
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number)
  }

  /** Timers still armed. */
  get armed(): number {
    return this.pending.size
  }

  /** Moves time forward, firing due timers in deadline order. */
  advance(ms: number): void {
    const target = this.nowMs + ms
    for (;;) {
      let nextId = -1
      let next: { at: number; callback: () => void } | undefined
      for (const [id, timer] of this.pending) {
        if (timer.at <= target && (next === undefined || timer.at < next.at)) {
          nextId = id
          next = timer
        }
      }
      if (next === undefined) break
      this.pending.delete(nextId)
      this.nowMs = next.at
      next.callback()
    }
    this.nowMs = target
  }
}
