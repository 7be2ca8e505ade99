// The README's example, run as written (keep the two in sync): a three-broker cluster, one produce over the
// in-memory transport, a "disconnect after append" fault, and the log read back.
import { RecordBatchBuilder } from '@x/protocol'
import { expect, it } from 'vitest'
import { leakedResources, snapshotActiveResources } from './active-resources.js'
import { EmbeddedKafkaCluster, KafkaWireClient } from './index.js'

it('runs the README example', async () => {
  const before = snapshotActiveResources()
  // --- README example start ---
  const cluster = await EmbeddedKafkaCluster.start({
    brokers: 3,
    topics: [{ name: 'orders', partitions: 3 }],
  })
  // Any Kafka client can use cluster.bootstrapServers; ours plug in cluster.transport (no sockets).
  const leader = cluster.brokers.find(
    (broker) => broker.id === cluster.topic('orders')!.partitions[0]!.leader,
  )!
  const client = await KafkaWireClient.connect({
    host: leader.host,
    port: leader.port,
    transport: cluster.transport,
  })

  const builder = new RecordBatchBuilder(new Uint8Array(1024))
  builder.append(Date.now(), new TextEncoder().encode('order-1'), new TextEncoder().encode('{"qty":1}'), [])
  const records = builder.close()
  const produce = {
    acks: -1,
    timeoutMs: 30_000,
    topicData: [{ name: 'orders', partitionData: [{ index: 0, records }] }],
  }

  // The broker appends the batch, then the connection drops before the response: the idempotence case.
  cluster.faults.disconnect({ api: 'Produce', when: 'after-handling' })
  await expect(client.request('Produce', produce)).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' })
  expect(cluster.records('orders', 0).map((record) => new TextDecoder().decode(record.value!))).toEqual([
    '{"qty":1}',
  ])
  expect(cluster.requestLog.entries({ api: 'Produce' })[0]!.outcome).toBe('disconnected')

  await cluster.stop() // closes every listener, connection and timer
  // --- README example end ---
  client.close()
  expect(await leakedResources(before)).toEqual([])
})
