// How waiting scales and stays exact: one deadline timer for any number of waiters, deadlines honoured in
// deadline order whatever the arrival order, removal from the middle of the line, and FIFO service after it.
// The cost assertions count calls on the injectable timer (a hand-stepped one), never wall time.
import { describe, expect, it } from 'vitest'
import { BufferExhaustedError } from './buffer-exhausted-error.js'
import { BufferPool } from './buffer-pool.js'
import { BufferPoolClosedError } from './buffer-pool-closed-error.js'
import { ManualTimer } from './manual-timer.test-helper.js'

/** Settles pending promise reactions. */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve))

function later(result: Uint8Array | Promise<Uint8Array>): Promise<Uint8Array> {
  if (!(result instanceof Promise)) throw new Error('expected the allocation to wait')
  return result
}

/** A pool of `slots` one-byte buffers, all handed out, so every further allocation waits. */
function exhaustedPool(slots: number, timer = new ManualTimer()) {
  const pool = new BufferPool({ totalMemory: slots, poolableSize: 1, timer })
  const held: Uint8Array[] = []
  for (let i = 0; i < slots; i++) held.push(pool.allocate(1, 0) as Uint8Array)
  return { pool, timer, held }
}

/** Records, per waiter label, how it ended and at which manual-timer time its promise settled. */
function outcomes(timer: ManualTimer) {
  const log: { label: string; atMs: number; outcome: 'served' | 'exhausted' | 'closed' | 'aborted' }[] = []
  const watch = (label: string, promise: Promise<Uint8Array>) =>
    promise.then(
      () => log.push({ label, atMs: timer.now(), outcome: 'served' }),
      (error: unknown) =>
        log.push({
          label,
          atMs: timer.now(),
          outcome: BufferExhaustedError.isInstance(error)
            ? 'exhausted'
            : BufferPoolClosedError.isInstance(error)
              ? 'closed'
              : 'aborted',
        }),
    )
  return { log, watch }
}

/** Steps the timer 1 ms at a time, letting promise reactions run after each step. */
async function stepTo(timer: ManualTimer, targetMs: number) {
  while (timer.now() < targetMs) {
    timer.advance(1)
    await tick()
  }
}

describe('BufferPool waiting at scale', () => {
  async function timeOutTogether(n: number) {
    const { pool, timer } = exhaustedPool(1)
    const waiters: Promise<unknown>[] = []
    for (let i = 0; i < n; i++) waiters.push(later(pool.allocate(1, 100)).catch((error: unknown) => error))
    expect(pool.queued).toBe(n)
    expect(timer.armed).toBe(1)
    timer.advance(100)
    const errors = await Promise.all(waiters)
    expect(errors.every((error) => BufferExhaustedError.isInstance(error))).toBe(true)
    expect(pool.queued).toBe(0)
    expect(timer.armed).toBe(0)
    expect(pool.metrics()['buffer-exhausted-total']).toBe(n)
    expect(pool.metrics()['bufferpool-wait-time-ns-total']).toBe(n * 100_000_000)
    return { setTimeout: timer.setTimeoutCalls, clearTimeout: timer.clearTimeoutCalls, now: timer.nowCalls }
  }

  it('times out 10,000 waiters together with one timer and one clock read per waiter', async () => {
    const small = await timeOutTogether(1000)
    const large = await timeOutTogether(10_000)
    // One timer armed for the shared deadline, whatever the number of waiters (was one per waiter).
    expect(large.setTimeout).toBe(1)
    expect(large.clearTimeout).toBeLessThanOrEqual(1)
    expect(large).toMatchObject({ setTimeout: small.setTimeout, clearTimeout: small.clearTimeout })
    // The clock is read once per arrival and once per timer firing: linear in the number of waiters.
    expect(large.now).toBeLessThanOrEqual(10_000 + 2)
    expect(large.now - 10_000).toBe(small.now - 1000)
  })

  it('serves 10,000 waiters in arrival order with one timer, disarmed once nobody waits', async () => {
    const { pool, timer, held } = exhaustedPool(1)
    const served: number[] = []
    const waiters = Array.from({ length: 10_000 }, (_, index) =>
      later(pool.allocate(1, 60_000)).then((buffer) => {
        served.push(index)
        return buffer
      }),
    )
    let buffer = held[0]!
    for (const waiter of waiters) {
      pool.deallocate(buffer)
      buffer = await waiter
    }
    expect(served).toEqual(waiters.map((_, index) => index))
    expect(timer.setTimeoutCalls).toBe(1)
    expect(timer.armed).toBe(0) // a served pool keeps no timer that would hold the process open
    expect(pool.queued).toBe(0)
  })
})

