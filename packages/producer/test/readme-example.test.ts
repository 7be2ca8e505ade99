// Keeps the README example honest: the same code against the run's real broker.
import { consumeWithJava, createTopic } from '@x/kafka-harness'
import { kafkaSingleNode, uniqueTopic } from '@x/kafka-harness/vitest'
import { jsonSerializer, KafkaProducer, type RecordMetadata } from '@x/producer'
import { expect, it } from 'vitest'

it('runs the README example', async () => {
  const node = kafkaSingleNode()
  const topic = uniqueTopic('orders')
  await createTopic(node, { topic, partitions: 4 })

  const producer = new KafkaProducer<string, { id: number; total: number }>({
    bootstrapServers: node.bootstrapServers,
    valueSerializer: jsonSerializer,
    'linger.ms': 10,
  })
  const metadata = await producer.send({ topic, key: 'customer-7', value: { id: 1, total: 42 } })
  expect(`${metadata}`).toMatch(new RegExp(`^${topic}-[0-3]@0$`))

  const callback = new Promise<[RecordMetadata, Error | undefined]>((resolve) => {
    producer.send({ topic, key: 'customer-8', value: { id: 2, total: 7 } }, (m, error) => resolve([m, error]))
  })
  await producer.flush()
  const [second, error] = await callback
  expect(error).toBeUndefined()
  expect(second.hasOffset()).toBe(true)
  await producer.close()

  const read = await consumeWithJava(node.tools, {
    bootstrapServers: node.bootstrapServers,
    topic,
    maxRecords: 2,
  })
  expect(
    read.map((r) => JSON.parse(Buffer.from(r.value!).toString('utf8'))).sort((a, b) => a.id - b.id),
  ).toEqual([
    { id: 1, total: 42 },
    { id: 2, total: 7 },
  ])
})
