// What `send()` returns: with a callback, a FutureRecordMetadata that behaves as a Promise<RecordMetadata> for
// every consumer of promises and makes no native promise until someone subscribes; without, a native promise,
// whose unhandled rejection Node reports. Driven through the send path against a real accumulator
// (send-path.test-helper.ts).
import { inspect } from 'node:util'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { RecordTooLargeError } from '../errors/record-too-large-error.js'
import type { RecordMetadata } from '../record/record-metadata.js'
import type { PendingRecord } from './pending-record.js'
import { harness } from './send-path.test-helper.js'

const record = { topic: 'orders', partition: 1, value: 'v' }
const noop = () => {}
const macrotask = () => new Promise((resolve) => setTimeout(resolve, 0))

/**
 * Runs with the process's `unhandledRejection` listeners (vitest's among them) replaced by a recorder, so a
 * test can assert what Node reports. Restored after each test.
 */
function recordUnhandledRejections(): { reasons: unknown[]; handled: Promise<unknown>[] } {
  const saved = process.listeners('unhandledRejection')
  const savedHandled = process.listeners('rejectionHandled')
  process.removeAllListeners('unhandledRejection')
  process.removeAllListeners('rejectionHandled')
  const seen = { reasons: [] as unknown[], handled: [] as Promise<unknown>[] }
  process.on('unhandledRejection', (reason) => seen.reasons.push(reason))
  process.on('rejectionHandled', (promise) => seen.handled.push(promise))
  restore = () => {
    process.removeAllListeners('unhandledRejection')
    process.removeAllListeners('rejectionHandled')
    for (const listener of saved) process.on('unhandledRejection', listener)
    for (const listener of savedHandled) process.on('rejectionHandled', listener)
  }
  return seen
}
let restore: (() => void) | undefined
afterEach(() => {
  restore?.()
  restore = undefined
})

