import { KafkaError } from '@x/protocol'
import { Observable, Subject } from 'rxjs'
import { AllocationTooLargeError } from './allocation-too-large-error.js'
import { BufferExhaustedError } from './buffer-exhausted-error.js'
import { BufferPoolClosedError } from './buffer-pool-closed-error.js'
import type { BufferPoolEvent, BufferPoolMetrics, BufferPoolState } from './buffer-pool-state.js'
import { type BufferPoolTimer, systemTimer } from './buffer-pool-timer.js'
import { DeadlineQueue } from './deadline-queue.js'
import { type AbortTarget, Waiter } from './waiter.js'
import { WaiterQueue } from './waiter-queue.js'

/** Node's timers cannot wait longer than this; a longer `maxBlockMs` waits without a deadline. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1

export interface BufferPoolOptions {
  /** `buffer.memory`: the most memory the pool hands out at once, in bytes. */
  totalMemory: number
  /** `batch.size`: buffers of exactly this size are kept on a free list and recycled. */
  poolableSize: number
  /** Timer and clock for `maxBlockMs` deadlines and wait-time metrics; defaults to Node's. */
  timer?: BufferPoolTimer
}

/**
 * A bounded pool of memory that record batches are written into (Java `BufferPool`).
 *
 * Buffers of exactly `poolableSize` bytes (`batch.size`) are recycled through a free list; other sizes are
 * carved from what is left of `totalMemory` (`buffer.memory`) and given back to it. The pool never has more
 * than `totalMemory` bytes handed out.
 *
 * Fairness: when memory is short, callers wait in arrival order, and all freed memory goes to the oldest
 * waiter until its request is met, so a large request is never starved by a stream of small ones. While
 * anyone waits, a new caller queues behind them even if a small amount of memory happens to be free.
 *
 * `allocate` is synchronous when memory is there (no promise, no microtask); only a caller that must wait
 * gets a promise. Waiting is cheap: a waiter is one record on two intrusive queues (arrival order, deadline
 * order), so serving, timing out or aborting one is O(1) in the usual case, and the pool arms a single timer
 * from the injectable `BufferPoolTimer`, for the earliest deadline, however many callers wait.
 *
 * Ownership: a buffer belongs to the caller from `allocate` until `deallocate`. The producer deallocates a
 * batch's buffer only once its request has settled and no socket still holds the bytes (KAFKA-19012): a
 * buffer recycled early would be overwritten while it is being sent.
 *
 * @see https://github.com/apache/kafka/blob/trunk/clients/src/main/java/org/apache/kafka/clients/producer/internals/BufferPool.java
 */
export class BufferPool {
  readonly totalMemory: number
  readonly poolableSize: number
  /**
   * Pool state, replayed on subscription and then emitted whenever memory moves (per batch, not per record).
   * Emissions cost nothing while nobody subscribes. Does not complete on `close()`: memory still comes back.
   */
  readonly state$: Observable<BufferPoolState>

  private readonly timer: BufferPoolTimer
  private readonly free: Uint8Array[] = []
  private readonly waiters = new WaiterQueue()
  private readonly deadlines = new DeadlineQueue()
  /** The one deadline timer: its handle and the deadline it was armed for (never later than the earliest). */
  private deadlineTimer: unknown = undefined
  private armedDeadline = Number.POSITIVE_INFINITY
  private readonly onDeadline = () => this.expireDue()
  private readonly abortTarget: AbortTarget = { abortWaiter: (waiter) => this.abort(waiter) }
  private nextSequence = 0
  /** Buffers handed out and not yet returned, to refuse a double or foreign `deallocate`. */
  private readonly outstanding = new WeakSet<Uint8Array>()
  private readonly changes = new Subject<BufferPoolState>()
  /** Total available memory = nonPooledAvailableMemory + free.length * poolableSize. */
  private nonPooledAvailableMemory: number
  private closed = false
  private waitTimeNsTotal = 0
  private exhaustedTotal = 0

