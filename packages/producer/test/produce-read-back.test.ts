// KafkaProducer against the run's real Apache Kafka broker (vitest project `kafka`; tools/kafka-harness
// starts it), every record read back with the official Java consumer (ConsoleConsumer with the harness's
// byte-exact JSON formatter). Keyed placement is compared with the Java producer's own choice: the same keys
// sent through Kafka's ConsoleProducer (default partitioner, murmur2) to a topic with as many partitions.
import {
  type ConsumedRecord,
  consumeWithJava,
  createTopic,
  type KafkaCluster,
  runJavaTool,
  sortRecords,
} from '@x/kafka-harness'
import { kafkaSingleNode, uniqueTopic } from '@x/kafka-harness/vitest'
import { KafkaProducer, type KafkaProducerOptions } from '@x/producer'
import { describe, expect, it } from 'vitest'

const text = (bytes: Uint8Array | null) => (bytes === null ? null : Buffer.from(bytes).toString('utf8'))

function producer(node: KafkaCluster, options: KafkaProducerOptions = {}): KafkaProducer {
  return new KafkaProducer({ bootstrapServers: node.bootstrapServers, enableIdempotence: false, ...options })
}

async function readBack(node: KafkaCluster, topic: string, count: number): Promise<ConsumedRecord[]> {
  const records = await consumeWithJava(node.tools, {
    bootstrapServers: node.bootstrapServers,
    topic,
    maxRecords: count,
    idleTimeoutMs: 20_000,
  })
  expect(records).toHaveLength(count)
  return sortRecords(records)
}

