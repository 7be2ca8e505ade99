// The cluster's lifecycle and its test-facing API: start and stop leave nothing behind, topics and
// records as tests read them, the stored bytes as a broker keeps them, and the two ways in (TCP and the
// in-memory transport).
import { ErrorCode } from '@x/protocol'
import { describe, expect, it } from 'vitest'
import { leakedResources, snapshotActiveResources } from './active-resources.js'
import { EmbeddedKafkaCluster } from './embedded-kafka-cluster.js'
import { tcpTransport } from './network/tcp-transport.js'
import { batchOf, produceRequest, text, useCluster } from './testing/cluster-fixture.js'
import { KafkaWireClient } from './wire-client/kafka-wire-client.js'

describe('EmbeddedKafkaCluster lifecycle', () => {
  it('closes every listener, connection and timer on stop, even with clients connected and fetches parked', async () => {
    const before = snapshotActiveResources()
    const cluster = await EmbeddedKafkaCluster.start({ brokers: 3, topics: ['events'] })
    expect(cluster.bootstrapServers.split(',')).toHaveLength(3)
    const broker = cluster.brokers[0]!
    const overTcp = await KafkaWireClient.connect({ host: broker.host, port: broker.port })
    const inMemory = await KafkaWireClient.connect({
      host: broker.host,
      port: broker.port,
      transport: cluster.transport,
    })
    const leader = cluster.topic('events')!.partitions[0]!.leader
    const leaderBroker = cluster.brokers.find((b) => b.id === leader)!
    const fetcher = await KafkaWireClient.connect({ host: leaderBroker.host, port: leaderBroker.port })
    const parked = fetcher.request('Fetch', {
      maxWaitMs: 60_000,
      minBytes: 1,
      maxBytes: 1 << 20,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [
        {
          topic: 'events',
          topicId: cluster.topic('events')!.topicId,
          partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }],
        },
      ],
      forgottenTopicsData: [],
      rackId: '',
    })
    await cluster.requestLog.waitFor((entry) => entry.api === 'Fetch')
    await cluster.stop()
    await expect(parked).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' })
    await expect(overTcp.request('Metadata', { topics: null })).rejects.toThrow()
    await expect(inMemory.request('Metadata', { topics: null })).rejects.toThrow()
    for (const client of [overTcp, inMemory, fetcher]) client.close()
    expect(await leakedResources(before)).toEqual([])
  })

  it('serves the in-memory transport only when started without listeners', async () => {
    const before = snapshotActiveResources()
    const cluster = await EmbeddedKafkaCluster.start({ listen: false, brokers: 2 })
    expect(cluster.isListening).toBe(false)
    expect(cluster.bootstrapServers).toBe('127.0.0.1:9092,127.0.0.1:9093')
    const client = await KafkaWireClient.connect({
      host: '127.0.0.1',
      port: 9093,
      transport: cluster.transport,
    })
    const metadata = await client.request('Metadata', { topics: null })
    expect(metadata.brokers.map((b) => [b.nodeId, b.port])).toEqual([
      [1, 9092],
      [2, 9093],
    ])
    await expect(KafkaWireClient.connect({ host: '127.0.0.1', port: 9092 })).rejects.toMatchObject({
      code: 'CONNECTION_REFUSED',
    })
    client.close()
    await cluster.stop()
    expect(await leakedResources(before)).toEqual([])
  })

  it('keeps about retentionBytes per partition, so long throughput runs stay bounded in memory', async () => {
    const before = snapshotActiveResources()
    const cluster = await EmbeddedKafkaCluster.start({
      listen: false,
      retentionBytes: 1024,
      topics: [{ name: 't', configs: { 'segment.bytes': '512' } }],
    })
    const client = await KafkaWireClient.connect({
      host: '127.0.0.1',
      port: 9092,
      transport: cluster.transport,
    })
    for (let i = 0; i < 20; i++)
      await client.request('Produce', produceRequest('t', 0, batchOf(['x'.repeat(200)])))
    const partition = cluster.topic('t')!.partitions[0]!
    expect(partition.highWatermark).toBe(20)
    expect(partition.logStartOffset).toBeGreaterThan(10)
    expect(cluster.records('t', 0).length).toBe(20 - partition.logStartOffset)
    client.close()
    await cluster.stop()
    expect(await leakedResources(before)).toEqual([])
  })

  it('refuses a broker count that is not a positive integer', async () => {
    await expect(EmbeddedKafkaCluster.start({ brokers: 0 })).rejects.toMatchObject({ code: 'INVALID_OPTION' })
  })

  it('stops cleanly when a start-up topic is invalid', async () => {
    const before = snapshotActiveResources()
    await expect(EmbeddedKafkaCluster.start({ topics: [{ name: 'bad name' }] })).rejects.toMatchObject({
      errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION,
    })
    expect(await leakedResources(before)).toEqual([])
  })
})

