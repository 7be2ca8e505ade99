// KafkaProducer end to end against @x/testkit's embedded cluster over its in-memory transport (no sockets):
// what a broker stored is read back from the cluster's partition logs. Keyed placements use Java's murmur2
// vector for "foobar" (UtilsTest): toPositive = 1357151166, so partition 2 of 4.
import { EmbeddedKafkaCluster } from '@x/testkit'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { KafkaProducer } from './kafka-producer.js'
import type { KafkaProducerOptions } from './options/java-properties.js'
import { jsonSerializer } from './serialization/json-serializer.js'

let cluster: EmbeddedKafkaCluster
const producers: KafkaProducer<unknown, unknown>[] = []

beforeEach(async () => {
  cluster = await EmbeddedKafkaCluster.start({
    brokers: 3,
    listen: false,
    topics: [{ name: 'orders', partitions: 4 }],
  })
})
afterEach(async () => {
  for (const producer of producers.splice(0)) await producer.close({ timeoutMs: 0 })
  await cluster.stop()
})

function producer<K = Uint8Array | string, V = Uint8Array | string>(
  options: KafkaProducerOptions<K, V> = {},
): KafkaProducer<K, V> {
  const created = new KafkaProducer<K, V>({
    bootstrapServers: cluster.bootstrapServers,
    transport: cluster.transport,
    enableIdempotence: false,
    ...options,
  })
  producers.push(created as KafkaProducer<unknown, unknown>)
  return created
}

const text = (bytes: Uint8Array | null) => (bytes === null ? null : new TextDecoder().decode(bytes))

describe('KafkaProducer', () => {
  it('writes keys, values, headers and timestamps as sent, on the partitions it reports', async () => {
    const p = producer()
    const metadata = await p.send({
      topic: 'orders',
      key: 'foobar',
      value: 'v1',
      timestamp: 1_700_000_000_000,
      headers: [
        { key: 'trace', value: 'abc' },
        { key: 'nil', value: null },
      ],
    })
    expect(metadata).toMatchObject({
      topic: 'orders',
      partition: 2,
      offset: 0n,
      timestamp: 1_700_000_000_000,
    })
    const [stored] = cluster.records('orders', 2)
    expect(text(stored!.key)).toBe('foobar')
    expect(text(stored!.value)).toBe('v1')
    expect(stored!.timestamp).toBe(1_700_000_000_000)
    expect(stored!.headers.map((h) => [h.key, text(h.value)])).toEqual([
      ['trace', 'abc'],
      ['nil', null],
    ])
  })

  it('keeps send order within a partition and gives consecutive offsets', async () => {
    const p = producer({ lingerMs: 20 })
    const sent = await Promise.all(
      Array.from({ length: 50 }, (_, i) => p.send({ topic: 'orders', partition: 1, value: `m${i}` })),
    )
    expect(sent.map((m) => m.offset)).toEqual(Array.from({ length: 50 }, (_, i) => BigInt(i)))
    expect(cluster.records('orders', 1).map((r) => text(r.value))).toEqual(sent.map((_, i) => `m${i}`))
  })

  it.each([[0], [1], ['all']] as const)('delivers with acks=%s', async (acks) => {
    const p = producer({ acks })
    const metadata = await p.send({ topic: 'orders', partition: 3, value: 'x' })
    expect(metadata.offset).toBe(acks === 0 ? -1n : 0n)
    await p.flush()
    expect(cluster.records('orders', 3)).toHaveLength(1)
  })

  it('serializes with the configured serializers', async () => {
    const p = producer<string, unknown>({ valueSerializer: jsonSerializer })
    await p.send({ topic: 'orders', partition: 0, key: 'k', value: { id: 7, tags: ['a'] } })
    expect(text(cluster.records('orders', 0)[0]!.value)).toBe('{"id":7,"tags":["a"]}')
  })

  it('flush() sends lingering batches at once and resolves when they are acknowledged', async () => {
    const p = producer({ lingerMs: 60_000 })
    const sent = p.send({ topic: 'orders', partition: 0, value: 'lingering' })
    await p.flush()
    expect(cluster.records('orders', 0)).toHaveLength(1)
    expect((await sent).offset).toBe(0n)
  })

  it('partitionsFor lists partitions with their leaders', async () => {
    const partitions = await producer().partitionsFor('orders')
    expect(partitions.map((p) => p.partition)).toEqual([0, 1, 2, 3])
    const info = cluster.topic('orders')!
    expect(partitions.map((p) => p.leader?.id)).toEqual(info.partitions.map((p) => p.leader))
    expect(partitions[0]!.replicas).toHaveLength(3)
  })

  it('sendBatch writes every good record and reports the bad ones in place', async () => {
    const p = producer()
    const results = await p.sendBatch([
      { topic: 'orders', partition: 0, value: 'a' },
      { topic: 'orders', partition: -1, value: 'bad' },
      { topic: 'orders', partition: 0, value: 'b' },
    ])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(cluster.records('orders', 0).map((r) => text(r.value))).toEqual(['a', 'b'])
  })

  it("reports Java's metric names", async () => {
    const p = producer()
    await p.send({ topic: 'orders', partition: 0, value: 'x' })
    const metrics = p.metrics()
    expect(metrics['record-send-total']).toBe(1)
    expect(metrics['record-error-total']).toBe(0)
    for (const name of [
      'request-total',
      'request-latency-avg',
      'batch-size-avg',
      'buffer-total-bytes',
      'buffer-available-bytes',
      'bufferpool-wait-time-ns-total',
      'metadata-wait-time-ns-total',
      'flush-time-ns-total',
      'connection-count',
    ])
      expect(metrics[name], name).toBeTypeOf('number')
    expect(metrics['buffer-total-bytes']).toBe(33_554_432)
  })
})