describe('BufferPool deadlines', () => {
  it('fails waiters with different maxBlockMs in deadline order, each exactly at its deadline', async () => {
    const { pool, timer } = exhaustedPool(1)
    const { log, watch } = outcomes(timer)
    // [label, arrival ms, maxBlockMs]: deadlines 50, 11, 32, 11, 45, 24 — out of arrival order, with a tie.
    const arrivals: [string, number, number][] = [
      ['a', 0, 50],
      ['b', 1, 10],
      ['c', 2, 30],
      ['d', 1, 10],
      ['e', 5, 40],
      ['f', 6, 18],
    ]
    for (const [label, atMs, maxBlockMs] of [...arrivals].sort((x, y) => x[1] - y[1])) {
      await stepTo(timer, atMs)
      watch(label, later(pool.allocate(1, maxBlockMs)))
    }
    await stepTo(timer, 60)
    expect(log).toEqual([
      { label: 'b', atMs: 11, outcome: 'exhausted' },
      { label: 'd', atMs: 11, outcome: 'exhausted' }, // same deadline as b, arrived after it
      { label: 'f', atMs: 24, outcome: 'exhausted' },
      { label: 'c', atMs: 32, outcome: 'exhausted' },
      { label: 'e', atMs: 45, outcome: 'exhausted' },
      { label: 'a', atMs: 50, outcome: 'exhausted' },
    ])
    expect(pool.metrics()['bufferpool-wait-time-ns-total']).toBe((50 + 10 + 30 + 10 + 40 + 18) * 1_000_000)
    // One timer at a time: armed for a (50), re-armed for b's earlier deadline, then once per later deadline.
    expect(timer.setTimeoutCalls).toBe(6)
    expect(timer.armed).toBe(0)
  })

  it('re-arms for a newcomer whose deadline is earlier than the armed one', () => {
    const { pool, timer } = exhaustedPool(1)
    later(pool.allocate(1, 1000)).catch(() => {})
    expect(timer.armedDelays).toEqual([1000])
    timer.advance(100)
    later(pool.allocate(1, 50)).catch(() => {})
    expect(timer.armedDelays).toEqual([50])
    later(pool.allocate(1, 500)).catch(() => {})
    expect(timer.armedDelays).toEqual([50]) // a later deadline waits for the earlier one to be handled
    expect(pool.queued).toBe(3)
  })

  it('never fails a waiter before its deadline when the timer fires early', async () => {
    // Node's timers count whole milliseconds and can fire up to ~1 ms before performance.now() says the delay
    // has passed; the pool's clock decides.
    const timer = new ManualTimer({ firesEarlyByMs: 0.5 })
    const { pool } = exhaustedPool(1, timer)
    const { log, watch } = outcomes(timer)
    watch('first', later(pool.allocate(1, 10)))
    timer.advance(9.75) // the timer fired at 9.5
    await tick()
    expect(log).toEqual([])
    expect(pool.queued).toBe(1)
    expect(timer.armed).toBe(1) // armed again for the rest of the wait
    timer.advance(0.25)
    await tick()
    expect(log).toEqual([{ label: 'first', atMs: 10, outcome: 'exhausted' }])
    expect(pool.metrics()['bufferpool-wait-time-ns-total']).toBe(10_000_000)
  })

  it('keeps the timer armed no later than the earliest deadline after the head is served', async () => {
    const { pool, timer, held } = exhaustedPool(1)
    const { log, watch } = outcomes(timer)
    watch('served', later(pool.allocate(1, 10)))
    watch('next', later(pool.allocate(1, 20)))
    pool.deallocate(held[0]!)
    await tick()
    // The timer may still point at the served waiter's deadline; when it fires it fails nobody early.
    await stepTo(timer, 19)
    expect(log).toEqual([{ label: 'served', atMs: 0, outcome: 'served' }])
    await stepTo(timer, 20)
    expect(log.at(-1)).toEqual({ label: 'next', atMs: 20, outcome: 'exhausted' })
    expect(timer.armed).toBe(0)
  })

  it('arms no timer for a waiter whose maxBlockMs exceeds what a timer can wait', async () => {
    const { pool, timer } = exhaustedPool(1)
    const { log, watch } = outcomes(timer)
    watch('forever', later(pool.allocate(1, 2 ** 31)))
    expect(timer.armed).toBe(0)
    watch('bounded', later(pool.allocate(1, 10)))
    expect(timer.armedDelays).toEqual([10])
    await stepTo(timer, 100)
    expect(log).toEqual([{ label: 'bounded', atMs: 10, outcome: 'exhausted' }])
    expect(pool.queued).toBe(1)
    expect(timer.armed).toBe(0)
    pool.close()
    await tick()
    expect(log.at(-1)).toMatchObject({ label: 'forever', outcome: 'closed' })
  })

  it('gives a waiter queued from a state$ subscriber during a timeout its own full deadline', async () => {
    const { pool, timer } = exhaustedPool(1)
    const { log, watch } = outcomes(timer)
    let queuedLate = false
    pool.state$.subscribe((state) => {
      if (state.event === 'exhausted' && !queuedLate) {
        queuedLate = true
        watch('late', later(pool.allocate(1, 5)))
      }
    })
    watch('first', later(pool.allocate(1, 10)))
    watch('second', later(pool.allocate(1, 10)))
    await stepTo(timer, 20)
    expect(log).toEqual([
      { label: 'first', atMs: 10, outcome: 'exhausted' },
      { label: 'second', atMs: 10, outcome: 'exhausted' },
      { label: 'late', atMs: 15, outcome: 'exhausted' },
    ])
    expect(timer.armed).toBe(0)
  })
})

