// Example (README "A custom partitioner"): VIP customers get partition 0; every other key is hashed as Java
// does. Runs against @x/testkit's embedded cluster over its in-memory transport.
import { type ClusterView, defaultPartition, type Partitioner, UNKNOWN_PARTITION } from '@x/partitioners'
import { KafkaProducer } from '@x/producer'
import { EmbeddedKafkaCluster } from '@x/testkit'
import { expect, it } from 'vitest'

class VipPartitioner implements Partitioner<string, string> {
  partition(
    topic: string,
    key: string | null | undefined,
    keyBytes: Uint8Array | null,
    _value: string | null | undefined,
    _valueBytes: Uint8Array | null,
    cluster: ClusterView,
  ): number {
    if (key?.startsWith('vip-')) return 0
    const partition = defaultPartition(topic, keyBytes, cluster)
    // Keyless records: any available partition but 0.
    return partition === UNKNOWN_PARTITION ? (cluster.availablePartitions(topic)[1] ?? 0) : partition
  }
}

it('places records with a custom partitioner', async () => {
  const cluster = await EmbeddedKafkaCluster.start({
    listen: false,
    topics: [{ name: 'orders', partitions: 4 }],
  })
  const producer = new KafkaProducer<string, string>({
    bootstrapServers: cluster.bootstrapServers,
    transport: cluster.transport,
    partitioner: new VipPartitioner(),
    enableIdempotence: false,
  })
  const vip = await producer.send({ topic: 'orders', key: 'vip-42', value: 'caviar' })
  const hashed = await producer.send({ topic: 'orders', key: 'foobar', value: 'bread' })
  await producer.close()
  expect(vip.partition).toBe(0)
  expect(hashed.partition).toBe(2) // Java: toPositive(murmur2("foobar")) % 4 = 1357151166 % 4
  await cluster.stop()
})
