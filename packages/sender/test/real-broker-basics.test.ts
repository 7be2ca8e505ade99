// The sender against the real single-node broker: version negotiation, acks 0/1/all, metadata waits for a
// missing topic, and records read back with the official Java consumer.
import { consumeWithJava, createTopic } from '@x/kafka-harness'
import { kafkaSingleNode, uniqueTopic } from '@x/kafka-harness/vitest'
import { produceApi } from '@x/protocol'
import { TimeoutError } from '@x/sender'
import { describe, expect, it } from 'vitest'
import { appendRange, createRealStack, Ledger, recordKey, recordValue } from './real-broker-support.js'

const decoder = new TextDecoder()

describe('sender against a real broker', () => {
  it.each(['all', 1, 0] as const)(
    'delivers with acks=%s and negotiates Produce v11 with Kafka 4.x',
    async (acks) => {
      const kafka = kafkaSingleNode()
      const topic = uniqueTopic(`sender-acks-${acks}`)
      await createTopic(kafka, { topic, partitions: 2 })
      const stack = createRealStack(kafka.bootstrapServers, { acks })
      await stack.metadata.waitOnMetadata(topic, undefined, 30_000, Date.now())
      const ledger = new Ledger(100)
      await appendRange(stack, topic, ledger, 0, 100, (id) => id % 2)
      await stack.accumulator.flush()
      await ledger.whenAllCompleted()
      const leader = stack.metadata.leaderFor(topic, 0)!
      expect(stack.client.nodeApiVersions(leader)?.latestUsableVersion(produceApi)).toBe(11)
      await stack.sender.close()
      expect(ledger.errors.size).toBe(0)
      expect(ledger.completions.every((count) => count === 1)).toBe(true)
      if (acks === 0) expect(ledger.offsets.every((offset) => offset === -1)).toBe(true)
      else
        expect([...ledger.offsets].filter((_, id) => id % 2 === 0)).toEqual(
          Array.from({ length: 50 }, (_, i) => i),
        )

      const records = await consumeWithJava(kafka.tools, {
        bootstrapServers: kafka.bootstrapServers,
        topic,
        maxRecords: 100,
      })
      expect(records).toHaveLength(100)
      const byPartition = [0, 1].map((p) =>
        records.filter((r) => r.partition === p).map((r) => decoder.decode(r.key!)),
      )
      expect(byPartition[0]).toEqual(Array.from({ length: 50 }, (_, i) => recordKey(i * 2)))
      expect(byPartition[1]).toEqual(Array.from({ length: 50 }, (_, i) => recordKey(i * 2 + 1)))
      expect(records.map((r) => decoder.decode(r.value!)).sort()).toEqual(
        Array.from({ length: 100 }, (_, id) => recordValue(id)).sort(),
      )
    },
  )

  it('fails a metadata wait for a topic that is never created with "Topic X not present in metadata after N ms."', async () => {
    const kafka = kafkaSingleNode()
    const stack = createRealStack(kafka.bootstrapServers, { allowAutoTopicCreation: false })
    const topic = uniqueTopic('sender-missing')
    const started = Date.now()
    const error = await Promise.resolve(
      stack.metadata.waitOnMetadata(topic, undefined, 1_500, Date.now()),
    ).catch((e: unknown) => e)
    expect(TimeoutError.isInstance(error)).toBe(true)
    expect((error as Error).message).toBe(`Topic ${topic} not present in metadata after 1500 ms.`)
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400)
    await stack.sender.close()
  })
})
