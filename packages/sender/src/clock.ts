/**
 * Time for the sender's decisions and timers. Every decision takes `now()` from here, every deadline (linger,
 * backoff, request and delivery timeouts, metadata age) is one `setTimeout` from here, so tests drive the
 * sender deterministically with a hand-stepped clock. The same shape as `@x/buffer-pool`'s `BufferPoolTimer`,
 * so one clock can serve both.
 */
export interface SenderClock {
  /** Epoch milliseconds (batch creation and delivery timeouts compare against the accumulator's times). */
  now(): number
  /** Calls `callback` once after `delayMs`; returns a handle for `clearTimeout`. */
  setTimeout(callback: () => void, delayMs: number): unknown
  clearTimeout(handle: unknown): void
}

/** Node's timers (kept referenced: pending sends are live work) and `Date.now()`. */
export const systemClock: SenderClock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

/** Node's timers cap delays at 2^31-1 ms; longer waits are re-armed by whoever owns the deadline. */
export const MAX_TIMER_DELAY_MS = 2_147_483_647
