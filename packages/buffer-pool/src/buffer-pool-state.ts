/** What changed in the pool: the reason a `BufferPoolState` was emitted. */
export type BufferPoolEvent =
  | 'subscribed'
  | 'allocated'
  | 'deallocated'
  | 'waiting'
  | 'exhausted'
  | 'aborted'
  | 'closed'

/**
 * One snapshot of the pool, emitted on `BufferPool.state$` whenever memory moves (one allocation or
 * deallocation is one batch, never one record).
 */
export interface BufferPoolState {
  readonly event: BufferPoolEvent
  /** `buffer.memory`. */
  readonly totalMemory: number
  /** Free memory: unallocated plus the free list. */
  readonly availableMemory: number
  /** Memory neither handed out nor on the free list. */
  readonly unallocatedMemory: number
  /** Callers waiting for memory. Non-zero means memory pressure: the accumulator drains at once. */
  readonly queued: number
  readonly closed: boolean
}

/** The pool's metrics under the Java client's names (`producer-metrics` group). Totals only; rates are derived. */
export interface BufferPoolMetrics {
  /** The maximum amount of buffer memory the client can use. */
  readonly 'buffer-total-bytes': number
  /** Memory not in use: unallocated or on the free list. */
  readonly 'buffer-available-bytes': number
  /** Appends waiting for buffer memory (Java counts blocked threads under this name). */
  readonly 'waiting-threads': number
  /** Total time appends waited for memory, in nanoseconds. */
  readonly 'bufferpool-wait-time-ns-total': number
  /** Appends dropped because memory did not become free within max.block.ms. */
  readonly 'buffer-exhausted-total': number
}