describe('KafkaProducer on a real broker, read back with the Java consumer', () => {
  it('writes keys, values, headers, timestamps and partitions as sent', async () => {
    const node = kafkaSingleNode()
    const topic = uniqueTopic()
    await createTopic(node, { topic, partitions: 3 })
    const p = producer(node)
    const allBytes = Uint8Array.from({ length: 256 }, (_, i) => i)
    const sent = [
      { topic, partition: 0, key: 'k0', value: 'plain text', timestamp: 1_700_000_000_000 },
      { topic, partition: 1, key: allBytes, value: allBytes.slice().reverse(), timestamp: 1_700_000_000_001 },
      { topic, partition: 2, key: null, value: null, timestamp: 1_700_000_000_002 },
      { topic, partition: 2, key: '', value: new Uint8Array(0), timestamp: 1_700_000_000_003 },
      {
        topic,
        partition: 0,
        value: 'with headers',
        timestamp: 1_700_000_000_004,
        headers: [
          { key: 'trace', value: 'abc' },
          { key: 'trace', value: 'duplicate keys keep their order' },
          { key: 'nil', value: null },
          { key: 'bin', value: new Uint8Array([0, 255, 128]) },
        ],
      },
    ]
    const metadata = await Promise.all(sent.map((record) => p.send(record)))
    await p.close()
    expect(metadata.map((m) => [m.partition, m.offset])).toEqual([
      [0, 0n],
      [1, 0n],
      [2, 0n],
      [2, 1n],
      [0, 1n],
    ])
    const read = await readBack(node, topic, sent.length)
    const byOffset = new Map(read.map((r) => [`${r.partition}@${r.offset}`, r]))
    for (const [index, record] of sent.entries()) {
      const got = byOffset.get(`${metadata[index]!.partition}@${metadata[index]!.offset}`)!
      const bytes = (v: unknown) =>
        v === null || v === undefined
          ? null
          : typeof v === 'string'
            ? Buffer.from(v)
            : Buffer.from(v as Uint8Array)
      expect(got.key === null ? null : Buffer.from(got.key)).toEqual(bytes(record.key))
      expect(got.value === null ? null : Buffer.from(got.value)).toEqual(bytes(record.value))
      expect(got.timestamp).toBe(record.timestamp)
      expect(got.timestampType).toBe('CreateTime')
      expect(got.headers.map((h) => [h.key, h.value === null ? null : [...h.value]])).toEqual(
        (record.headers ?? []).map((h) => [h.key, h.value === null ? null : [...bytes(h.value)!]]),
      )
    }
  })

  it.each([[0], [1], ['all']] as const)('delivers with acks=%s', async (acks) => {
    const node = kafkaSingleNode()
    const topic = uniqueTopic()
    await createTopic(node, { topic, partitions: 2 })
    const p = producer(node, { acks })
    const metadata = await Promise.all(
      Array.from({ length: 100 }, (_, i) => p.send({ topic, partition: i % 2, value: `a${i}` })),
    )
    await p.close()
    if (acks === 0) expect(metadata.every((m) => m.offset === -1n)).toBe(true)
    else
      expect(metadata.filter((m) => m.partition === 0).map((m) => m.offset)).toEqual(
        Array.from({ length: 50 }, (_, i) => BigInt(i)),
      )
    const read = await readBack(node, topic, 100)
    expect(read.filter((r) => r.partition === 1).map((r) => text(r.value))).toEqual(
      Array.from({ length: 50 }, (_, i) => `a${2 * i + 1}`),
    )
  })

  it.each(['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const)(
    'writes batches compressed with %s',
    async (compressionType) => {
      const node = kafkaSingleNode()
      const topic = uniqueTopic()
      await createTopic(node, { topic })
      const p = producer(node, { compressionType, lingerMs: 50 })
      const values = Array.from({ length: 500 }, (_, i) =>
        `${compressionType} record ${i} `.repeat(1 + (i % 7)),
      )
      await Promise.all(values.map((value, i) => p.send({ topic, key: `k${i}`, value })))
      expect(p.metrics()['batch-size-avg']).toBeGreaterThan(0)
      await p.close()
      const read = await readBack(node, topic, values.length)
      expect(read.map((r) => text(r.value))).toEqual(values)
    },
  )

  it('writes to the partition given, whatever the key', async () => {
    const node = kafkaSingleNode()
    const topic = uniqueTopic()
    await createTopic(node, { topic, partitions: 4 })
    const p = producer(node)
    for (let i = 0; i < 20; i++)
      await p.send({ topic, partition: 3 - (i % 4), key: 'same key', value: `p${3 - (i % 4)}` })
    await p.close()
    const read = await readBack(node, topic, 20)
    for (const record of read) expect(text(record.value)).toBe(`p${record.partition}`)
  })

  it("places keyed records on the partitions Java's producer chooses", async () => {
    const node = kafkaSingleNode()
    const ours = uniqueTopic('ours')
    const java = uniqueTopic('java')
    await createTopic(node, { topic: ours, partitions: 7 })
    await createTopic(node, { topic: java, partitions: 7 })
    const keys = Array.from({ length: 60 }, (_, i) => `key-${i}-${'x'.repeat(i % 5)}`)
    const p = producer(node)
    const metadata = await Promise.all(keys.map((key) => p.send({ topic: ours, key, value: key })))
    await p.close()
    const console = await runJavaTool(
      node.tools,
      'org.apache.kafka.tools.ConsoleProducer',
      [
        '--bootstrap-server',
        node.bootstrapServers,
        '--topic',
        java,
        '--property',
        'parse.key=true',
        '--property',
        'key.separator=|',
      ],
      { input: `${keys.map((key) => `${key}|${key}`).join('\n')}\n` },
    )
    expect(console.status).toBe(0)
    const javaPlacement = new Map(
      (await readBack(node, java, keys.length)).map((r) => [text(r.key), r.partition]),
    )
    const oursRead = new Map((await readBack(node, ours, keys.length)).map((r) => [text(r.key), r.partition]))
    for (const [index, key] of keys.entries()) {
      expect(metadata[index]!.partition, key).toBe(javaPlacement.get(key))
      expect(oursRead.get(key), key).toBe(javaPlacement.get(key))
    }
    expect(new Set(javaPlacement.values()).size).toBeGreaterThan(3)
  })
})
