// Per-send cancellation through KafkaProducer against @x/testkit's embedded cluster (in-memory transport).
// Held Produce responses keep a request "on the wire" while the test aborts; latency rules delay metadata.
// Read-back goes through the testkit delivery oracle (src/oracle/) over the cluster's logs.
import {
  checkDelivery,
  DeliveryLedger,
  EmbeddedKafkaCluster,
  formatDeliveryReport,
  readEmbeddedTopic,
} from '@x/testkit'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ProducerInterceptor } from '../interceptors/producer-interceptor.js'
import { KafkaProducer } from '../kafka-producer.js'
import type { KafkaProducerOptions } from '../options/java-properties.js'
import type { RecordMetadata } from '../record/record-metadata.js'
import { FlushAbortedError } from './flush-aborted-error.js'
import { MaybeWrittenError } from './maybe-written-error.js'
import { NotWrittenError } from './not-written-error.js'

let cluster: EmbeddedKafkaCluster
beforeEach(async () => {
  cluster = await EmbeddedKafkaCluster.start({
    brokers: 1,
    listen: false,
    topics: [{ name: 'orders', partitions: 1 }],
  })
})
afterEach(async () => {
  await cluster.stop()
})

type Bytes = Uint8Array | string
function producer(options: KafkaProducerOptions<Bytes, Bytes> = {}): KafkaProducer {
  return new KafkaProducer({
    bootstrapServers: cluster.bootstrapServers,
    transport: cluster.transport,
    ...options,
  })
}
const text = (bytes: Uint8Array | null) => (bytes === null ? null : new TextDecoder().decode(bytes))
describe('KafkaProducer send(record, { signal }) on the embedded cluster', () => {
  it('NotWrittenError for a record still in its open batch: the partition never holds it', async () => {
    const p = producer({ lingerMs: 60_000 })
    await p.partitionsFor('orders')
    const controller = new AbortController()
    const kept = p.send({ topic: 'orders', value: 'kept-1' })
    const cancelled = p.send({ topic: 'orders', value: 'cancelled' }, { signal: controller.signal })
    const kept2 = p.send({ topic: 'orders', value: 'kept-2' })
    controller.abort()
    await expect(cancelled).rejects.toBeInstanceOf(NotWrittenError)
    await p.flush()
    expect([(await kept).offset, (await kept2).offset]).toEqual([0n, 1n])
    expect(cluster.records('orders', 0).map((r) => text(r.value))).toEqual(['kept-1', 'kept-2'])
    await p.close()
  })

  it('MaybeWrittenError once the Produce request is on the wire; the batch still completes and is written', async () => {
    const acknowledged: [RecordMetadata, Error | undefined][] = []
    const interceptor: ProducerInterceptor<Bytes, Bytes> = {
      onSend: (record) => record,
      onAcknowledgement: (metadata, error) => acknowledged.push([metadata, error]),
    }
    const p = producer({ lingerMs: 0, interceptors: [interceptor] })
    await p.partitionsFor('orders')
    const held = cluster.faults.hold({ api: 'Produce', count: 1 })
    const controller = new AbortController()
    const callbackErrors: unknown[] = []
    const sent = p.send(
      { topic: 'orders', value: 'in-flight' },
      { signal: controller.signal, callback: (_m, error) => callbackErrors.push(error) },
    )
    await held.waitFor(1)
    controller.abort(new Error('caller timed out'))
    const error = await sent.then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(MaybeWrittenError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ persisted: 'maybe', topic: 'orders', partition: 0 })
    expect((error as Error).cause).toEqual(new Error('caller timed out'))
    expect(callbackErrors).toEqual([error])
    expect(acknowledged).toEqual([])
    held.releaseAll()
    await p.flush()
    // The broker wrote it, and the interceptors heard the real outcome.
    expect(cluster.records('orders', 0).map((r) => text(r.value))).toEqual(['in-flight'])
    expect(acknowledged).toHaveLength(1)
    expect(acknowledged[0]![1]).toBeUndefined()
    expect(acknowledged[0]![0].offset).toBe(0n)
    expect(p.metrics()['record-error-total']).toBe(0)
    await p.close()
  })

  it('NotWrittenError for a send waiting for metadata (a slow Metadata response): nothing is written', async () => {
    const p = producer({ lingerMs: 0 })
    cluster.faults.latency({ ms: 200, api: 'Metadata' })
    const controller = new AbortController()
    const sent = p.send({ topic: 'orders', value: 'never' }, { signal: controller.signal })
    setTimeout(() => controller.abort(), 20)
    await expect(sent).rejects.toBeInstanceOf(NotWrittenError)
    const later = p.send({ topic: 'orders', value: 'after' })
    expect((await later).offset).toBe(0n)
    expect(cluster.records('orders', 0).map((r) => text(r.value))).toEqual(['after'])
    await p.close()
  })

  it('an already aborted signal rejects at once and appends nothing', async () => {
    const p = producer({ lingerMs: 0 })
    await p.partitionsFor('orders')
    await expect(
      p.send({ topic: 'orders', value: 'v' }, { signal: AbortSignal.abort() }),
    ).rejects.toBeInstanceOf(NotWrittenError)
    await p.flush()
    expect(cluster.records('orders', 0)).toEqual([])
    await p.close()
  })

  it('flush({ signal }) rejects with FlushAbortedError when aborted, and the records still complete', async () => {
    const p = producer({ lingerMs: 0 })
    await p.partitionsFor('orders')
    const held = cluster.faults.hold({ api: 'Produce', count: 1 })
    const sent = p.send({ topic: 'orders', value: 'v' })
    await held.waitFor(1)
    const controller = new AbortController()
    const flushing = p.flush({ signal: controller.signal })
    controller.abort()
    await expect(flushing).rejects.toBeInstanceOf(FlushAbortedError)
    await expect(flushing).rejects.toMatchObject({ name: 'AbortError' })
    held.releaseAll()
    expect((await sent).offset).toBe(0n)
    await expect(p.flush({ signal: new AbortController().signal })).resolves.toBeUndefined()
    await p.close()
  })

  it('idempotent: cancellations in open batches and in flight leave no duplicate, gap or reordering (oracle)', async () => {
    const p = producer({ enableIdempotence: true, lingerMs: 60_000, batchSize: 65_536 })
    await p.partitionsFor('orders')
    const ledger = new DeliveryLedger({ runId: 'cancel1' })
    const settled: Promise<unknown>[] = []
    const outcomes: (string | unknown)[] = []
    const maybeIds: number[] = []
    const send = (i: number, controller: AbortController) => {
      const record = ledger.next({ topic: 'orders', key: `k${i % 3}` })
      const promise = p.send(
        { topic: 'orders', key: record.key, value: record.value, headers: record.headers },
        { signal: controller.signal },
      )
      settled.push(
        promise.then(
          (metadata) => {
            outcomes[record.id] = 'ok'
            ledger.complete(record.id, { ok: true, partition: metadata.partition, offset: metadata.offset })
          },
          (error: unknown) => {
            outcomes[record.id] = MaybeWrittenError.isInstance(error) ? 'maybe' : 'not-written'
            // A MaybeWrittenError releases its caller ahead of the batch, out of completion order by design:
            // recorded at the end (below), with no partition, so the order check skips it.
            if (MaybeWrittenError.isInstance(error)) maybeIds.push(record.id)
            else ledger.complete(record.id, { ok: false, error, partition: 0 })
          },
        ),
      )
      return record.id
    }
    const controllers = Array.from({ length: 300 }, () => new AbortController())
    const held = cluster.faults.hold({ api: 'Produce', count: 2 })
    // One batch per round (batch.size 64 KiB). Round 1: 100 records in the open batch; every 4th is cancelled there.
    for (let i = 0; i < 100; i++) send(i, controllers[i]!)
    for (let i = 0; i < 100; i += 4) controllers[i]!.abort()
    // Drain them into a request the broker holds, then cancel some in flight (every 5th).
    const flush1 = p.flush()
    await held.waitFor(1)
    for (let i = 1; i < 100; i += 5) controllers[i]!.abort()
    // Round 2 while round 1 is on the wire: every 3rd is cancelled before its batch drains.
    for (let i = 100; i < 200; i++) send(i, controllers[i]!)
    for (let i = 100; i < 200; i += 3) controllers[i]!.abort()
    const flush2 = p.flush()
    await held.waitFor(2)
    for (let i = 101; i < 200; i += 7) controllers[i]!.abort()
    // Release out of order: the second request is answered first (the broker processed both in order).
    held.release(1, { outOfOrder: true })
    held.release(0, { outOfOrder: true })
    await Promise.all([flush1, flush2])
    // Round 3: nothing held; some cancelled straight away.
    for (let i = 200; i < 300; i++) send(i, controllers[i]!)
    for (let i = 200; i < 300; i += 10) controllers[i]!.abort()
    await p.flush()
    await Promise.all(settled)
    for (const id of maybeIds)
      ledger.complete(id, { ok: false, error: new MaybeWrittenError({ topic: 'orders', partition: 0 }) })
    const report = checkDelivery(ledger, {
      readers: { log: readEmbeddedTopic(cluster, 'orders') },
      topic: 'orders',
    })
    expect(report.violations, formatDeliveryReport(report)).toEqual([])
    expect(report.counts.duplicated).toBe(0)
    expect(report.counts.reordered).toBe(0)
    // Every not-written record is absent, every maybe-written one (its batch went on) is present.
    const read = new Set([...readEmbeddedTopic(cluster, 'orders')].map((r) => text(r.value)))
    const tally = { ok: 0, 'not-written': 0, maybe: 0 }
    for (let id = 0; id < outcomes.length; id++) tally[outcomes[id] as keyof typeof tally]++
    expect(tally['not-written']).toBeGreaterThan(40)
    expect(tally.maybe).toBeGreaterThan(20)
    expect(report.counts.read).toBe(tally.ok + tally.maybe)
    expect(report.counts.maybePersistedPresent).toBe(tally.maybe)
    expect(read.size).toBe(tally.ok + tally.maybe)
    await p.close()
  })
})

