import { IN_ORDER_SLOT, NO_DEADLINE_SLOT, type Waiter } from './waiter.js'

/** Earlier deadline first; equal deadlines in arrival order. */
function before(a: Waiter, b: Waiter): boolean {
  return a.deadline < b.deadline || (a.deadline === b.deadline && a.sequence < b.sequence)
}

/**
 * Waiters by deadline, so one timer armed for the earliest can stand in for one timer per waiter.
 *
 * Most waiters arrive in deadline order (one `max.block.ms`, a monotonic clock): they go on a linked list
 * through `Waiter.earlier`/`later` whose tail is the latest deadline, and adding, taking the earliest and
 * removing any of them is O(1) — n waiters timing out together cost O(n). A waiter whose deadline is earlier
 * than that tail (a shorter `maxBlockMs` than the callers before it) goes on a binary min-heap instead,
 * O(log n). The earliest waiter is the earlier of the list's head and the heap's top.
 */
export class DeadlineQueue {
  private first: Waiter | undefined = undefined
  private last: Waiter | undefined = undefined
  private readonly heap: Waiter[] = []
  private count = 0

  get size(): number {
    return this.count
  }

  add(waiter: Waiter): void {
    this.count++
    if (this.last === undefined || waiter.deadline >= this.last.deadline) {
      waiter.deadlineSlot = IN_ORDER_SLOT
      waiter.earlier = this.last
      waiter.later = undefined
      if (this.last === undefined) this.first = waiter
      else this.last.later = waiter
      this.last = waiter
    } else {
      this.heap.push(waiter)
      this.siftUp(waiter, this.heap.length - 1)
    }
  }

  /** The waiter whose deadline comes first (ties: the oldest). */
  earliest(): Waiter | undefined {
    const listed = this.first
    const top = this.heap[0]
    if (listed === undefined) return top
    if (top === undefined) return listed
    return before(top, listed) ? top : listed
  }

  /** Takes the waiter out; does nothing if it is not here. */
  remove(waiter: Waiter): void {
    const slot = waiter.deadlineSlot
    if (slot === NO_DEADLINE_SLOT) return
    this.count--
    waiter.deadlineSlot = NO_DEADLINE_SLOT
    if (slot === IN_ORDER_SLOT) {
      const { earlier, later } = waiter
      if (earlier === undefined) this.first = later
      else earlier.later = later
      if (later === undefined) this.last = earlier
      else later.earlier = earlier
      waiter.earlier = undefined
      waiter.later = undefined
      return
    }
    const moved = this.heap.pop()!
    if (slot === this.heap.length) return
    // Fill the hole with the heap's last waiter and restore the order from there, up or down.
    if (slot > 0 && before(moved, this.heap[(slot - 1) >> 1]!)) this.siftUp(moved, slot)
    else this.siftDown(moved, slot)
  }

  /** Forgets every waiter (the pool is closing and settles them itself). */
  clear(): void {
    for (let waiter = this.first; waiter !== undefined; ) {
      const later = waiter.later
      waiter.deadlineSlot = NO_DEADLINE_SLOT
      waiter.earlier = undefined
      waiter.later = undefined
      waiter = later
    }
    for (const waiter of this.heap) waiter.deadlineSlot = NO_DEADLINE_SLOT
    this.first = undefined
    this.last = undefined
    this.heap.length = 0
    this.count = 0
  }

  private siftUp(waiter: Waiter, index: number): void {
    const heap = this.heap
    while (index > 0) {
      const parentIndex = (index - 1) >> 1
      const parent = heap[parentIndex]!
      if (!before(waiter, parent)) break
      heap[index] = parent
      parent.deadlineSlot = index
      index = parentIndex
    }
    heap[index] = waiter
    waiter.deadlineSlot = index
  }

  private siftDown(waiter: Waiter, index: number): void {
    const heap = this.heap
    const length = heap.length
    for (;;) {
      const left = 2 * index + 1
      if (left >= length) break
      const right = left + 1
      const childIndex = right < length && before(heap[right]!, heap[left]!) ? right : left
      const child = heap[childIndex]!
      if (!before(child, waiter)) break
      heap[index] = child
      child.deadlineSlot = index
      index = childIndex
    }
    heap[index] = waiter
    waiter.deadlineSlot = index
  }
}
