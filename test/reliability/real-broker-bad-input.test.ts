// The bad-input cases whose truth is on the wire (§5.3 B6, B7, B10, B15), on the real single node: read back
// by the Java consumer and kcat, which must agree byte for byte with what was sent.
import { consumeWithJava, consumeWithKcat, createTopic, sortRecords } from '@x/kafka-harness'
import { kafkaSingleNode, uniqueTopic } from '@x/kafka-harness/vitest'
import { KafkaProducer } from '@x/producer'
import { afterEach, expect, it } from 'vitest'

const producers: KafkaProducer<unknown, unknown>[] = []
afterEach(async () => {
  for (const producer of producers.splice(0)) await producer.close({ timeoutMs: 0 })
})

function producer(options: Record<string, unknown> = {}): KafkaProducer<unknown, unknown> {
  const created = new KafkaProducer<unknown, unknown>({
    bootstrapServers: kafkaSingleNode().bootstrapServers,
    ...options,
  })
  producers.push(created)
  return created
}

async function readBoth(topic: string, count: number) {
  const node = kafkaSingleNode()
  const java = sortRecords(
    await consumeWithJava(node.tools, { bootstrapServers: node.bootstrapServers, topic, maxRecords: count }),
  )
  const kcat = sortRecords(await consumeWithKcat({ bootstrapServers: node.bootstrapServers, topic }))
  const shape = (records: typeof java) =>
    records.map((r) => ({
      offset: r.offset,
      key: r.key === null ? null : [...r.key],
      value: r.value === null ? null : [...r.value],
      headers: r.headers.map((h) => [h.key, h.value === null ? null : [...h.value]]),
    }))
  expect(shape(kcat)).toEqual(shape(java))
  return java
}

it('B6 + B7 on the wire: null ≠ empty keys and values; header bytes verbatim, null header values, duplicates in order', async () => {
  const topic = uniqueTopic('b6-b7')
  await createTopic(kafkaSingleNode(), { topic, partitions: 1 })
  const p = producer()
  const binary = Uint8Array.from([0x00, 0xff, 0x80, 0x0a, 0x22, 0x5c])
  await p.send({ topic, partition: 0, key: null, value: null })
  await p.send({ topic, partition: 0, key: '', value: new Uint8Array(0) })
  await p.send({
    topic,
    partition: 0,
    key: binary,
    value: binary,
    headers: [
      { key: 'nil', value: null },
      { key: 'bin', value: binary },
      { key: 'dup', value: 'a' },
      { key: 'dup', value: 'b' },
    ],
  })
  const [nulls, empties, bytes] = await readBoth(topic, 3)
  expect([nulls!.key, nulls!.value]).toEqual([null, null])
  expect([empties!.key?.length, empties!.value?.length]).toEqual([0, 0])
  expect([...bytes!.key!]).toEqual([...binary])
  expect(bytes!.headers.map((h) => [h.key, h.value === null ? null : [...h.value]])).toEqual([
    ['nil', null],
    ['bin', [...binary]],
    ['dup', [0x61]],
    ['dup', [0x62]],
  ])
})

it('B10 on Kafka: a timestamp 2 h ahead fails with INVALID_TIMESTAMP; its batch-mates fail, other partitions succeed', async () => {
  const topic = uniqueTopic('b10')
  await createTopic(kafkaSingleNode(), { topic, partitions: 2 })
  const p = producer({ lingerMs: 50, enableIdempotence: false })
  await p.partitionsFor(topic)
  const now = Date.now()
  const outcomes = await Promise.allSettled([
    p.send({ topic, partition: 0, value: 'ok-0', timestamp: now }),
    p.send({ topic, partition: 0, value: 'future', timestamp: now + 2 * 3_600_000 }),
    p.send({ topic, partition: 0, value: 'ok-1', timestamp: now }),
    p.send({ topic, partition: 1, value: 'elsewhere', timestamp: now }),
  ])
  const codes = outcomes.map((o) => (o.status === 'rejected' ? (o.reason as { code?: string }).code : 'ok'))
  expect(codes[1]).toBe('INVALID_TIMESTAMP')
  expect(codes[0]).toBe(codes[2])
  expect(codes[0]).not.toBe('ok')
  expect(codes[3]).toBe('ok')
  const read = await readBoth(topic, 1)
  expect(read.map((r) => Buffer.from(r.value!).toString())).toEqual(['elsewhere'])
})

it('B15: producing to __consumer_offsets fails per record with the broker’s error, and the producer keeps working', async () => {
  const topic = uniqueTopic('b15')
  await createTopic(kafkaSingleNode(), { topic, partitions: 1 })
  const p = producer({ enableIdempotence: false, maxBlockMs: 10_000 })
  const internal = await Promise.allSettled([
    p.send({ topic: '__consumer_offsets', partition: 0, value: 'x' }),
  ])
  expect(internal[0]!.status).toBe('rejected')
  const code = ((internal[0] as PromiseRejectedResult).reason as { code?: string }).code
  expect(['INVALID_TOPIC_EXCEPTION', 'TOPIC_AUTHORIZATION_FAILED']).toContain(code)
  await p.send({ topic, value: 'after' })
  expect((await readBoth(topic, 1)).map((r) => Buffer.from(r.value!).toString())).toEqual(['after'])
})