describe('KafkaProducer sendBatch(records, { signal }) on the embedded cluster', () => {
  const reasons = (results: PromiseSettledResult<RecordMetadata>[]) =>
    results.map((result) => (result.status === 'rejected' ? result.reason : result.value))

  it('fulfils every record when the signal never fires', async () => {
    const p = producer({ lingerMs: 0 })
    const results = await p.sendBatch(
      [0, 1, 2].map((i) => ({ topic: 'orders', value: `v${i}` })),
      { signal: new AbortController().signal },
    )
    expect(results.map((result) => result.status === 'fulfilled' && result.value.offset)).toEqual([
      0n,
      1n,
      2n,
    ])
    await p.close()
  })

  it('NotWrittenError for every record still in its open batch; a send outside the call is kept', async () => {
    const p = producer({ lingerMs: 60_000 })
    await p.partitionsFor('orders')
    const controller = new AbortController()
    const kept = p.send({ topic: 'orders', value: 'kept' })
    const batch = p.sendBatch(
      ['a', 'b', 'c'].map((value) => ({ topic: 'orders', value })),
      { signal: controller.signal },
    )
    controller.abort()
    const results = await batch
    for (const reason of reasons(results))
      expect(NotWrittenError.isInstance(reason), String(reason)).toBe(true)
    await p.flush()
    expect((await kept).offset).toBe(0n)
    expect(cluster.records('orders', 0).map((r) => text(r.value))).toEqual(['kept'])
    await p.close()
  })

  it('an already aborted signal refuses every record and appends nothing', async () => {
    const p = producer({ lingerMs: 0 })
    await p.partitionsFor('orders')
    const controller = new AbortController()
    controller.abort()
    const results = await p.sendBatch(
      [
        { topic: 'orders', value: 'x' },
        { topic: 'orders', value: 'y' },
      ],
      {
        signal: controller.signal,
      },
    )
    for (const reason of reasons(results)) expect(NotWrittenError.isInstance(reason)).toBe(true)
    await p.flush()
    expect(cluster.records('orders', 0)).toEqual([])
    await p.close()
  })

  it('MaybeWrittenError for records already on the wire; their batch is still written', async () => {
    const p = producer({ lingerMs: 0 })
    await p.partitionsFor('orders')
    const held = cluster.faults.hold({ api: 'Produce', count: 1 })
    const controller = new AbortController()
    const batch = p.sendBatch(
      ['d', 'e'].map((value) => ({ topic: 'orders', value })),
      { signal: controller.signal },
    )
    await held.waitFor(1)
    controller.abort()
    const results = await batch
    for (const reason of reasons(results))
      expect(MaybeWrittenError.isInstance(reason), String(reason)).toBe(true)
    held.release(0)
    await p.flush()
    expect(cluster.records('orders', 0).map((r) => text(r.value))).toEqual(['d', 'e'])
    await p.close()
  })

  it('a record sendBatch refuses (invalid) is a rejected result; the others go on', async () => {
    const p = producer({ lingerMs: 0 })
    const results = await p.sendBatch(
      [
        { topic: 'orders', value: 'ok' },
        { topic: 'bad topic!', value: 'no' },
      ],
      { signal: new AbortController().signal },
    )
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected'])
    await p.close()
  })
})