  constructor(options: BufferPoolOptions) {
    const { totalMemory, poolableSize } = options
    if (!Number.isSafeInteger(totalMemory) || totalMemory <= 0) {
      throw new KafkaError({
        code: 'INVALID_CONFIG',
        message: `buffer.memory must be a positive integer number of bytes, got ${totalMemory}.`,
      })
    }
    if (!Number.isSafeInteger(poolableSize) || poolableSize <= 0) {
      throw new KafkaError({
        code: 'INVALID_CONFIG',
        message: `batch.size (the poolable size) must be a positive integer number of bytes, got ${poolableSize}.`,
      })
    }
    this.totalMemory = totalMemory
    this.poolableSize = poolableSize
    this.nonPooledAvailableMemory = totalMemory
    this.timer = options.timer ?? systemTimer
    this.state$ = new Observable<BufferPoolState>((subscriber) => {
      subscriber.next(this.snapshot('subscribed'))
      return this.changes.subscribe(subscriber)
    })
  }

  /**
   * Allocates a buffer of exactly `size` bytes. Returns it at once when memory is there; otherwise returns a
   * promise served in arrival order, rejected with `BufferExhaustedError` after `maxBlockMs` (at once, with no
   * promise, when `maxBlockMs` is 0), with `BufferPoolClosedError` on `close()`, or with `signal.reason`.
   *
   * @throws AllocationTooLargeError when `size` exceeds `totalMemory` (waiting could never succeed).
   * @throws BufferPoolClosedError after `close()`.
   */
  allocate(size: number, maxBlockMs: number, signal?: AbortSignal): Uint8Array | Promise<Uint8Array> {
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new KafkaError({
        code: 'INVALID_ARGUMENT',
        message: `BufferPool.allocate: size must be a non-negative integer number of bytes, got ${size}.`,
      })
    }
    if (!(maxBlockMs >= 0)) {
      throw new KafkaError({
        code: 'INVALID_ARGUMENT',
        message: `BufferPool.allocate: maxBlockMs (max.block.ms) must be >= 0, got ${maxBlockMs}.`,
      })
    }
    if (size > this.totalMemory) {
      throw new AllocationTooLargeError({ requestedBytes: size, totalMemory: this.totalMemory })
    }
    if (this.closed) throw new BufferPoolClosedError({ requestedBytes: size, whileWaiting: false })
    if (signal?.aborted) throw signal.reason

    // Served at once only when nobody is queued: a newcomer must not overtake an older waiter.
    if (this.waiters.length === 0) {
      if (size === this.poolableSize && this.free.length > 0) {
        const buffer = this.free.pop()!
        this.outstanding.add(buffer)
        this.emit('allocated')
        return buffer
      }
      if (this.nonPooledAvailableMemory + this.free.length * this.poolableSize >= size) {
        this.freeUp(size)
        this.nonPooledAvailableMemory -= size
        const buffer = new Uint8Array(size)
        this.outstanding.add(buffer)
        this.emit('allocated')
        return buffer
      }
    }

