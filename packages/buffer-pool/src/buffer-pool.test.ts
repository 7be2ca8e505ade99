// Scenarios follow Java's BufferPoolTest (apache/kafka clients/src/test/.../producer/internals/BufferPoolTest.java),
// with threads replaced by promises and the clock by a hand-stepped timer.
import { describe, expect, it } from 'vitest'
import { AllocationTooLargeError } from './allocation-too-large-error.js'
import { BufferExhaustedError } from './buffer-exhausted-error.js'
import { BufferPool } from './buffer-pool.js'
import { BufferPoolClosedError } from './buffer-pool-closed-error.js'
import type { BufferPoolState } from './buffer-pool-state.js'
import { ManualTimer } from './manual-timer.test-helper.js'

function pool(totalMemory: number, poolableSize: number, timer = new ManualTimer()) {
  return { pool: new BufferPool({ totalMemory, poolableSize, timer }), timer }
}

/** Narrows a synchronous allocation; fails the test if the pool returned a promise. */
function now(result: Uint8Array | Promise<Uint8Array>): Uint8Array {
  if (result instanceof Promise) throw new Error('expected the allocation to be served at once')
  return result
}

/** Narrows a waiting allocation; fails the test if the pool served it at once. */
function later(result: Uint8Array | Promise<Uint8Array>): Promise<Uint8Array> {
  if (!(result instanceof Promise)) throw new Error('expected the allocation to wait')
  return result
}

/** Settles pending promise reactions. */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve))

function track<T>(promise: Promise<T>) {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false }
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  )
  return state
}

