// Issue acceptance for @x/protocol against a real Apache Kafka broker (the harness's single node, line from
// KAFKA_LINE): ApiVersions, Metadata and Produce encoded and decoded with the generated codecs, one Produce
// per compression codec carrying a batch built by RecordBatchBuilder, then the records read back by two
// independent clients, kcat (librdkafka, -X check.crcs=true) and the official Java consumer, which must
// both return exactly the keys, values, headers and timestamps that were written.
import {
  type ConsumedRecord,
  consumeWithJava,
  consumeWithKcat,
  createTopic,
  parseAddress,
  protocolRequest,
  sortRecords,
} from '@x/kafka-harness'
import { kafkaSingleNode, uniqueTopic } from '@x/kafka-harness/vitest'
import {
  type ApiInfo,
  type ApiVersionsResponse,
  apiVersionsApi,
  CodecRegistry,
  type CompressionName,
  metadataApi,
  type ProduceResponse,
  produceApi,
  RecordBatchBuilder,
  type RecordHeader,
  readApiVersionsResponse,
  readMetadataResponse,
  readProduceResponse,
  writeApiVersionsRequest,
  writeMetadataRequest,
  writeProduceRequest,
} from '@x/protocol'
import { beforeAll, describe, expect, it } from 'vitest'

const codecs: CompressionName[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd']
const encoder = new TextEncoder()

interface WrittenRecord {
  timestamp: number
  key: Uint8Array | null
  value: Uint8Array | null
  headers: RecordHeader[]
}

/** The records of one batch: text and binary bytes, null key and value, headers with a null value. */
function recordsFor(codec: CompressionName, baseTimestamp: number): WrittenRecord[] {
  const allBytes = Uint8Array.from({ length: 256 }, (_, i) => i)
  // compressible filler, so the compressed batch really differs from the plain one
  const repetitive = encoder.encode(`${codec} `.repeat(200))
  return [
    {
      timestamp: baseTimestamp,
      key: encoder.encode(`${codec}-k0`),
      value: encoder.encode('héllo ✓'),
      headers: [],
    },
    {
      timestamp: baseTimestamp + 1,
      key: allBytes,
      value: repetitive,
      headers: [
        { key: 'trace-id', value: encoder.encode('abc') },
        { key: 'empty', value: new Uint8Array() },
        { key: 'nil', value: null },
      ],
    },
    {
      timestamp: baseTimestamp + 2,
      key: null,
      value: allBytes.slice().reverse(),
      headers: [{ key: 'k', value: allBytes }],
    },
    { timestamp: baseTimestamp - 1_000, key: encoder.encode(`${codec}-tombstone`), value: null, headers: [] },
  ]
}

/** The highest version both this code and the broker support. */
function negotiate(api: ApiInfo, broker: ApiVersionsResponse): number {
  const range = broker.apiKeys.find((k) => k.apiKey === api.apiKey)
  if (!range) throw new Error(`broker does not support ${api.name}`)
  const version = Math.min(api.maxVersion, range.maxVersion)
  if (version < Math.max(api.minVersion, range.minVersion)) throw new Error(`no common ${api.name} version`)
  return version
}

describe('@x/protocol against a real broker', { tags: ['compat'] }, () => {
  const topic = uniqueTopic('protocol-produce-roundtrip')
  const baseTimestamp = Date.now() - 60_000
  const produced = new Map<CompressionName, { response: ProduceResponse; records: WrittenRecord[] }>()
  let apiVersions: ApiVersionsResponse
  let fromKcat: ConsumedRecord[] = []
  let fromJava: ConsumedRecord[] = []

  beforeAll(async () => {
    const node = kafkaSingleNode()
    await createTopic(node, { topic, partitions: codecs.length })
    const address = parseAddress(node.bootstrapServers)

    apiVersions = await protocolRequest(address, {
      api: apiVersionsApi,
      apiVersion: 3,
      body: { clientSoftwareName: 'x-protocol-roundtrip', clientSoftwareVersion: '0.0.0' },
      write: writeApiVersionsRequest,
      read: readApiVersionsResponse,
    })
    const metadataVersion = negotiate(metadataApi, apiVersions)
    const metadata = await protocolRequest(address, {
      api: metadataApi,
      apiVersion: metadataVersion,
      body: { topics: [{ name: topic }], allowAutoTopicCreation: false },
      write: writeMetadataRequest,
      read: readMetadataResponse,
    })
    const partitions = metadata.topics.find((t) => t.name === topic)!.partitions
    const registry = CodecRegistry.default()
    await registry.prepare('zstd')
    const produceVersion = negotiate(produceApi, apiVersions)

    for (const [partition, codec] of codecs.entries()) {
      const leader = partitions.find((p) => p.partitionIndex === partition)!.leaderId
      const broker = metadata.brokers.find((b) => b.nodeId === leader)!
      const records = recordsFor(codec, baseTimestamp)
      const builder = new RecordBatchBuilder(new Uint8Array(16_384), { compression: codec, codecs: registry })
      for (const r of records) builder.append(r.timestamp, r.key, r.value, r.headers)
      const batch = builder.close()
      const response = await protocolRequest(
        { host: broker.host, port: broker.port },
        {
          api: produceApi,
          apiVersion: produceVersion,
          body: {
            transactionalId: null,
            acks: -1,
            timeoutMs: 30_000,
            topicData: [{ name: topic, partitionData: [{ index: partition, records: batch }] }],
          },
          write: writeProduceRequest,
          read: readProduceResponse,
          timeoutMs: 30_000,
        },
      )
      produced.set(codec, { response, records })
    }

    const total = codecs.length * 4
    fromKcat = sortRecords(await consumeWithKcat({ bootstrapServers: node.bootstrapServers, topic }))
    fromJava = sortRecords(
      await consumeWithJava(node.tools, {
        bootstrapServers: node.bootstrapServers,
        topic,
        maxRecords: total,
      }),
    )
  })

  it('gets ApiVersions with error code 0 listing Produce, Metadata and ApiVersions', () => {
    expect(apiVersions.errorCode).toBe(0)
    const keys = apiVersions.apiKeys.map((k) => k.apiKey)
    expect(keys).toEqual(
      expect.arrayContaining([produceApi.apiKey, metadataApi.apiKey, apiVersionsApi.apiKey]),
    )
  })

  it('reads the same records with kcat (CRC-checked) and with the Java consumer', () => {
    expect(fromKcat).toHaveLength(codecs.length * 4)
    expect(fromJava).toEqual(fromKcat)
  })

  it.each(codecs)(
    'produces a %s batch with error code 0 and reads back exactly what was written',
    (codec) => {
      const { response, records } = produced.get(codec)!
      const partition = codecs.indexOf(codec)
      const result = response.responses[0]!.partitionResponses[0]!
      expect(response.responses[0]!.name).toBe(topic)
      expect(result.index).toBe(partition)
      expect(result.errorCode).toBe(0)
      expect(result.baseOffset).toBe(0n)

      for (const read of [fromKcat, fromJava]) {
        const got = read.filter((r) => r.partition === partition)
        expect(got.map((r) => r.offset)).toEqual([0n, 1n, 2n, 3n])
        expect(
          got.map((r) => ({
            timestamp: r.timestamp,
            key: r.key,
            value: r.value,
            headers: r.headers,
            type: r.timestampType,
          })),
        ).toEqual(records.map((r) => ({ ...r, type: 'CreateTime' })))
      }
    },
  )
})