    if (maxBlockMs === 0) {
      this.exhaustedTotal++
      this.emit('exhausted')
      throw this.exhaustedError(size, maxBlockMs)
    }
    return this.enqueueWaiter(size, maxBlockMs, signal)
  }

  /**
   * Returns a buffer from `allocate`. A `poolableSize` buffer goes back on the free list (its bytes are not
   * cleared); any other size goes back to unallocated memory. Freed memory goes to the oldest waiter first.
   * Works after `close()` too, so in-flight batches can still give their memory back.
   *
   * @throws KafkaError (`ILLEGAL_STATE`) for a buffer this pool did not hand out or that was already returned.
   */
  deallocate(buffer: Uint8Array): void {
    if (!this.outstanding.delete(buffer)) {
      throw new KafkaError({
        code: 'ILLEGAL_STATE',
        message:
          `BufferPool.deallocate: this ${buffer.byteLength}-byte buffer is not outstanding from this pool ` +
          '(deallocated twice, or allocated elsewhere). Return each allocated buffer exactly once.',
      })
    }
    if (buffer.byteLength === this.poolableSize) this.free.push(buffer)
    else this.nonPooledAvailableMemory += buffer.byteLength
    this.serveWaiters()
    this.emit('deallocated')
  }

  /** Free memory: unallocated plus the free list (Java `availableMemory()`). */
  get availableMemory(): number {
    return this.nonPooledAvailableMemory + this.free.length * this.poolableSize
  }

  /** Memory neither handed out nor on the free list (Java `unallocatedMemory()`). */
  get unallocatedMemory(): number {
    return this.nonPooledAvailableMemory
  }

  /** Callers waiting for memory (Java `queued()`); non-zero means the pool is exhausted. */
  get queued(): number {
    return this.waiters.length
  }

  get isClosed(): boolean {
    return this.closed
  }

  /** A snapshot of the metrics under the Java client's names. */
  metrics(): BufferPoolMetrics {
    return {
      'buffer-total-bytes': this.totalMemory,
      'buffer-available-bytes': this.availableMemory,
      'waiting-threads': this.waiters.length,
      'bufferpool-wait-time-ns-total': this.waitTimeNsTotal,
      'buffer-exhausted-total': this.exhaustedTotal,
    }
  }

  /**
   * Refuses further allocations and rejects every waiter with `BufferPoolClosedError`, returning the memory
   * they had reserved. Buffers already handed out can still be deallocated. Idempotent.
   */
  close(): void {
    if (this.closed) return
    this.closed = true
    const waiters = this.waiters.removeAll()
    this.deadlines.clear()
    this.disarm()
    const nowMs = waiters.length > 0 ? this.timer.now() : 0
    for (const waiter of waiters) {
      this.nonPooledAvailableMemory += waiter.accumulated
      waiter.accumulated = 0
      this.settle(waiter, nowMs)
    }
    this.emit('closed')
    for (const waiter of waiters) {
      waiter.reject(new BufferPoolClosedError({ requestedBytes: waiter.size, whileWaiting: true }))
    }
  }

  private enqueueWaiter(
    size: number,
    maxBlockMs: number,
    signal: AbortSignal | undefined,
  ): Promise<Uint8Array> {
    return new Promise<Uint8Array>((resolve, reject) => {
      const startMs = this.timer.now()
      const deadline = maxBlockMs <= MAX_TIMER_DELAY_MS ? startMs + maxBlockMs : Number.POSITIVE_INFINITY
      const waiter = new Waiter(
        size,
        maxBlockMs,
        startMs,
        deadline,
        this.nextSequence++,
        signal,
        this.abortTarget,
        resolve,
        reject,
      )
      signal?.addEventListener('abort', waiter, { once: true })
      this.waiters.push(waiter)
      if (deadline !== Number.POSITIVE_INFINITY) {
        this.deadlines.add(waiter)
        this.arm(deadline, maxBlockMs)
      }
      // The newcomer may be the head of the queue: hand it whatever is free now.
      this.serveWaiters()
      this.emit('waiting')
    })
  }

  /**
   * Gives free memory to waiters in arrival order. The head takes everything it still needs (or a free-list
   * buffer if it wants exactly `poolableSize` and has reserved nothing yet); if that is not enough it keeps its
   * partial reservation and everyone behind it keeps waiting.
   */
  private serveWaiters(nowMs?: number): void {
    for (let waiter = this.waiters.first; waiter !== undefined; waiter = this.waiters.first) {
      let buffer: Uint8Array
      if (waiter.accumulated === 0 && waiter.size === this.poolableSize && this.free.length > 0) {
        buffer = this.free.pop()!
      } else {
        const needed = waiter.size - waiter.accumulated
        this.freeUp(needed)
        const got = Math.min(needed, this.nonPooledAvailableMemory)
        this.nonPooledAvailableMemory -= got
        waiter.accumulated += got
        if (waiter.accumulated < waiter.size) return
        buffer = new Uint8Array(waiter.size)
      }
      nowMs ??= this.timer.now()
      this.dequeue(waiter)
      this.settle(waiter, nowMs)
      this.outstanding.add(buffer)
      waiter.resolve(buffer)
    }
  }

  /**
   * The deadline timer fired: fail every waiter whose deadline has passed by the pool's clock, in deadline
   * order, then arm the timer for the next one. Only the clock decides, so a timer that fires a little early
   * (Node counts whole milliseconds) fails nobody before their time; it is just armed again.
   */
  private expireDue(): void {
    this.disarm()
    const nowMs = this.timer.now()
    for (let waiter = this.deadlines.earliest(); waiter !== undefined; waiter = this.deadlines.earliest()) {
      if (waiter.deadline > nowMs) {
        this.arm(waiter.deadline, waiter.deadline - nowMs)
        return
      }
      this.expire(waiter, nowMs)
    }
  }

  /** `maxBlockMs` passed: give back what the waiter had reserved and fail it. */
  private expire(waiter: Waiter, nowMs: number): void {
    if (!this.remove(waiter, nowMs)) return
    this.exhaustedTotal++
    this.emit('exhausted')
    waiter.reject(this.exhaustedError(waiter.size, waiter.maxBlockMs))
  }

  private abort(waiter: Waiter): void {
    if (!waiter.queued) return
    this.remove(waiter, this.timer.now())
    this.emit('aborted')
    waiter.reject(waiter.signal!.reason)
  }

  /** Takes a waiter out of the queue, returns its reservation and serves whoever is next. */
  private remove(waiter: Waiter, nowMs: number): boolean {
    if (!waiter.queued) return false
    this.dequeue(waiter)
    this.nonPooledAvailableMemory += waiter.accumulated
    waiter.accumulated = 0
    this.settle(waiter, nowMs)
    this.serveWaiters(nowMs)
    return true
  }

  /** Takes a waiter off both queues; with no deadline left to watch, the timer goes too. */
  private dequeue(waiter: Waiter): void {
    this.waiters.remove(waiter)
    this.deadlines.remove(waiter)
    if (this.deadlines.size === 0) this.disarm()
  }

  /**
   * Arms the deadline timer for `deadline`, `delayMs` from now, unless it is already armed for that deadline or
   * an earlier one. A timer left armed for a waiter that has since gone fires early and is armed again then.
   */
  private arm(deadline: number, delayMs: number): void {
    if (deadline >= this.armedDeadline) return
    if (this.deadlineTimer !== undefined) this.timer.clearTimeout(this.deadlineTimer)
    this.armedDeadline = deadline
    this.deadlineTimer = this.timer.setTimeout(this.onDeadline, delayMs)
  }

  private disarm(): void {
    if (this.deadlineTimer === undefined) return
    this.timer.clearTimeout(this.deadlineTimer)
    this.deadlineTimer = undefined
    this.armedDeadline = Number.POSITIVE_INFINITY
  }

  /** Removes a waiter's abort listener and records how long it waited. */
  private settle(waiter: Waiter, nowMs: number): void {
    waiter.signal?.removeEventListener('abort', waiter)
    this.waitTimeNsTotal += Math.max(0, Math.round((nowMs - waiter.startMs) * 1e6))
  }

  /** Moves free-list buffers back to unallocated memory until `size` bytes are unallocated or the list is empty. */
  private freeUp(size: number): void {
    while (this.free.length > 0 && this.nonPooledAvailableMemory < size) {
      this.free.pop()
      this.nonPooledAvailableMemory += this.poolableSize
    }
  }

  private exhaustedError(size: number, maxBlockMs: number): BufferExhaustedError {
    return new BufferExhaustedError({
      requestedBytes: size,
      maxBlockMs,
      totalMemory: this.totalMemory,
      availableMemory: this.availableMemory,
      poolableSize: this.poolableSize,
    })
  }

  private emit(event: BufferPoolEvent): void {
    if (this.changes.observed) this.changes.next(this.snapshot(event))
  }

  private snapshot(event: BufferPoolEvent): BufferPoolState {
    return {
      event,
      totalMemory: this.totalMemory,
      availableMemory: this.availableMemory,
      unallocatedMemory: this.nonPooledAvailableMemory,
      queued: this.waiters.length,
      closed: this.closed,
    }
  }
}
