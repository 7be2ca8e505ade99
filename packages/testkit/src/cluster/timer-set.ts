import type { Clock } from '../clock.js'

/** The cluster's pending timers, so `stop()` can cancel every one and leave nothing behind. */
export class TimerSet {
  private readonly handles = new Set<unknown>()

  constructor(private readonly clock: Clock) {}

  /** Schedules `callback` after `delayMs`; returns its canceller. */
  schedule(callback: () => void, delayMs: number): () => void {
    let handle: unknown
    const run = () => {
      this.handles.delete(handle)
      callback()
    }
    handle = this.clock.setTimeout(run, delayMs)
    this.handles.add(handle)
    return () => {
      if (this.handles.delete(handle)) this.clock.clearTimeout(handle)
    }
  }

  get size(): number {
    return this.handles.size
  }

  cancelAll(): void {
    for (const handle of this.handles) this.clock.clearTimeout(handle)
    this.handles.clear()
  }
}
