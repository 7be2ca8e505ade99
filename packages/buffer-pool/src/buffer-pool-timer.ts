/**
 * The time source of a `BufferPool`: the only place it touches timers. `allocate` arms one timer per waiting
 * caller for its `maxBlockMs` deadline and reads `now()` to measure wait time for the
 * `bufferpool-wait-time-ns-total` metric. Tests inject a manual timer; the default uses Node's timers.
 */
export interface BufferPoolTimer {
  /** Monotonic milliseconds (fractions allowed), e.g. `performance.now()`. */
  now(): number
  /** Calls `callback` once after `delayMs`; returns a handle for `clearTimeout`. */
  setTimeout(callback: () => void, delayMs: number): unknown
  clearTimeout(handle: unknown): void
}

/**
 * Node's timers and `performance.now()`. The timers stay referenced: a caller waiting for memory is live work
 * and should keep the process up until it gets memory or its deadline passes.
 */
export const systemTimer: BufferPoolTimer = {
  now: () => performance.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}
