import type { Waiter } from './waiter.js'

/**
 * Waiters in arrival order: an intrusive doubly linked list through `Waiter.previous`/`next`, so the head is
 * served and any waiter (timed out, aborted) is taken out in O(1), without searching or shifting an array.
 */
export class WaiterQueue {
  private head: Waiter | undefined = undefined
  private tail: Waiter | undefined = undefined
  private count = 0

  get length(): number {
    return this.count
  }

  /** The oldest waiter. */
  get first(): Waiter | undefined {
    return this.head
  }

  push(waiter: Waiter): void {
    waiter.queued = true
    waiter.previous = this.tail
    waiter.next = undefined
    if (this.tail === undefined) this.head = waiter
    else this.tail.next = waiter
    this.tail = waiter
    this.count++
  }

  /** Takes the waiter out; false if it was not queued. */
  remove(waiter: Waiter): boolean {
    if (!waiter.queued) return false
    const { previous, next } = waiter
    if (previous === undefined) this.head = next
    else previous.next = next
    if (next === undefined) this.tail = previous
    else next.previous = previous
    waiter.queued = false
    waiter.previous = undefined
    waiter.next = undefined
    this.count--
    return true
  }

  /** Empties the queue and returns the waiters, oldest first. */
  removeAll(): Waiter[] {
    const all: Waiter[] = []
    for (let waiter = this.head; waiter !== undefined; ) {
      const next = waiter.next
      waiter.queued = false
      waiter.previous = undefined
      waiter.next = undefined
      all.push(waiter)
      waiter = next
    }
    this.head = undefined
    this.tail = undefined
    this.count = 0
    return all
  }
}
