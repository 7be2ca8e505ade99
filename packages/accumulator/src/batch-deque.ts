/**
 * A double-ended queue on a growable ring buffer: O(1) at both ends, no allocation per push once warm. Java
 * uses `ArrayDeque` for the per-partition queue; a JS array's `shift`/`unshift` would be O(n).
 */
export class BatchDeque<T> {
  private items: (T | undefined)[] = new Array(8)
  private head = 0
  private count = 0

  get size(): number {
    return this.count
  }

  isEmpty(): boolean {
    return this.count === 0
  }

  peekFirst(): T | undefined {
    return this.count === 0 ? undefined : this.items[this.head]
  }

  peekLast(): T | undefined {
    return this.count === 0 ? undefined : this.items[(this.head + this.count - 1) & (this.items.length - 1)]
  }

  /** The item at `index` from the front (0 = first). */
  at(index: number): T | undefined {
    if (index < 0 || index >= this.count) return undefined
    return this.items[(this.head + index) & (this.items.length - 1)]
  }

  addLast(item: T): void {
    if (this.count === this.items.length) this.grow()
    this.items[(this.head + this.count) & (this.items.length - 1)] = item
    this.count++
  }

  addFirst(item: T): void {
    if (this.count === this.items.length) this.grow()
    this.head = (this.head - 1) & (this.items.length - 1)
    this.items[this.head] = item
    this.count++
  }

  pollFirst(): T | undefined {
    if (this.count === 0) return undefined
    const item = this.items[this.head]
    this.items[this.head] = undefined
    this.head = (this.head + 1) & (this.items.length - 1)
    this.count--
    return item
  }

  /** Removes the first occurrence of `item`; returns whether it was there. O(n), for aborts only. */
  remove(item: T): boolean {
    const mask = this.items.length - 1
    for (let i = 0; i < this.count; i++) {
      if (this.items[(this.head + i) & mask] !== item) continue
      for (let j = i; j < this.count - 1; j++) {
        this.items[(this.head + j) & mask] = this.items[(this.head + j + 1) & mask]
      }
      this.items[(this.head + this.count - 1) & mask] = undefined
      this.count--
      return true
    }
    return false
  }

  toArray(): T[] {
    const out: T[] = []
    for (let i = 0; i < this.count; i++) out.push(this.items[(this.head + i) & (this.items.length - 1)]!)
    return out
  }

  private grow(): void {
    const next: (T | undefined)[] = new Array(this.items.length * 2)
    for (let i = 0; i < this.count; i++) next[i] = this.items[(this.head + i) & (this.items.length - 1)]
    this.items = next
    this.head = 0
  }
}
