import { createTopic, runProducerPerformance } from '@x/kafka-harness'
import { kafkaSingleNode, uniqueTopic } from '@x/kafka-harness/vitest'
import { describe, expect, it } from 'vitest'

describe('ProducerPerformance', () => {
  it('runs the Java producer benchmark and returns its summary as numbers', async () => {
    const node = kafkaSingleNode()
    const topic = uniqueTopic()
    await createTopic(node, { topic })
    const result = await runProducerPerformance(node.tools, {
      bootstrapServers: node.bootstrapServers,
      topic,
      numRecords: 20_000,
      recordSize: 100,
      producerProps: { acks: 'all', 'linger.ms': '5', 'batch.size': '16384' },
    })
    expect(result.records).toBe(20_000)
    expect(result.recordsPerSec).toBeGreaterThan(0)
    expect(result.p50Ms).toBeLessThanOrEqual(result.p999Ms)
    const metadata = await node.metadata([topic])
    expect(metadata.topics[0]?.partitions).toHaveLength(1)
  })
})
