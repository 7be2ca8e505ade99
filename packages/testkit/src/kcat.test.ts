// Another client than ours: kcat 1.7.1 (librdkafka 2.0.2, /usr/bin/kcat) against the embedded cluster over
// TCP. It negotiates ApiVersions v3, Metadata v4, Produce v7, Fetch v11, ListOffsets v2 and, for
// idempotence and transactions, InitProducerId v4, FindCoordinator, AddPartitionsToTxn and EndTxn. Reads
// run with `-X check.crcs=true`, so every stored batch's CRC32C is checked by librdkafka, not by us.
//
// librdkafka up to 2.11 only compresses with gzip, snappy or lz4 when the broker still serves Produce v0
// (rd_kafka_msgset_writer_select_MsgVersion), so against Kafka 4 and this cluster (Produce from v3,
// KIP-896) kcat sends those uncompressed; zstd (Produce v7) is the codec it compresses with here.
import { consumeWithKcat, produceWithKcat } from '@x/kafka-harness'
import { ErrorCode } from '@x/protocol'
import { describe, expect, it } from 'vitest'
import { batchOf, produceRequest, text, useCluster } from './testing/cluster-fixture.js'

describe('kcat against the embedded cluster', () => {
  const { cluster, connect } = useCluster({
    brokers: 3,
    topics: [{ name: 'kcat', partitions: 2, replicationFactor: 2 }],
  })

  it('reads back what kcat produced, idempotently and compressed, with CRC checks on', async () => {
    const allBytes = Uint8Array.from({ length: 256 }, (_, index) => index)
    await produceWithKcat({
      bootstrapServers: cluster().bootstrapServers,
      topic: 'kcat',
      partition: 0,
      compression: 'zstd',
      headers: [{ key: 'trace', value: 'abc' }],
      config: { 'enable.idempotence': 'true' },
      records: [
        { key: 'k1', value: 'v1' },
        { key: allBytes, value: allBytes.slice().reverse() },
        { key: 'k3', value: 'compressible '.repeat(200) },
      ],
    })
    await produceWithKcat({
      bootstrapServers: cluster().bootstrapServers,
      topic: 'kcat',
      partition: 1,
      compression: 'lz4',
      records: [{ key: 'k2', value: 'sent uncompressed '.repeat(50) }],
    })
    const consumed = await consumeWithKcat({ bootstrapServers: cluster().bootstrapServers, topic: 'kcat' })
    const byPartition = (partition: number) => consumed.filter((record) => record.partition === partition)
    expect(byPartition(0).map((record) => [record.offset, text(record.key)])).toEqual([
      [0n, 'k1'],
      [1n, text(allBytes)],
      [2n, 'k3'],
    ])
    expect(byPartition(0)[1]!.value).toEqual(allBytes.slice().reverse())
    expect(byPartition(0)[0]!.headers).toEqual([{ key: 'trace', value: new TextEncoder().encode('abc') }])
    expect(byPartition(1).map((record) => text(record.value))).toEqual(['sent uncompressed '.repeat(50)])
    const stored = cluster().batches('kcat', 0)
    expect(stored.map((batch) => batch.compression)).toEqual(['zstd'])
    expect(stored.every((batch) => batch.producerId >= 0n && batch.baseSequence === 0)).toBe(true)
    expect(
      cluster()
        .batches('kcat', 1)
        .map((batch) => batch.compression),
    ).toEqual(['none'])
    expect(cluster().requestLog.entries({ api: 'InitProducerId' })).not.toEqual([])
  })

  it('reads records our RecordBatchBuilder wrote, in every codec, byte for byte', async () => {
    const leader = cluster().topic('kcat')!.partitions[1]!.leader
    const client = await connect(leader)
    const codecs = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const
    for (const [index, compression] of codecs.entries()) {
      const records = [
        {
          key: `key-${compression}`,
          value: `value-${compression}`,
          headers: [{ key: 'codec', value: new TextEncoder().encode(compression) }],
        },
        { key: null, value: null },
      ]
      const response = await client.request(
        'Produce',
        produceRequest('kcat', 1, batchOf(records, { compression })),
      )
      expect(response.responses[0]!.partitionResponses[0]!).toMatchObject({
        errorCode: ErrorCode.NONE,
        baseOffset: BigInt(index * 2),
      })
    }
    const consumed = await consumeWithKcat({
      bootstrapServers: cluster().bootstrapServers,
      topic: 'kcat',
      partition: 1,
    })
    expect(consumed.map((record) => [record.offset, text(record.key), text(record.value)])).toEqual(
      codecs.flatMap((compression, index) => [
        [BigInt(index * 2), `key-${compression}`, `value-${compression}`],
        [BigInt(index * 2 + 1), null, null],
      ]),
    )
    expect(consumed[8]!.headers).toEqual([{ key: 'codec', value: new TextEncoder().encode('zstd') }])
  })

  it('runs a kcat transaction (FindCoordinator, AddPartitionsToTxn, EndTxn) that read_committed then sees', async () => {
    await produceWithKcat({
      bootstrapServers: cluster().bootstrapServers,
      topic: 'kcat',
      partition: 0,
      config: { 'transactional.id': 'kcat-txn' },
      records: [{ key: 'tx', value: 'committed' }],
    })
    const committed = await consumeWithKcat({
      bootstrapServers: cluster().bootstrapServers,
      topic: 'kcat',
      partition: 0,
      isolationLevel: 'read_committed',
    })
    expect(committed.map((record) => text(record.value))).toEqual(['committed'])
    expect(
      cluster()
        .records('kcat', 0, { includeControl: true })
        .map((record) => record.controlType),
    ).toEqual([undefined, 1])
    for (const api of ['FindCoordinator', 'AddPartitionsToTxn', 'EndTxn'] as const) {
      expect(cluster().requestLog.entries({ api }).length, api).toBeGreaterThan(0)
    }
  })
})
