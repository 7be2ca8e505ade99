import type { ProducerBatch } from '@x/accumulator'
import { TopicPartitionMap } from '../transaction/topic-partition-map.js'

/**
 * Keeps the completions of an idempotent partition in send order, as Java documents for callbacks ("records
 * sent to the same partition complete in order").
 *
 * Idempotence keeps the log in order, but responses can still arrive out of order. Example: a leader is
 * stopped and the response for batch A is lost. Batch B goes to the new leader and is acknowledged. A's retry
 * is answered later (DUPLICATE_SEQUENCE_NUMBER). So B's outcome is known before A's.
 *
 * This class holds an outcome back until every batch sent earlier to the same partition has completed.
 * Batches are tracked from their first send, in drain order, which for a partition is creation order. The
 * caller still updates the sequence bookkeeping at once; only the record completions wait. The earlier
 * batches always settle in the end, through a response, `delivery.timeout.ms` or an abort, so nothing waits
 * forever.
 *
 * Only batches with sequence numbers are tracked. Without idempotence, retries may reorder the log itself,
 * and holding a success back for an older retry would only delay it.
 */
export class CompletionOrder {
  private readonly sentOrder = new TopicPartitionMap<ProducerBatch[]>()
  /** Outcomes waiting for a batch, in the order they arrived. */
  private readonly waiting = new Map<ProducerBatch, (() => void)[]>()
  /** Batches whose outcome came through `settle` (held or running): they release their waiters themselves. */
  private readonly settling = new Set<ProducerBatch>()

  /** A batch goes out; its first send fixes its place. */
  sent(batch: ProducerBatch): void {
    if (!batch.hasSequence()) return
    const list = this.listOf(batch)
    if (list === undefined) {
      this.sentOrder.set(batch.topic, batch.partition, [batch])
      return
    }
    if (list.includes(batch)) return
    // Batches finished without an outcome here (aborted) never settle: drop them once done.
    while (list.length > 0 && list[0]!.isDone()) list.shift()
    list.push(batch)
  }

  /** A batch split after MESSAGE_TOO_LARGE: its parts take its place, and its last part its waiters. */
  split(batch: ProducerBatch, parts: readonly ProducerBatch[]): void {
    const list = this.listOf(batch)
    const index = list === undefined ? -1 : list.indexOf(batch)
    if (index >= 0) list!.splice(index, 1, ...parts)
    const waiters = this.waiting.get(batch)
    const last = parts[parts.length - 1]
    if (waiters === undefined || last === undefined) return
    this.waiting.delete(batch)
    for (const waiter of waiters) this.waitFor(last, waiter)
  }

  /**
   * Runs `complete` once every batch sent before `batch` to its partition has completed: at once in the
   * usual case, else right after the latest unfinished one of them (which waits on its own predecessors).
   */
  settle(batch: ProducerBatch, complete: () => void): void {
    const list = this.listOf(batch)
    const index = list === undefined ? -1 : list.indexOf(batch)
    if (index < 0) {
      complete()
      this.releaseWaiters(batch)
      return
    }
    list!.splice(index, 1)
    if (list!.length === 0) this.sentOrder.delete(batch.topic, batch.partition)
    this.settling.add(batch)
    const run = () => {
      try {
        complete()
      } finally {
        this.settling.delete(batch)
        this.releaseWaiters(batch)
      }
    }
    for (let earlier = index - 1; earlier >= 0; earlier--) {
      const predecessor = list![earlier]!
      if (!predecessor.isDone()) {
        this.waitFor(predecessor, run)
        return
      }
    }
    run()
  }

  /** Batches tracked, for tests. */
  get size(): number {
    let size = 0
    for (const [, list] of this.sentOrder.entries()) size += list.length
    return size
  }

  private waitFor(predecessor: ProducerBatch, run: () => void): void {
    const waiters = this.waiting.get(predecessor)
    if (waiters !== undefined) {
      waiters.push(run)
      return
    }
    this.waiting.set(predecessor, [run])
    // A predecessor finished elsewhere (aborted by a forced close or a fatal error) releases its waiters
    // when done; one settled here releases them after its own outcome, events included.
    predecessor.onceDone(() => {
      if (!this.settling.has(predecessor)) this.releaseWaiters(predecessor)
    })
  }

  private releaseWaiters(batch: ProducerBatch): void {
    const waiters = this.waiting.get(batch)
    if (waiters === undefined) return
    this.waiting.delete(batch)
    for (const waiter of waiters) waiter()
  }

  private listOf(batch: ProducerBatch): ProducerBatch[] | undefined {
    return this.sentOrder.get(batch.topic, batch.partition)
  }
}