describe('EmbeddedKafkaCluster topics and records', () => {
  const { cluster, connect } = useCluster({
    brokers: 3,
    topics: [{ name: 'orders', partitions: 3, replicationFactor: 2 }],
  })

  it('spreads partitions and leaders over the brokers with the requested replication factor', () => {
    const topic = cluster().topic('orders')!
    expect(topic.partitions.map((p) => p.replicas.length)).toEqual([2, 2, 2])
    expect(new Set(topic.partitions.map((p) => p.leader)).size).toBe(3)
    for (const partition of topic.partitions) expect(partition.isr).toEqual(partition.replicas)
  })

  it('throws the broker error for a topic Kafka would refuse', () => {
    expect(() => cluster().createTopic('orders')).toThrow(/already exists/)
    expect(() => cluster().createTopic({ name: 'wide', replicationFactor: 4 })).toThrow(/only 3 broker/)
    expect(() => cluster().createTopic({ name: 'odd', configs: { 'max.message.bytez': '1' } })).toThrow(
      /Unknown topic config/,
    )
  })

  it('stores batches as received with the base offset and leader epoch written in place', async () => {
    const leader = cluster().topic('orders')!.partitions[1]!.leader
    const client = await connect(leader)
    const first = batchOf(['a', 'b'])
    const second = batchOf(['c'])
    await client.request('Produce', produceRequest('orders', 1, first))
    await client.request('Produce', produceRequest('orders', 1, second))
    const batches = cluster().batches('orders', 1)
    expect(batches.map((batch) => [batch.baseOffset, batch.recordCount, batch.partitionLeaderEpoch])).toEqual(
      [
        [0n, 2, 0],
        [2n, 1, 0],
      ],
    )
    // everything after the base offset is the producer's bytes, untouched (its CRC still holds)
    expect(batches[1]!.crc).toBe(new DataView(second.buffer).getUint32(17))
    expect(
      cluster()
        .records('orders', 1)
        .map((record) => [record.offset, text(record.value)]),
    ).toEqual([
      [0n, 'a'],
      [1n, 'b'],
      [2n, 'c'],
    ])
    expect(
      cluster()
        .records('orders', 1, { fromOffset: 1 })
        .map((record) => text(record.value)),
    ).toEqual(['b', 'c'])
    expect(cluster().topic('orders')!.partitions[1]!.highWatermark).toBe(3)
  })

  it('moves the log start offset with deleteRecords and reports it to ListOffsets EARLIEST', async () => {
    const leader = cluster().topic('orders')!.partitions[0]!.leader
    const client = await connect(leader)
    for (const value of ['a', 'b', 'c'])
      await client.request('Produce', produceRequest('orders', 0, batchOf([value])))
    cluster().deleteRecords('orders', 0, 2)
    const offsets = await client.request('ListOffsets', {
      replicaId: -1,
      isolationLevel: 0,
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, timestamp: -2n }] }],
    })
    expect(offsets.topics[0]!.partitions[0]!.offset).toBe(2n)
    expect(
      cluster()
        .records('orders', 0)
        .map((record) => text(record.value)),
    ).toEqual(['c'])
  })

  it('answers the same over TCP and over the in-memory transport', async () => {
    const broker = cluster().brokers[0]!
    const overTcp = await connect(broker.id, tcpTransport)
    const inMemory = await connect(broker.id)
    const [a, b] = await Promise.all([
      overTcp.request('Metadata', { topics: [{ name: 'orders' }] }),
      inMemory.request('Metadata', { topics: [{ name: 'orders' }] }),
    ])
    expect(a).toEqual(b)
  })

  it('refuses in-memory connections to an address no broker has', async () => {
    await expect(cluster().transport.connect({ host: '127.0.0.1', port: 1 })).rejects.toMatchObject({
      code: 'CONNECTION_REFUSED',
      retriable: true,
    })
  })
})