describe('BufferPool', () => {
  it('serves memory at once, recycles poolable buffers and returns other sizes to unallocated memory', () => {
    const totalMemory = 64 * 1024
    const size = 1024
    const { pool: bufferPool } = pool(totalMemory, size)

    let buffer = now(bufferPool.allocate(size, 10))
    expect(buffer.byteLength).toBe(size)
    expect(bufferPool.unallocatedMemory).toBe(totalMemory - size)
    expect(bufferPool.availableMemory).toBe(totalMemory - size)

    bufferPool.deallocate(buffer)
    expect(bufferPool.availableMemory).toBe(totalMemory)
    expect(bufferPool.unallocatedMemory).toBe(totalMemory - size) // now on the free list

    const recycled = now(bufferPool.allocate(size, 10))
    expect(recycled).toBe(buffer)
    bufferPool.deallocate(recycled)
    expect(bufferPool.availableMemory).toBe(totalMemory)
    expect(bufferPool.unallocatedMemory).toBe(totalMemory - size) // still a single buffer on the free list

    buffer = now(bufferPool.allocate(2 * size, 10))
    bufferPool.deallocate(buffer)
    expect(bufferPool.availableMemory).toBe(totalMemory)
    expect(bufferPool.unallocatedMemory).toBe(totalMemory - size) // a non-poolable size skips the free list
  })

  it('fails at once when asked for more memory than the whole pool', () => {
    const { pool: bufferPool } = pool(1024, 512)
    const buffer = now(bufferPool.allocate(1024, 10))
    expect(buffer.byteLength).toBe(1024)
    bufferPool.deallocate(buffer)
    expect(() => bufferPool.allocate(1025, 10)).toThrow(AllocationTooLargeError)
    try {
      bufferPool.allocate(1025, 10)
    } catch (error) {
      expect(AllocationTooLargeError.isInstance(error)).toBe(true)
      expect((error as Error).message).toContain('buffer.memory')
    }
  })

  it('rejects sizes and deadlines that are not numbers of bytes or milliseconds', () => {
    const { pool: bufferPool } = pool(1024, 512)
    expect(() => bufferPool.allocate(-1, 10)).toThrow(/size must be a non-negative integer/)
    expect(() => bufferPool.allocate(1.5, 10)).toThrow(/size must be a non-negative integer/)
    expect(() => bufferPool.allocate(1, Number.NaN)).toThrow(/max\.block\.ms/)
    expect(() => new BufferPool({ totalMemory: 0, poolableSize: 1 })).toThrow(/buffer\.memory/)
    expect(() => new BufferPool({ totalMemory: 10, poolableSize: 0 })).toThrow(/batch\.size/)
  })

  it('makes a caller wait until memory is deallocated', async () => {
    const { pool: bufferPool } = pool(5 * 1024, 1024)
    const buffer = now(bufferPool.allocate(1024, 10))
    const allocation = track(later(bufferPool.allocate(5 * 1024, 10)))
    await tick()
    expect(allocation.settled).toBe(false)
    expect(bufferPool.queued).toBe(1)

    bufferPool.deallocate(buffer)
    await tick()
    expect(allocation.value?.byteLength).toBe(5 * 1024)
    expect(bufferPool.queued).toBe(0)
    expect(bufferPool.availableMemory).toBe(0)
  })

  it('fails with BufferExhaustedError once maxBlockMs has passed, not before', async () => {
    const { pool: bufferPool, timer } = pool(2, 1)
    now(bufferPool.allocate(1, 10))
    const allocation = track(later(bufferPool.allocate(2, 10)))

    timer.advance(9)
    await tick()
    expect(allocation.settled).toBe(false)

    timer.advance(1)
    await tick()
    expect(allocation.error).toBeInstanceOf(BufferExhaustedError)
    const error = allocation.error as BufferExhaustedError
    expect(error.retriable).toBe(true)
    expect(error.code).toBe('BUFFER_EXHAUSTED')
    expect(error.message).toContain('max.block.ms')
    expect(error.message).toContain('Available memory: 1 bytes')
    expect(bufferPool.metrics()['buffer-exhausted-total']).toBe(1)
    expect(bufferPool.metrics()['bufferpool-wait-time-ns-total']).toBe(10_000_000)
  })

  it('fails at once, without a promise, when it would have to wait and maxBlockMs is 0', () => {
    const { pool: bufferPool } = pool(2, 1)
    now(bufferPool.allocate(1, 0))
    expect(() => bufferPool.allocate(2, 0)).toThrow(BufferExhaustedError)
    expect(bufferPool.queued).toBe(0)
    expect(bufferPool.metrics()['buffer-exhausted-total']).toBe(1)
  })

  it('times out with the real Node timer soon after maxBlockMs', async () => {
    const bufferPool = new BufferPool({ totalMemory: 2, poolableSize: 1 })
    now(bufferPool.allocate(1, 10))
    await expect(bufferPool.allocate(2, 10)).rejects.toBeInstanceOf(BufferExhaustedError)
    expect(bufferPool.queued).toBe(0)
  })

  it('removes a timed-out waiter and gives back the memory it had reserved', async () => {
    const { pool: bufferPool, timer } = pool(2, 1)
    now(bufferPool.allocate(1, 10))
    const allocation = track(later(bufferPool.allocate(2, 10)))
    // The waiter holds the one free byte while it waits.
    expect(bufferPool.availableMemory).toBe(0)
    timer.advance(10)
    await tick()
    expect(allocation.error).toBeInstanceOf(BufferExhaustedError)
    expect(bufferPool.queued).toBe(0)
    expect(bufferPool.availableMemory).toBe(1)
    expect(timer.armed).toBe(0)
  })

  it('removes an aborted waiter, rejects it with the signal reason and returns its reservation', async () => {
    const { pool: bufferPool, timer } = pool(2, 1)
    now(bufferPool.allocate(1, 5000))
    const first = new AbortController()
    const second = new AbortController()
    const firstWaiter = track(later(bufferPool.allocate(2, 5000, first.signal)))
    const secondWaiter = track(later(bufferPool.allocate(2, 5000, second.signal)))
    expect(bufferPool.queued).toBe(2)

    const reason = new Error('send cancelled')
    first.abort(reason)
    second.abort(reason)
    await tick()
    expect(firstWaiter.error).toBe(reason)
    expect(secondWaiter.error).toBe(reason)
    expect(bufferPool.queued).toBe(0)
    expect(bufferPool.availableMemory).toBe(1)
    expect(timer.armed).toBe(0)
    expect(() => bufferPool.allocate(1, 10, first.signal)).toThrow(reason)
  })

  it('hands freed memory to the oldest waiter first, even when a younger one needs less', async () => {
    const { pool: bufferPool } = pool(4, 1)
    const held = [0, 1, 2, 3].map(() => now(bufferPool.allocate(1, 1000)))
    const big = track(later(bufferPool.allocate(3, 1000)))
    const small = track(later(bufferPool.allocate(1, 1000)))

    bufferPool.deallocate(held[0]!)
    bufferPool.deallocate(held[1]!)
    await tick()
    // Two bytes are free but reserved for the 3-byte waiter; the 1-byte waiter behind it must not take them.
    expect(big.settled).toBe(false)
    expect(small.settled).toBe(false)
    expect(bufferPool.availableMemory).toBe(0)

    bufferPool.deallocate(held[2]!)
    await tick()
    expect(big.value?.byteLength).toBe(3)
    expect(small.settled).toBe(false)

    bufferPool.deallocate(held[3]!)
    await tick()
    expect(small.value?.byteLength).toBe(1)
  })

  it('queues a newcomer behind existing waiters even when a little memory is free', async () => {
    const { pool: bufferPool } = pool(10, 5)
    const a = now(bufferPool.allocate(5, 1000))
    now(bufferPool.allocate(4, 1000)) // 1 byte left
    const waiting = track(later(bufferPool.allocate(5, 1000)))
    // 1 byte is reserved by the waiter, so even a 1-byte request must queue.
    const newcomer = track(later(bufferPool.allocate(1, 1000)))
    expect(bufferPool.queued).toBe(2)

    bufferPool.deallocate(a)
    await tick()
    // The older waiter completes its 5 bytes first (1 reserved + 4 of the 5 freed); the last byte goes next.
    expect(waiting.value?.byteLength).toBe(5)
    expect(newcomer.value?.byteLength).toBe(1)
    expect(bufferPool.availableMemory).toBe(0)
  })

  it('serves waiters in arrival order as poolable buffers come back', async () => {
    const { pool: bufferPool } = pool(3, 1)
    const held = [0, 1, 2].map(() => now(bufferPool.allocate(1, 1000)))
    const order: number[] = []
    const waiters = [0, 1, 2, 3, 4].map((index) =>
      later(bufferPool.allocate(1, 1000)).then((buffer) => {
        order.push(index)
        return buffer
      }),
    )
    for (const buffer of held) bufferPool.deallocate(buffer)
    await tick()
    expect(order).toEqual([0, 1, 2])
    for (const buffer of await Promise.all(waiters.slice(0, 2))) bufferPool.deallocate(buffer)
    await tick()
    expect(order).toEqual([0, 1, 2, 3, 4])
  })

  it('never hands out more than its total memory under a random load of allocations and deallocations', async () => {
    const totalMemory = 5 * 1024
    const poolableSize = 1024
    const { pool: bufferPool, timer } = pool(totalMemory, poolableSize)
    let seed = 42
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed / 0x80000000
    }
    const held = new Set<Uint8Array>()
    const outstandingBytes = () => [...held].reduce((sum, buffer) => sum + buffer.byteLength, 0)
    let served = 0
    let failed = 0
    const pending: Promise<void>[] = []

    for (let i = 0; i < 2000; i++) {
      const size = random() < 0.5 ? poolableSize : Math.floor(random() * totalMemory)
      const result = bufferPool.allocate(size, 20)
      if (result instanceof Promise) {
        pending.push(
          result.then(
            (buffer) => {
              held.add(buffer)
              served++
            },
            (error: unknown) => {
              expect(error).toBeInstanceOf(BufferExhaustedError)
              failed++
            },
          ),
        )
      } else {
        held.add(result)
        served++
      }
      expect(outstandingBytes()).toBeLessThanOrEqual(totalMemory)
      expect(outstandingBytes() + bufferPool.availableMemory).toBeLessThanOrEqual(totalMemory)
      if (random() < 0.6 && held.size > 0) {
        const victim = [...held][Math.floor(random() * held.size)]!
        held.delete(victim)
        bufferPool.deallocate(victim)
      }
      if (i % 50 === 0) timer.advance(5)
      await tick()
    }
    timer.advance(100)
    await Promise.all(pending)
    for (const buffer of held) bufferPool.deallocate(buffer)
    expect(served + failed).toBe(2000)
    expect(served).toBeGreaterThan(1000)
    expect(bufferPool.queued).toBe(0)
    expect(bufferPool.availableMemory).toBe(totalMemory)
  })

  it('refuses allocations after close but still accepts deallocations', () => {
    const { pool: bufferPool } = pool(10, 1)
    const buffer = now(bufferPool.allocate(1, 10))
    bufferPool.close()
    expect(() => bufferPool.allocate(1, 10)).toThrow(BufferPoolClosedError)
    bufferPool.deallocate(buffer)
    expect(bufferPool.availableMemory).toBe(10)
  })

  it('rejects every waiter with BufferPoolClosedError on close and returns their reservations', async () => {
    const { pool: bufferPool, timer } = pool(2, 1)
    const buffer = now(bufferPool.allocate(1, Number.MAX_SAFE_INTEGER))
    const waiters = [
      track(later(bufferPool.allocate(2, Number.MAX_SAFE_INTEGER))),
      track(later(bufferPool.allocate(1, Number.MAX_SAFE_INTEGER))),
    ]
    expect(bufferPool.queued).toBe(2)
    bufferPool.close()
    await tick()
    for (const waiter of waiters) {
      expect(waiter.error).toBeInstanceOf(BufferPoolClosedError)
      expect((waiter.error as BufferPoolClosedError).message).toContain('Producer closed while waiting')
    }
    expect(bufferPool.queued).toBe(0)
    expect(timer.armed).toBe(0)
    bufferPool.deallocate(buffer)
    expect(bufferPool.availableMemory).toBe(2)
  })

  it('refuses a buffer returned twice or never handed out', () => {
    const { pool: bufferPool } = pool(10, 4)
    const buffer = now(bufferPool.allocate(4, 10))
    bufferPool.deallocate(buffer)
    expect(() => bufferPool.deallocate(buffer)).toThrow(/not outstanding/)
    expect(() => bufferPool.deallocate(new Uint8Array(4))).toThrow(/not outstanding/)
    expect(bufferPool.availableMemory).toBe(10)
  })

  it('reports the Java metric names', async () => {
    const { pool: bufferPool, timer } = pool(2, 1)
    now(bufferPool.allocate(2, 10))
    const waiting = later(bufferPool.allocate(1, 10))
    expect(bufferPool.metrics()).toEqual({
      'buffer-total-bytes': 2,
      'buffer-available-bytes': 0,
      'waiting-threads': 1,
      'bufferpool-wait-time-ns-total': 0,
      'buffer-exhausted-total': 0,
    })
    timer.advance(10)
    await expect(waiting).rejects.toBeInstanceOf(BufferExhaustedError)
    expect(bufferPool.metrics()['waiting-threads']).toBe(0)
    expect(bufferPool.metrics()['buffer-exhausted-total']).toBe(1)
    expect(bufferPool.metrics()['bufferpool-wait-time-ns-total']).toBe(10_000_000)
  })

  it('streams its state: the current one on subscription, then one emission per memory movement', async () => {
    const { pool: bufferPool, timer } = pool(2, 1)
    const states: BufferPoolState[] = []
    const subscription = bufferPool.state$.subscribe((state) => states.push(state))
    const buffer = now(bufferPool.allocate(2, 10))
    const waiting = later(bufferPool.allocate(1, 10))
    timer.advance(10)
    await expect(waiting).rejects.toBeInstanceOf(BufferExhaustedError)
    bufferPool.deallocate(buffer)
    bufferPool.close()
    subscription.unsubscribe()

    expect(states.map((state) => [state.event, state.availableMemory, state.queued])).toEqual([
      ['subscribed', 2, 0],
      ['allocated', 0, 0],
      ['waiting', 0, 1],
      ['exhausted', 0, 0],
      ['deallocated', 2, 0],
      ['closed', 2, 0],
    ])
  })
})