describe('BufferPool removal from the middle of the line', () => {
  it('aborts a waiter in the middle and still serves the others in arrival order', async () => {
    const { pool, timer, held } = exhaustedPool(1)
    const { log, watch } = outcomes(timer)
    const middle = new AbortController()
    const promises = [0, 1, 2, 3, 4].map((index) =>
      later(pool.allocate(1, 1000, index === 2 ? middle.signal : undefined)),
    )
    for (const [index, promise] of promises.entries()) watch(`w${index}`, promise)
    const reason = new Error('cancelled')
    middle.abort(reason)
    await expect(promises[2]).rejects.toBe(reason)
    expect(log).toEqual([{ label: 'w2', atMs: 0, outcome: 'aborted' }])
    expect(pool.queued).toBe(4)

    // The one buffer goes round the line: each waiter returns it and the next oldest gets it.
    let buffer = held[0]!
    for (const index of [0, 1, 3, 4]) {
      pool.deallocate(buffer)
      buffer = await promises[index]!
    }
    expect(log.map((entry) => `${entry.label}:${entry.outcome}`)).toEqual([
      'w2:aborted',
      'w0:served',
      'w1:served',
      'w3:served',
      'w4:served',
    ])
    expect(pool.queued).toBe(0)
    expect(timer.armed).toBe(0)
  })

  it('serves the rest in arrival order after waiters leave from the head, middle and tail', async () => {
    const { pool, timer, held } = exhaustedPool(2)
    const { log, watch } = outcomes(timer)
    const signals = Array.from({ length: 8 }, () => new AbortController())
    const promises = signals.map((controller, index) =>
      later(pool.allocate(1, index === 4 ? 5 : 1000, controller.signal)),
    )
    for (const [index, promise] of promises.entries()) watch(`w${index}`, promise)
    signals[0]!.abort(new Error('head leaves'))
    signals[3]!.abort(new Error('middle leaves'))
    signals[7]!.abort(new Error('tail leaves'))
    await stepTo(timer, 5) // w4 times out in the middle of the line
    expect(log.map((entry) => `${entry.label}:${entry.outcome}`)).toEqual([
      'w0:aborted',
      'w3:aborted',
      'w7:aborted',
      'w4:exhausted',
    ])
    expect(pool.queued).toBe(4)

    // Hand the two buffers round: every remaining waiter gets one, oldest first.
    const served: Uint8Array[] = []
    for (const buffer of held) pool.deallocate(buffer)
    for (const index of [1, 2, 5, 6]) {
      served.push(await promises[index]!)
      if (served.length === 2) for (const buffer of served.splice(0)) pool.deallocate(buffer)
    }
    expect(log.slice(4).map((entry) => entry.label)).toEqual(['w1', 'w2', 'w5', 'w6'])
    expect(pool.queued).toBe(0)
    expect(timer.armed).toBe(0)
  })

  it('hands the reservation of an aborted head to the next waiter', async () => {
    const { pool, timer, held } = exhaustedPool(4)
    const { log, watch } = outcomes(timer)
    const head = new AbortController()
    watch('big', later(pool.allocate(3, 1000, head.signal)))
    watch('small', later(pool.allocate(2, 1000)))
    pool.deallocate(held[0]!)
    pool.deallocate(held[1]!) // 2 bytes reserved by the 3-byte head
    expect(pool.availableMemory).toBe(0)
    head.abort(new Error('gone'))
    await tick()
    expect(log.map((entry) => `${entry.label}:${entry.outcome}`).sort()).toEqual([
      'big:aborted',
      'small:served',
    ])
    expect(pool.availableMemory).toBe(0)
  })

  it('rejects every waiter on close in arrival order and leaves no timer armed', async () => {
    const { pool, timer } = exhaustedPool(1)
    const { log, watch } = outcomes(timer)
    for (let i = 0; i < 1000; i++) watch(`w${i}`, later(pool.allocate(1, i % 3 === 0 ? 50 : 100)))
    pool.close()
    await tick()
    expect(log.map((entry) => entry.label)).toEqual(Array.from({ length: 1000 }, (_, i) => `w${i}`))
    expect(log.every((entry) => entry.outcome === 'closed')).toBe(true)
    expect(timer.armed).toBe(0)
    expect(timer.setTimeoutCalls).toBe(1) // armed once, for the first (and earliest) deadline
  })
})
