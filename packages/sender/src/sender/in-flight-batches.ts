import type { ProducerBatch, RecordAccumulator } from '@x/accumulator'
import type { ClientRequest } from '../network/client-request.js'

/**
 * The batches sent and not yet completed, per partition in send order (Java `Sender.inFlightBatches`), for
 * delivery-timeout expiry of batches in flight; and, per batch, the request that last carried it, so its
 * pooled memory goes back only once that request settled and its bytes left the socket (KAFKA-19012).
 */
export class InFlightBatches {
  private readonly byTopic = new Map<string, Map<number, ProducerBatch[]>>()
  /** Requests that carried the batch and may still reference its bytes (usually one). */
  private readonly requests = new Map<ProducerBatch, ClientRequest[]>()
  /** Batches whose memory went back (or is promised back): release is idempotent, memory is freed once. */
  private readonly released = new WeakSet<ProducerBatch>()
  private size = 0
  /** Earliest creation + `delivery.timeout.ms` among batches in flight (exact after `expired`, else earlier). */
  nextExpiryMs = Number.POSITIVE_INFINITY

  constructor(
    private readonly deliveryTimeoutMs: number,
    /** After a forced close the accumulator frees every batch itself: late releases must not free twice. */
    private readonly aborted: () => boolean = () => false,
  ) {}

  get count(): number {
    return this.size
  }

  add(batch: ProducerBatch, request: ClientRequest): void {
    let partitions = this.byTopic.get(batch.topic)
    if (partitions === undefined) {
      partitions = new Map()
      this.byTopic.set(batch.topic, partitions)
    }
    let list = partitions.get(batch.partition)
    if (list === undefined) {
      list = []
      partitions.set(batch.partition, list)
    }
    list.push(batch)
    this.size++
    const carriers = this.requests.get(batch)
    if (carriers === undefined) this.requests.set(batch, [request])
    else {
      // A retry: earlier attempts' bytes may still sit in a dead socket's queue until it is destroyed.
      const live = carriers.filter((carrier) => !carrier.released)
      live.push(request)
      this.requests.set(batch, live)
    }
    const expiry = batch.createdMs + this.deliveryTimeoutMs
    if (expiry < this.nextExpiryMs) this.nextExpiryMs = expiry
  }

  /** Java `maybeRemoveFromInflightBatches`. */
  remove(batch: ProducerBatch): void {
    const partitions = this.byTopic.get(batch.topic)
    const list = partitions?.get(batch.partition)
    if (list === undefined) return
    const index = list.indexOf(batch)
    if (index < 0) return
    list.splice(index, 1)
    this.size--
    if (list.length === 0) {
      partitions!.delete(batch.partition)
      if (partitions!.size === 0) this.byTopic.delete(batch.topic)
    }
  }

  /**
   * Takes out the batches in flight that reached `delivery.timeout.ms` (at the head of each partition's
   * list, as Java stops at the first that has not), and recomputes `nextExpiryMs`.
   */
  expired(nowMs: number): ProducerBatch[] {
    const deliveryTimeoutMs = this.deliveryTimeoutMs
    const expired: ProducerBatch[] = []
    let next = Number.POSITIVE_INFINITY
    for (const [topic, partitions] of this.byTopic) {
      for (const [partition, list] of partitions) {
        while (list.length > 0) {
          const batch = list[0]!
          if (!batch.hasReachedDeliveryTimeout(deliveryTimeoutMs, nowMs)) {
            next = Math.min(next, batch.createdMs + deliveryTimeoutMs)
            break
          }
          list.shift()
          this.size--
          if (!batch.isDone()) expired.push(batch)
        }
        if (list.length === 0) partitions.delete(partition)
      }
      if (partitions.size === 0) this.byTopic.delete(topic)
    }
    this.nextExpiryMs = next
    return expired
  }

  /** Every batch in flight (forced close). */
  all(): ProducerBatch[] {
    const all: ProducerBatch[] = []
    for (const partitions of this.byTopic.values()) for (const list of partitions.values()) all.push(...list)
    return all
  }

  /**
   * Returns the batch's memory to the pool once the request that last carried it has settled and its bytes
   * left the process — at once when that is already so, or when the batch never went out.
   */
  release(batch: ProducerBatch, accumulator: RecordAccumulator): void {
    if (this.released.has(batch)) return
    this.released.add(batch)
    const carriers = this.requests.get(batch)
    this.requests.delete(batch)
    let waiting = 0
    const done = () => {
      if (--waiting === 0 && !this.aborted()) accumulator.deallocate(batch)
    }
    waiting++
    if (carriers !== undefined) {
      for (const carrier of carriers) {
        if (carrier.released) continue
        waiting++
        carrier.whenReleased(done)
      }
    }
    done()
  }

  /** True while some request still references the batch's bytes (for tests of KAFKA-19012). */
  isHeldBySocket(batch: ProducerBatch): boolean {
    return this.requests.get(batch)?.some((request) => !request.released) ?? false
  }
}
