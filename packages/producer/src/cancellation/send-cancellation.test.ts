// Per-send cancellation on the send path: a real RecordAccumulator and BufferPool, a fake metadata and a
// hand-driven "broker" (send/send-path.test-helper.ts), so each stage a record can be cancelled in is reached
// deterministically. Byte-level checks decode the batches the "broker" receives (RecordBatch v2).
import { getEventListeners } from 'node:events'
import { StaticClusterView } from '@x/partitioners'
import { describe, expect, it, vi } from 'vitest'
import type { ProducerInterceptor } from '../interceptors/producer-interceptor.js'
import type { RecordMetadata } from '../record/record-metadata.js'
import { harness } from '../send/send-path.test-helper.js'
import { MaybeWrittenError } from './maybe-written-error.js'
import { NotWrittenError } from './not-written-error.js'

const text = (bytes: Uint8Array | null) => (bytes === null ? null : new TextDecoder().decode(bytes))

function drainedValues(batches: { records(): Uint8Array }[], decode: (b: Uint8Array) => string[]): string[] {
  return batches.flatMap((batch) => decode(batch.records()))
}

describe('send(record, { signal })', () => {
  it('fails at once with NotWrittenError for an already aborted signal, appending nothing', async () => {
    const h = harness()
    const callback = vi.fn()
    const reason = new Error('user gave up')
    const future = h.sendPath.sendCancellable(
      { topic: 'orders', partition: 0, value: 'v' },
      callback,
      AbortSignal.abort(reason),
    )
    expect(callback).toHaveBeenCalledTimes(1)
    const error = await future.then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(NotWrittenError.isInstance(error)).toBe(true)
    expect((error as NotWrittenError).persisted).toBe('no')
    expect((error as Error).cause).toBe(reason)
    expect(h.accumulator.batchesFor('orders', 0)).toEqual([])
  })

  it('takes a record out of its open batch, rewriting the batch so the others keep consecutive offsets', async () => {
    const h = harness({ lingerMs: 1000 })
    const controller = new AbortController()
    const first = h.sendPath.send({ topic: 'orders', partition: 0, value: 'a' }, undefined)
    const cancelled = h.sendPath.sendCancellable(
      { topic: 'orders', partition: 0, value: 'b' },
      undefined,
      controller.signal,
    )
    const third = h.sendPath.send({ topic: 'orders', partition: 0, value: 'c' }, undefined)
    const [batch] = h.accumulator.batchesFor('orders', 0)
    const sizeWithB = batch!.estimatedSizeInBytes
    controller.abort()
    await expect(cancelled).rejects.toBeInstanceOf(NotWrittenError)
    expect(batch!.recordCount).toBe(2)
    expect(batch!.estimatedSizeInBytes).toBeLessThan(sizeWithB)
    const done = h.respond()
    const { decodeRecordBatches } = await import('@x/protocol')
    const values = drainedValues(done, (bytes) =>
      decodeRecordBatches(bytes)[0]!.records.map((record) => text(record.value)!),
    )
    expect(values).toEqual(['a', 'c'])
    expect(decodeRecordBatches(done[0]!.records())[0]!.records.map((r) => r.offsetDelta)).toEqual([0, 1])
    expect((await first).offset).toBe(0n)
    expect((await third).offset).toBe(1n)
  })

  it('rebuilds a compressed (gzip) open batch without the cancelled record', async () => {
    const h = harness({ lingerMs: 1000, compressionType: 'gzip' })
    const controllers = [0, 1, 2, 3].map(() => new AbortController())
    const sent = controllers.map((controller, i) =>
      h.sendPath.sendCancellable(
        {
          topic: 'orders',
          partition: 3,
          key: `k${i}`,
          value: `value-${i}`.repeat(20),
          headers: { n: `${i}` },
        },
        undefined,
        controller.signal,
      ),
    )
    controllers[0]!.abort()
    controllers[2]!.abort()
    await expect(sent[0]).rejects.toBeInstanceOf(NotWrittenError)
    await expect(sent[2]).rejects.toBeInstanceOf(NotWrittenError)
    const done = h.respond()
    const { decodeRecordBatches } = await import('@x/protocol')
    const [decoded] = decodeRecordBatches(done[0]!.records())
    expect(decoded!.records.map((r) => [text(r.key), text(r.value), text(r.headers[0]!.value)])).toEqual([
      ['k1', 'value-1'.repeat(20), '1'],
      ['k3', 'value-3'.repeat(20), '3'],
    ])
    expect([(await sent[1]!).offset, (await sent[3]!).offset]).toEqual([0n, 1n])
  })

  it('returns the memory of a batch left empty and drops the batch from its queue', async () => {
    const h = harness({ lingerMs: 1000, batchSize: 1024, bufferMemory: 4096 })
    const pool = (h.accumulator as unknown as { pool: { availableMemory: number } }).pool
    const before = pool.availableMemory
    const controller = new AbortController()
    const cancelled = h.sendPath.sendCancellable(
      { topic: 'orders', partition: 0, value: 'only' },
      undefined,
      controller.signal,
    )
    expect(pool.availableMemory).toBe(before - 1024)
    controller.abort()
    await expect(cancelled).rejects.toBeInstanceOf(NotWrittenError)
    expect(pool.availableMemory).toBe(before)
    expect(h.accumulator.batchesFor('orders', 0)).toEqual([])
    expect(h.accumulator.hasIncomplete()).toBe(false)
    // flush() has nothing to wait for.
    await h.accumulator.flush()
  })

  it('drops a send still waiting for metadata, which never appends once the topic appears', async () => {
    const h = harness({}, new StaticClusterView([]))
    const controller = new AbortController()
    const cancelled = h.sendPath.sendCancellable(
      { topic: 'orders', value: 'v' },
      undefined,
      controller.signal,
    )
    controller.abort()
    await expect(cancelled).rejects.toBeInstanceOf(NotWrittenError)
    h.metadata.publish(StaticClusterView.of('orders', 4, [1, 2]))
    await h.sendPath.backPressure()
    for (let p = 0; p < 4; p++) expect(h.accumulator.batchesFor('orders', p)).toEqual([])
  })

  it('drops a send still waiting for memory: nothing is appended and the pool ends whole', async () => {
    const h = harness({ lingerMs: 1000, batchSize: 1024, bufferMemory: 1024, maxBlockMs: 5000 })
    const pool = (h.accumulator as unknown as { pool: { availableMemory: number } }).pool
    const first = h.sendPath.send({ topic: 'orders', partition: 0, value: 'x'.repeat(900) }, undefined)
    const controller = new AbortController()
    const waiting = h.sendPath.sendCancellable(
      { topic: 'orders', partition: 1, value: 'y'.repeat(900) },
      undefined,
      controller.signal,
    )
    expect(h.sendPath.blockedSends).toBe(1)
    controller.abort()
    await expect(waiting).rejects.toBeInstanceOf(NotWrittenError)
    h.respond() // frees the first batch's memory; the cancelled append no longer waits for it
    await first
    await h.sendPath.backPressure()
    expect(h.accumulator.batchesFor('orders', 1)).toEqual([])
    expect(pool.availableMemory).toBe(1024)
  })

  it('a cancelled wait for memory leaves the pool queue at once, so the sends behind it are served first', async () => {
    const h = harness({ lingerMs: 1000, batchSize: 1024, bufferMemory: 1024, maxBlockMs: 5000 })
    const pool = (h.accumulator as unknown as { pool: { queued: number } }).pool
    const first = h.sendPath.send({ topic: 'orders', partition: 0, value: 'x'.repeat(900) }, undefined)
    const controller = new AbortController()
    const cancelled = h.sendPath.sendCancellable(
      { topic: 'orders', partition: 1, value: 'y'.repeat(900) },
      undefined,
      controller.signal,
    )
    const behind = h.sendPath.send({ topic: 'orders', partition: 2, value: 'z'.repeat(900) }, undefined)
    await Promise.resolve()
    expect(pool.queued).toBe(1) // the cancellable send waits in the pool; the other queues behind it
    controller.abort()
    await expect(cancelled).rejects.toBeInstanceOf(NotWrittenError)
    await new Promise((resolve) => setImmediate(resolve))
    // Before any memory freed up: only the send behind is still waiting, now in the pool itself.
    expect((h.accumulator as unknown as { pendingAppends: number }).pendingAppends).toBe(1)
    expect(pool.queued).toBe(1)
    h.respond()
    await first
    await h.sendPath.backPressure()
    expect(h.accumulator.batchesFor('orders', 1)).toEqual([])
    expect(h.accumulator.batchesFor('orders', 2)).toHaveLength(1)
    h.respond()
    expect((await behind).offset).toBe(1n)
  })

  it('after its batch was drained: MaybeWrittenError for the caller, the real outcome for interceptors and metrics', async () => {
    const acknowledged: [RecordMetadata, Error | undefined][] = []
    const interceptor: ProducerInterceptor<Uint8Array | string, Uint8Array | string> = {
      onSend: (record) => record,
      onAcknowledgement: (metadata, error) => acknowledged.push([metadata, error]),
    }
    const h = harness({ lingerMs: 0 }, StaticClusterView.of('orders', 4, [1, 2]), [interceptor])
    const controller = new AbortController()
    const callback = vi.fn()
    const future = h.sendPath.sendCancellable(
      { topic: 'orders', partition: 2, value: 'v' },
      callback,
      controller.signal,
    )
    // Drain (the batch goes "on the wire") but hold the response.
    const now = Date.now() + 1_000_000
    const view = h.metadata.cluster
    const drained = [
      ...h.accumulator.drain(view, h.accumulator.ready(view, now).readyNodes, 1 << 20, now).values(),
    ].flat()
    expect(drained).toHaveLength(1)
    controller.abort()
    expect(callback).toHaveBeenCalledTimes(1)
    const error = callback.mock.calls[0]![1] as MaybeWrittenError
    expect(MaybeWrittenError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ persisted: 'maybe', topic: 'orders', partition: 2 })
    await expect(future).rejects.toBe(error)
    expect(acknowledged).toEqual([])
    // The batch is not cut short: it still completes, and only interceptors hear of it.
    expect(drained[0]!.recordCount).toBe(1)
    drained[0]!.complete(7n, -1)
    expect(acknowledged).toHaveLength(1)
    expect(acknowledged[0]![0].offset).toBe(7n)
    expect(acknowledged[0]![1]).toBeUndefined()
    expect(h.recordErrors).toBe(0)
    expect(callback).toHaveBeenCalledTimes(1)
  })

  it('removes its abort listener once the record completes, so a long-lived signal holds nothing', async () => {
    const h = harness({ lingerMs: 0 })
    const controller = new AbortController()
    const sent = [0, 1, 2].map((i) =>
      h.sendPath.sendCancellable(
        { topic: 'orders', partition: 0, value: `v${i}` },
        undefined,
        controller.signal,
      ),
    )
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(3)
    h.respond()
    await Promise.all(sent)
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
    controller.abort() // nothing left to cancel
    expect((await sent[2]!).offset).toBe(2n)
  })

  it('keeps the callback form working with an options object: the callback settles before the promise', async () => {
    const h = harness({ lingerMs: 0 })
    const order: string[] = []
    const future = h.sendPath.sendCancellable(
      { topic: 'orders', partition: 0, value: 'v' },
      () => order.push('callback'),
      new AbortController().signal,
    )
    h.respond()
    await future.then(() => order.push('promise'))
    expect(order).toEqual(['callback', 'promise'])
  })
})