describe('what send() returns', () => {
  it('is a native promise without a callback', async () => {
    const h = harness()
    const promise = h.sendPath.send(record, undefined)
    expect(promise).toBeInstanceOf(Promise)
    h.respond()
    expect((await promise).offset).toBe(0n)
  })

  it('is a FutureRecordMetadata with a callback: awaitable, resolving with the metadata, not a native promise', async () => {
    const h = harness()
    const future = h.sendPath.send(record, noop)
    expect(future instanceof Promise).toBe(false)
    expect(Object.prototype.toString.call(future)).toBe('[object FutureRecordMetadata]')
    expect(inspect(future)).toBe('FutureRecordMetadata { <pending> }')
    h.respond()
    const metadata = await future
    expect(metadata).toMatchObject({ topic: 'orders', partition: 1, offset: 0n, serializedValueSize: 1 })
    expect(inspect(future)).toBe('FutureRecordMetadata { orders-1@0 }')
  })

  it('works with then chaining, catch, finally and the Promise combinators', async () => {
    const h = harness()
    const futures = [0, 1, 2].map(() => h.sendPath.send(record, noop))
    const chained = futures[0]!.then((m) => m.offset + 10n).then((offset) => `offset ${offset}`)
    const caught = futures[1]!.catch(() => 'never')
    const onFinally = vi.fn()
    const finished = futures[2]!.finally(onFinally)
    h.respond()
    expect(await chained).toBe('offset 10')
    expect(((await caught) as RecordMetadata).offset).toBe(1n)
    expect((await finished).offset).toBe(2n)
    expect(onFinally).toHaveBeenCalledOnce()
    expect((await Promise.all(futures)).map((m) => m.offset)).toEqual([0n, 1n, 2n])
    expect((await Promise.allSettled(futures)).map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ])
    expect((await Promise.race(futures)).offset).toBe(0n)
    expect((await Promise.resolve(futures[1]!)).offset).toBe(1n)
  })

  it('gives a subscriber that comes after the outcome the metadata the callback got, the same each time', async () => {
    const h = harness()
    const seen: RecordMetadata[] = []
    const future = h.sendPath.send(record, (metadata) => seen.push(metadata))
    h.respond()
    expect(seen).toHaveLength(1)
    await macrotask()
    const first = await future
    // Built again from the batch (the batch kept no per-record object), as Java's future builds its own.
    expect(first).toEqual(seen[0])
    expect(await future).toBe(first)
  })

  it('calls the callback before any promise reaction, both exactly once', async () => {
    const h = harness()
    const order: string[] = []
    const callback = vi.fn(() => order.push('callback'))
    const future = h.sendPath.send(record, callback)
    future.then(() => order.push('then 1'))
    future.then(() => order.push('then 2'))
    h.respond()
    expect(order).toEqual(['callback'])
    await future
    expect(order).toEqual(['callback', 'then 1', 'then 2'])
    expect(callback).toHaveBeenCalledOnce()
  })

  it('rejects a subscriber, before or after the failure, with the error', async () => {
    const h = harness({ maxRequestSize: 100 })
    const callback = vi.fn()
    // Fails inside send(): the record can never be sent.
    const early = h.sendPath.send({ topic: 'orders', value: new Uint8Array(200) }, callback)
    await expect(early).rejects.toBeInstanceOf(RecordTooLargeError)
    const broker = h.sendPath.send(record, callback)
    const subscribed = expect(broker).rejects.toThrow('NOT_LEADER_OR_FOLLOWER')
    h.respond({ error: new Error('NOT_LEADER_OR_FOLLOWER') })
    await subscribed
    expect(callback).toHaveBeenCalledTimes(2)
    expect(h.recordErrors).toBe(2)
    expect(inspect(broker)).toBe('FutureRecordMetadata { <rejected> Error: NOT_LEADER_OR_FOLLOWER }')
  })

  it('leaves a failure without a callback that nobody handles to Node, as an unhandled rejection', async () => {
    const seen = recordUnhandledRejections()
    const h = harness()
    const failure = new Error('TOPIC_AUTHORIZATION_FAILED')
    const ignored = h.sendPath.send(record, undefined)
    h.respond({ error: failure })
    await macrotask()
    expect(seen.reasons).toEqual([failure])
    expect(h.recordErrors).toBe(1)
    // A subscriber that comes later still gets the error, and Node hears that it was handled after all.
    await expect(ignored).rejects.toBe(failure)
    await macrotask()
    expect(seen.handled).toHaveLength(1)
  })

  it('does not report a failure the callback was told about, and still rejects a late subscriber', async () => {
    const seen = recordUnhandledRejections()
    const h = harness()
    const callback = vi.fn()
    const future = h.sendPath.send(record, callback)
    h.respond({ error: new Error('NOT_ENOUGH_REPLICAS') })
    await macrotask()
    expect(callback).toHaveBeenCalledWith(expect.objectContaining({ partition: 1 }), expect.any(Error))
    expect(seen.reasons).toEqual([])
    await expect(future).rejects.toThrow('NOT_ENOUGH_REPLICAS')
    await macrotask()
    expect(seen.reasons).toEqual([])
  })

  it('does not report a failure a subscriber handles', async () => {
    const seen = recordUnhandledRejections()
    const h = harness()
    const handled = h.sendPath.send(record, noop).catch((error: Error) => error.message)
    h.respond({ error: new Error('REQUEST_TIMED_OUT') })
    expect(await handled).toBe('REQUEST_TIMED_OUT')
    await macrotask()
    expect(seen.reasons).toEqual([])
  })

  it('settles once: an outcome after the first is ignored', async () => {
    const h = harness()
    const callback = vi.fn()
    const future = h.sendPath.send(record, callback)
    const [batch] = h.respond()
    const completion = future as unknown as PendingRecord
    completion.fail('orders', 1, new Error('late'))
    completion.onCompletion(batch!, 0, new Error('late too'))
    expect((await future).offset).toBe(0n)
    expect(callback).toHaveBeenCalledOnce()
    expect(h.recordErrors).toBe(0)
  })
})
