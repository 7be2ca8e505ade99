/**
 * Counts sends that wait for metadata or memory instead of appending at once, and tells who asks when none
 * does: the producer's back-pressure signal (`sendRecords`, `flush`, `close`). Nothing on the synchronous
 * path touches it.
 */
export class BlockedSends {
  private waiting = 0
  private idleWaiters: (() => void)[] = []

  get count(): number {
    return this.waiting
  }

  add(): void {
    this.waiting++
  }

  remove(): void {
    if (--this.waiting > 0) return
    const waiters = this.idleWaiters
    this.idleWaiters = []
    for (const resolve of waiters) resolve()
  }

  /** `undefined` when no send waits; else resolves once none does. */
  whenNone(): Promise<void> | undefined {
    if (this.waiting === 0) return undefined
    return new Promise<void>((resolve) => this.idleWaiters.push(resolve))
  }
}
