// close() and bad input of KafkaProducer against the run's real Apache Kafka broker. Each bad record fails
// with a typed error and the record sent beside it still arrives (read back with the Java consumer).
import { consumeWithJava, createTopic, type KafkaCluster } from '@x/kafka-harness'
import { kafkaSingleNode, uniqueTopic } from '@x/kafka-harness/vitest'
import {
  ConfigError,
  KafkaProducer,
  type KafkaProducerOptions,
  ProducerClosedError,
  RecordTooLargeError,
  SerializationError,
  TimeoutError,
} from '@x/producer'
import { describe, expect, it } from 'vitest'

function producer(node: KafkaCluster, options: KafkaProducerOptions = {}): KafkaProducer {
  return new KafkaProducer({ bootstrapServers: node.bootstrapServers, enableIdempotence: false, ...options })
}

async function values(node: KafkaCluster, topic: string, count: number): Promise<string[]> {
  const records = await consumeWithJava(node.tools, {
    bootstrapServers: node.bootstrapServers,
    topic,
    maxRecords: count,
  })
  return records.map((record) => Buffer.from(record.value!).toString('utf8')).sort()
}

describe('close()', () => {
  it('delivers records still lingering in their batches', async () => {
    const node = kafkaSingleNode()
    const topic = uniqueTopic()
    await createTopic(node, { topic, partitions: 2 })
    const p = producer(node, { lingerMs: 60_000 })
    const sent = Array.from({ length: 200 }, (_, i) =>
      p.send({ topic, value: `v${String(i).padStart(3, '0')}` }),
    )
    await p.close()
    expect((await Promise.all(sent)).every((m) => m.hasOffset())).toBe(true)
    expect(await values(node, topic, 200)).toEqual(
      Array.from({ length: 200 }, (_, i) => `v${String(i).padStart(3, '0')}`),
    )
  })

  it('with timeoutMs 0 fails every pending record with a clear error, without waiting for the linger', async () => {
    const node = kafkaSingleNode()
    const topic = uniqueTopic()
    await createTopic(node, { topic })
    const p = producer(node, { lingerMs: 60_000 })
    await p.partitionsFor(topic)
    const sent = Array.from({ length: 50 }, (_, i) => p.send({ topic, value: `v${i}` }))
    const started = Date.now()
    await p.close({ timeoutMs: 0 })
    // linger is 60 s: a close that waited for the batches to be sent would take that long
    expect(Date.now() - started).toBeLessThan(30_000)
    const outcomes = await Promise.allSettled(sent)
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected')
      const reason = (outcome as PromiseRejectedResult).reason
      expect(ProducerClosedError.isInstance(reason)).toBe(true)
      expect((reason as Error).message).toContain('Producer is closed forcefully')
    }
  })

  it('leaves no socket or timer behind', async () => {
    const node = kafkaSingleNode()
    const topic = uniqueTopic()
    await createTopic(node, { topic })
    const count = () => {
      const counts = new Map<string, number>()
      for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1)
      return counts
    }
    const before = count()
    const p = producer(node, { compressionType: 'lz4' })
    await p.send({ topic, value: 'v' })
    p.metrics$.subscribe()
    await p.close()
    // Sockets finish closing asynchronously (later on a loaded machine): look again until they are gone.
    const leftOver = () =>
      ['TCPSocketWrap', 'Timeout'].filter((type) => (count().get(type) ?? 0) > (before.get(type) ?? 0))
    for (let tries = 0; tries < 100 && leftOver().length > 0; tries++)
      await new Promise((resolve) => setTimeout(resolve, 100))
    const after = count()
    for (const type of ['TCPSocketWrap', 'Timeout'])
      expect(after.get(type) ?? 0, type).toBeLessThanOrEqual(before.get(type) ?? 0)
  })

  it('refuses sends afterwards, and a second close() is the same close', async () => {
    const node = kafkaSingleNode()
    const p = producer(node)
    const first = p.close()
    expect(p.close()).toBe(first)
    await first
    expect(() => p.send({ topic: 'any', value: 'late' })).toThrow(ProducerClosedError)
  })
})

describe('bad input', () => {
  it('an unknown topic with auto-creation off fails within maxBlockMs, and other records are unaffected', async () => {
    const node = kafkaSingleNode()
    const topic = uniqueTopic()
    const missing = uniqueTopic('missing')
    await createTopic(node, { topic })
    const p = producer(node, { maxBlockMs: 1500, allowAutoCreateTopics: false })
    const started = Date.now()
    const bad = p.send({ topic: missing, value: 'lost' })
    const good = p.send({ topic, value: 'kept' })
    await expect(bad).rejects.toBeInstanceOf(TimeoutError)
    await expect(bad).rejects.toThrow(`Topic ${missing} not present in metadata after 1500 ms.`)
    // maxBlockMs bounds the wait: well before the 60 s default
    expect(Date.now() - started).toBeLessThan(30_000)
    await good
    await p.close()
    expect(await values(node, topic, 1)).toEqual(['kept'])
    const metadata = await node.metadata([missing])
    expect(metadata.topics.find((t) => t.name === missing)?.errorCode).not.toBe(0)
  })

  it('a partition out of range fails within maxBlockMs naming the partition count', async () => {
    const node = kafkaSingleNode()
    const topic = uniqueTopic()
    await createTopic(node, { topic, partitions: 2 })
    const p = producer(node, { maxBlockMs: 1000 })
    const good = p.send({ topic, partition: 1, value: 'kept' })
    await expect(p.send({ topic, partition: 2, value: 'lost' })).rejects.toThrow(
      `Partition 2 of topic ${topic} with partition count 2 is not present in metadata after 1000 ms.`,
    )
    await good
    await p.close()
    expect(await values(node, topic, 1)).toEqual(['kept'])
  })

  it('a record over maxRequestSize fails alone', async () => {
    const node = kafkaSingleNode()
    const topic = uniqueTopic()
    await createTopic(node, { topic })
    const p = producer(node)
    const big = p.send({ topic, value: new Uint8Array(1_048_577) })
    const small = p.send({ topic, value: 'kept' })
    await expect(big).rejects.toBeInstanceOf(RecordTooLargeError)
    await expect(big).rejects.toThrow('maxRequestSize (max.request.size)')
    await small
    await p.close()
    expect(await values(node, topic, 1)).toEqual(['kept'])
  })

  it('a serializer that throws fails its record synchronously', async () => {
    const node = kafkaSingleNode()
    const topic = uniqueTopic()
    await createTopic(node, { topic })
    const p = new KafkaProducer<string, string>({
      bootstrapServers: node.bootstrapServers,
      enableIdempotence: false,
      valueSerializer: {
        serialize(_topic, value) {
          if (value === 'poison') throw new Error('cannot encode poison')
          return Buffer.from(value ?? '')
        },
      },
    })
    expect(() => p.send({ topic, value: 'poison' })).toThrow(SerializationError)
    await p.send({ topic, value: 'kept' })
    await p.close()
    expect(await values(node, topic, 1)).toEqual(['kept'])
  })

  it('an invalid option fails at construction, naming the option and the fix', () => {
    const node = kafkaSingleNode()
    expect(() => producer(node, { deliveryTimeoutMs: 1000 })).toThrow(ConfigError)
    expect(() => producer(node, { deliveryTimeoutMs: 1000 })).toThrow(
      'deliveryTimeoutMs (delivery.timeout.ms) should be equal to or larger than lingerMs (linger.ms) + requestTimeoutMs',
    )
  })
})
