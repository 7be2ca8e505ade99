// Test support (not exported): an embedded cluster per test that must leave no socket, server or timer
// behind, a wire client to one of its brokers, and record batches written by @x/protocol's builder.
import { CodecRegistry, type CompressionName, RecordBatchBuilder, type RecordHeader } from '@x/protocol'
import { afterEach, beforeEach, expect } from 'vitest'
import { leakedResources, type ResourceSnapshot, snapshotActiveResources } from '../active-resources.js'
import { EmbeddedKafkaCluster, type EmbeddedKafkaClusterOptions } from '../embedded-kafka-cluster.js'
import type { Transport } from '../transport.js'
import { KafkaWireClient } from '../wire-client/kafka-wire-client.js'

/**
 * Starts a cluster before each test and, after it, stops the cluster, checks it reported no internal
 * error and that the process has no more handles than before the test.
 */
export function useCluster(options: EmbeddedKafkaClusterOptions = {}): {
  cluster: () => EmbeddedKafkaCluster
  connect: (brokerId?: number, transport?: Transport) => Promise<KafkaWireClient>
} {
  let cluster: EmbeddedKafkaCluster | undefined
  let before: ResourceSnapshot = new Map()
  const clients: KafkaWireClient[] = []
  beforeEach(async () => {
    await codecs.prepare()
    before = snapshotActiveResources()
    cluster = await EmbeddedKafkaCluster.start(options)
  })
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close()
    const errors = cluster?.errors ?? []
    await cluster?.stop()
    cluster = undefined
    expect(errors).toEqual([])
    expect(await leakedResources(before)).toEqual([])
  })
  return {
    cluster: () => cluster!,
    async connect(brokerId = 1, transport?: Transport) {
      const broker = cluster!.brokers.find((candidate) => candidate.id === brokerId)!
      const client = await KafkaWireClient.connect({
        host: broker.host,
        port: broker.port,
        transport: transport ?? cluster!.transport,
      })
      clients.push(client)
      return client
    },
  }
}

export interface TestRecord {
  key?: string | null
  value: string | null
  timestamp?: number
  headers?: RecordHeader[]
}

export interface TestBatchOptions {
  compression?: CompressionName
  producerId?: bigint
  producerEpoch?: number
  baseSequence?: number
  isTransactional?: boolean
}

const encoder = new TextEncoder()
/** Codecs for test batches; zstd is prepared before each test (WebAssembly on Node 20). */
const codecs = CodecRegistry.default()

/** One RecordBatch v2, as a producer writes it. */
export function batchOf(
  records: readonly (TestRecord | string)[],
  options: TestBatchOptions = {},
): Uint8Array {
  const builder = new RecordBatchBuilder(new Uint8Array(256), {
    compression: options.compression ?? 'none',
    codecs,
  })
  for (const entry of records) {
    const record = typeof entry === 'string' ? { key: null, value: entry } : entry
    builder.append(
      record.timestamp ?? Date.now(),
      record.key === undefined || record.key === null ? null : encoder.encode(record.key),
      record.value === null ? null : encoder.encode(record.value),
      record.headers ?? [],
    )
  }
  if (options.producerId !== undefined) {
    builder.setProducerState(
      options.producerId,
      options.producerEpoch ?? 0,
      options.baseSequence ?? 0,
      options.isTransactional ?? false,
    )
  }
  return builder.close().slice()
}

/** A Produce request body for one partition. */
export function produceRequest(
  topic: string,
  partition: number,
  records: Uint8Array | null,
  options: { acks?: number; transactionalId?: string | null } = {},
) {
  return {
    transactionalId: options.transactionalId ?? null,
    acks: options.acks ?? -1,
    timeoutMs: 30_000,
    topicData: [{ name: topic, partitionData: [{ index: partition, records }] }],
  }
}

/** A Fetch request body for one partition (by name; versions before 13). */
export function fetchRequest(
  topic: string,
  partition: number,
  offset: bigint,
  options: {
    maxWaitMs?: number
    minBytes?: number
    maxBytes?: number
    partitionMaxBytes?: number
    isolationLevel?: number
    topicId?: string
    currentLeaderEpoch?: number
  } = {},
) {
  return {
    maxWaitMs: options.maxWaitMs ?? 0,
    minBytes: options.minBytes ?? 1,
    maxBytes: options.maxBytes ?? 52_428_800,
    isolationLevel: options.isolationLevel ?? 0,
    sessionId: 0,
    sessionEpoch: -1,
    topics: [
      {
        topic,
        topicId: options.topicId ?? 'AAAAAAAAAAAAAAAAAAAAAA',
        partitions: [
          {
            partition,
            fetchOffset: offset,
            partitionMaxBytes: options.partitionMaxBytes ?? 1_048_576,
            currentLeaderEpoch: options.currentLeaderEpoch ?? -1,
          },
        ],
      },
    ],
    forgottenTopicsData: [],
    rackId: '',
  }
}

export const text = (bytes: Uint8Array | null): string | null =>
  bytes === null ? null : new TextDecoder().decode(bytes)
