/** Where a waiter sits in the `DeadlineQueue`: not there, in its in-order list, or at this index of its heap. */
export const NO_DEADLINE_SLOT = -1
export const IN_ORDER_SLOT = -2

/** What a waiter calls when its `AbortSignal` fires: the pool that queued it. */
export interface AbortTarget {
  abortWaiter(waiter: Waiter): void
}

/**
 * A caller waiting for memory: one record holding everything the pool needs, including the links of both
 * queues it sits in, so waiting costs no closure, timer or array slot of its own. It is its own abort listener
 * (`handleEvent`). Memory freed while it waits is reserved for it (`accumulated`).
 */
export class Waiter {
  /** Bytes reserved for this waiter so far. */
  accumulated = 0
  /** Arrival order, to break ties between equal deadlines. */
  readonly sequence: number
  // Links of the arrival-order WaiterQueue; `queued` is true while the waiter is in it.
  queued = false
  previous: Waiter | undefined = undefined
  next: Waiter | undefined = undefined
  // Links of the DeadlineQueue: its in-order list, or a heap index in `deadlineSlot`.
  deadlineSlot = NO_DEADLINE_SLOT
  earlier: Waiter | undefined = undefined
  later: Waiter | undefined = undefined

  constructor(
    readonly size: number,
    readonly maxBlockMs: number,
    readonly startMs: number,
    /** `startMs + maxBlockMs`, or `Infinity` when the waiter waits with no deadline. */
    readonly deadline: number,
    sequence: number,
    readonly signal: AbortSignal | undefined,
    private readonly target: AbortTarget,
    readonly resolve: (buffer: Uint8Array) => void,
    readonly reject: (error: unknown) => void,
  ) {
    this.sequence = sequence
  }

  /** The `abort` listener (an EventListener object, so no closure per waiter). */
  handleEvent(): void {
    this.target.abortWaiter(this)
  }
}
