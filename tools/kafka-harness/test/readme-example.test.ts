// The example of tools/kafka-harness/README.md ("How tests use it"), kept runnable: edit both together.
import { consumeWithJava, consumeWithKcat, createTopic, produceWithKcat } from '@x/kafka-harness'
import { kafkaCluster, kafkaSingleNode, uniqueTopic } from '@x/kafka-harness/vitest'
import { afterEach, expect, it } from 'vitest'

afterEach(() => kafkaCluster().ensureHealthy()) // only needed by tests that kill or pause nodes

it('reads back a record with both reference clients', async () => {
  const kafka = kafkaSingleNode()
  const topic = uniqueTopic()
  await createTopic(kafka, { topic, partitions: 1 })
  await produceWithKcat({
    bootstrapServers: kafka.bootstrapServers,
    topic,
    records: [{ key: 'k', value: 'v' }],
  })

  const viaKcat = await consumeWithKcat({ bootstrapServers: kafka.bootstrapServers, topic })
  const viaJava = await consumeWithJava(kafka.tools, {
    bootstrapServers: kafka.bootstrapServers,
    topic,
    maxRecords: 1,
  })
  expect(viaJava).toEqual(viaKcat)
  expect(new TextDecoder().decode(viaKcat[0]!.value!)).toBe('v')
})

it('survives the leader of a partition being killed', async () => {
  const cluster = kafkaCluster()
  const topic = uniqueTopic()
  await createTopic(cluster, { topic, replicationFactor: 3 })
  const before = (await cluster.metadata([topic])).topics[0]!.partitions[0]!
  await cluster.kill(before.leader) // SIGKILL; restart(nodeId) brings it back, ensureHealthy() does it all
  await cluster.waitUntil(30_000, 'a new leader', async () => {
    const now = (await cluster.metadata([topic])).topics[0]!.partitions[0]!
    return now.leader >= 0 && now.leader !== before.leader
  })
})
