// `send(record, callback)` without interceptors: once the record is appended, its batch holds one
// CallbackCompletion shared by the records sent with that callback, not the FutureRecordMetadata `send()`
// returned (SendCompletion.detach), so a dropped future dies young. Each record must still get its own
// metadata, and a future subscribed later must still find its record: pending (after a split or after a
// cancelled neighbour was taken out) or done (success, per-record error).
import type { ProducerBatch } from '@x/accumulator'
import { describe, expect, it, vi } from 'vitest'
import type { RecordMetadata } from '../record/record-metadata.js'
import { harness } from './send-path.test-helper.js'

const TS = 1_700_000_000_000

function onlyBatch(h: ReturnType<typeof harness>, partition = 1): ProducerBatch {
  const batches = h.accumulator.batchesFor('orders', partition)
  expect(batches).toHaveLength(1)
  return batches[0]!
}

describe('a send with a callback, once appended', () => {
  it('is not kept by its batch, whose callbacks still get each record its own metadata', () => {
    const h = harness()
    const seen: RecordMetadata[] = []
    const callback = (metadata: RecordMetadata) => seen.push(metadata)
    const other = vi.fn()
    const futures = [
      h.sendPath.send({ topic: 'orders', partition: 1, value: 'a', timestamp: TS }, callback),
      h.sendPath.send(
        { topic: 'orders', partition: 1, key: 'kk', value: 'bbb', timestamp: TS + 1 },
        callback,
      ),
      h.sendPath.send({ topic: 'orders', partition: 1, value: null, timestamp: TS + 2 }, other),
    ]
    const batch = onlyBatch(h)
    for (const future of futures) expect(batch.holds(future as never)).toBe(false)
    h.respond()
    expect(seen.map((m) => [m.offset, m.timestamp, m.serializedKeySize, m.serializedValueSize])).toEqual([
      [0n, TS, -1, 1],
      [1n, TS + 1, 2, 3],
    ])
    expect(other).toHaveBeenCalledOnce()
    expect(other.mock.calls[0]![0]).toMatchObject({ offset: 2n, timestamp: TS + 2, serializedValueSize: -1 })
  })

  it('is let go by its batch also after waiting for memory', async () => {
    const h = harness({ bufferMemory: 2048, batchSize: 1024 })
    const callback = vi.fn()
    h.sendPath.send({ topic: 'orders', partition: 0, value: 'a' }, callback)
    h.sendPath.send({ topic: 'orders', partition: 1, value: 'b' }, callback)
    const waited = [
      h.sendPath.send({ topic: 'orders', partition: 2, value: 'c' }, callback),
      h.sendPath.send({ topic: 'orders', partition: 1, value: 'd' }, callback),
    ]
    expect(h.sendPath.blockedSends).toBe(2)
    h.respond() // frees both buffers
    await h.sendPath.backPressure()
    const p2 = onlyBatch(h, 2)
    const p1 = onlyBatch(h, 1)
    expect(p2.holds(waited[0] as never) || p1.holds(waited[1] as never)).toBe(false)
    expect(p1.recordCount).toBe(1)
    h.respond()
    expect(callback).toHaveBeenCalledTimes(4)
    expect((await waited[1]!).partition).toBe(1)
  })

  it('stays in its batch when interceptors need its headers', () => {
    const h = harness({}, undefined, [{ onSend: (record) => record }])
    const future = h.sendPath.send({ topic: 'orders', partition: 1, value: 'a' }, () => {})
    expect(onlyBatch(h).holds(future as never)).toBe(true)
  })

  it('settles a future subscribed while pending, after the callback, once each', async () => {
    const h = harness()
    const order: string[] = []
    const future = h.sendPath.send({ topic: 'orders', partition: 1, value: 'a' }, () =>
      order.push('callback'),
    )
    expect(onlyBatch(h).holds(future as never)).toBe(false)
    await Promise.resolve() // a tick later, as a caller's `await` would subscribe
    const subscribed = future.then((metadata) => order.push(`then ${metadata.offset}`))
    expect(onlyBatch(h).holds(future as never)).toBe(true)
    h.respond()
    await subscribed
    expect(order).toEqual(['callback', 'then 0'])
  })

  it('finds its record in the batch a split moved it to, subscribed before or after the outcome', async () => {
    const h = harness({ batchSize: 1024 })
    const callback = vi.fn()
    const futures = Array.from({ length: 8 }, (_, i) =>
      h.sendPath.send({ topic: 'orders', partition: 1, value: new Uint8Array(100).fill(i) }, callback),
    )
    const [big] = h.accumulator.drain(h.metadata.cluster, new Set([2]), 1 << 20, Date.now()).get(2)!
    big!.close()
    // The broker refused it as too large: split in halves and re-enqueued, as the sender does.
    expect(h.accumulator.splitAndReenqueue(big!)).toBe(2)
    h.accumulator.deallocate(big!)
    const early = futures[5]!.then((metadata) => metadata.offset)
    expect(h.respond()).toHaveLength(1) // one batch per partition per drain
    expect(h.respond()).toHaveLength(1)
    expect(await early).toBe(5n)
    expect((await futures[2]!).offset).toBe(2n)
    expect((await futures[7]!).offset).toBe(7n)
    expect(callback.mock.calls.map(([metadata]) => (metadata as RecordMetadata).offset)).toEqual([
      0n,
      1n,
      2n,
      3n,
      4n,
      5n,
      6n,
      7n,
    ])
  })

  it('finds its record after a cancelled send before it in the batch was taken out', async () => {
    const h = harness()
    const callback = vi.fn()
    const first = h.sendPath.send({ topic: 'orders', partition: 1, value: 'a' }, callback)
    const controller = new AbortController()
    const cancelled = h.sendPath.sendCancellable(
      { topic: 'orders', partition: 1, value: 'b' },
      undefined,
      controller.signal,
    )
    const last = h.sendPath.send({ topic: 'orders', partition: 1, value: 'ccc' }, callback)
    controller.abort()
    await expect(cancelled).rejects.toThrow()
    expect(onlyBatch(h).recordCount).toBe(2)
    const subscribed = last.then((metadata) => metadata)
    h.respond()
    expect(await subscribed).toMatchObject({ offset: 1n, serializedValueSize: 3 })
    expect((await first).offset).toBe(0n)
    expect(callback).toHaveBeenCalledTimes(2)
  })

  it("gives a late subscriber its record's own error from a failed batch", async () => {
    const h = harness()
    const callback = vi.fn()
    const futures = [0, 1, 2].map(() =>
      h.sendPath.send({ topic: 'orders', partition: 1, value: 'a' }, callback),
    )
    const [batch] = h.accumulator.drain(h.metadata.cluster, new Set([2]), 1 << 20, Date.now()).get(2)!
    batch!.close()
    const top = new Error('INVALID_RECORD')
    const own = new Error('record 1: bad timestamp')
    batch!.completeExceptionally(top, (index) => (index === 1 ? own : undefined))
    expect(callback.mock.calls.map(([, error]) => error)).toEqual([top, own, top])
    expect(h.recordErrors).toBe(3)
    await expect(futures[1]).rejects.toBe(own)
    await expect(futures[2]).rejects.toBe(top)
    expect(h.recordErrors).toBe(3)
  })
})
