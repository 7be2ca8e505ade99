// Keeps the README's transactional example honest: the same code against the run's real broker, then a
// read_committed Java consumer sees both records.
import { consumeWithJava, createTopic } from '@x/kafka-harness'
import { kafkaSingleNode, uniqueTopic } from '@x/kafka-harness/vitest'
import { KafkaProducer, ProducerFencedError } from '@x/producer'
import { expect, it } from 'vitest'

it('runs the README transactional example', { tags: ['compat'] }, async () => {
  const node = kafkaSingleNode()
  const enriched = uniqueTopic('orders-enriched')
  const audit = uniqueTopic('orders-audit')
  const orders = uniqueTopic('orders')
  for (const topic of [enriched, audit, orders]) await createTopic(node, { topic, partitions: 1 })
  const statuses: string[] = []

  const producer = new KafkaProducer({
    bootstrapServers: node.bootstrapServers,
    transactionalId: uniqueTopic('enricher'),
  })
  // Once: fences older producers with this id and aborts a transaction one of them left open.
  await producer.initTransactions()

  producer.beginTransaction()
  try {
    const sent = producer.sendBatch([
      { topic: enriched, key: 'customer-7', value: '{"id":1,"total":42}' },
      { topic: audit, value: 'order 1 enriched' },
    ])
    // The consumed input's next offsets commit with the writes (consume-transform-produce).
    await producer.sendOffsetsToTransaction([{ topic: orders, partition: 0, offset: 1n }], {
      groupId: 'enricher',
    })
    await producer.commitTransaction() // read_committed consumers see both records from now on
    statuses.push(...(await sent).map((result) => result.status))
  } catch (error) {
    // Fenced by a newer producer with the same transactionalId: only close() is left.
    if (ProducerFencedError.isInstance(error)) throw error
    await producer.abortTransaction() // anything else: abort, nothing of it is visible, and begin again
  } finally {
    await producer.close()
  }

  expect(statuses).toEqual(['fulfilled', 'fulfilled'])
  for (const [topic, value] of [
    [enriched, '{"id":1,"total":42}'],
    [audit, 'order 1 enriched'],
  ] as const) {
    const read = await consumeWithJava(node.tools, {
      bootstrapServers: node.bootstrapServers,
      topic,
      isolationLevel: 'read_committed',
      maxRecords: 1,
    })
    expect(read.map((record) => Buffer.from(record.value!).toString('utf8'))).toEqual([value])
  }
})
