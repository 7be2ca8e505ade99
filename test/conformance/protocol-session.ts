// A conformance session: wire clients to the brokers of one target, found through Metadata, and the few
// protocol steps every scenario needs (create a topic and wait for its leaders, find a coordinator,
// produce, fetch, list offsets). Only the generated codecs and @x/testkit's wire client: nothing of the
// producer under test, so the suite checks the brokers, not our client.
import {
  CodecRegistry,
  type CompressionName,
  type DecodedRecordBatch,
  decodeRecordBatches,
  ErrorCode,
  type FetchResponsePartitionData,
  type ListOffsetsResponseListOffsetsPartitionResponse,
  type MetadataResponse,
  type ProduceResponsePartitionProduceResponse,
  RecordBatchBuilder,
  type RecordHeader,
} from '@x/protocol'
import { KafkaWireClient, type Transport } from '@x/testkit'

/** Where a session connects: a host:port and how. */
export interface SessionTarget {
  readonly bootstrap: { host: string; port: number }
  readonly transport: Transport
}

export interface TestRecord {
  key: string | Uint8Array | null
  value: string | Uint8Array | null
  headers?: RecordHeader[]
  timestamp?: number
}

export interface BatchOptions {
  compression?: CompressionName
  producerId?: bigint
  producerEpoch?: number
  baseSequence?: number
  isTransactional?: boolean
}

/** Codecs for building and reading batches; zstd is prepared by `ProtocolSession.open` (WebAssembly on Node 20). */
export const codecs = CodecRegistry.default()

const encoder = new TextEncoder()
const bytes = (value: string | Uint8Array | null) =>
  typeof value === 'string' ? encoder.encode(value) : value

/** One RecordBatch v2 as a producer writes it, with optional producer state and compression. */
export function buildBatch(records: readonly TestRecord[], options: BatchOptions = {}): Uint8Array {
  const builder = new RecordBatchBuilder(new Uint8Array(1024), {
    compression: options.compression ?? 'none',
    codecs,
  })
  for (const record of records) {
    builder.append(
      record.timestamp ?? Date.now(),
      bytes(record.key),
      bytes(record.value),
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Retries `attempt` while it returns `undefined`, up to `timeoutMs`. */
export async function eventually<T>(
  what: string,
  attempt: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const result = await attempt()
    if (result !== undefined) return result
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(100)
  }
}

export class ProtocolSession {
  private readonly clients = new Map<string, KafkaWireClient>()

  private constructor(
    private readonly target: SessionTarget,
    readonly bootstrap: KafkaWireClient,
  ) {}

  static async open(target: SessionTarget): Promise<ProtocolSession> {
    await codecs.prepare()
    const client = await KafkaWireClient.connect({ ...target.bootstrap, transport: target.transport })
    await client.apiVersions()
    return new ProtocolSession(target, client)
  }

  close(): void {
    this.bootstrap.close()
    for (const client of this.clients.values()) client.close()
    this.clients.clear()
  }

  /** A connection to `host:port`, opened once and negotiated. */
  async client(host: string, port: number): Promise<KafkaWireClient> {
    const key = `${host}:${port}`
    let client = this.clients.get(key)
    if (client === undefined || client.isClosed) {
      client = await KafkaWireClient.connect({ host, port, transport: this.target.transport })
      await client.apiVersions()
      this.clients.set(key, client)
    }
    return client
  }

  metadata(topics: string[] | null, allowAutoTopicCreation = false): Promise<MetadataResponse> {
    return this.bootstrap.request('Metadata', {
      topics: topics === null ? null : topics.map((name) => ({ name })),
      allowAutoTopicCreation,
      includeTopicAuthorizedOperations: false,
    })
  }

  /** CreateTopics, then waits until every partition has a leader that answers ListOffsets. */
  async createTopic(
    name: string,
    options: { partitions?: number; configs?: Record<string, string> } = {},
  ): Promise<number> {
    const response = await this.bootstrap.request('CreateTopics', {
      topics: [
        {
          name,
          numPartitions: options.partitions ?? 1,
          replicationFactor: -1,
          assignments: [],
          configs: Object.entries(options.configs ?? {}).map(([key, value]) => ({ name: key, value })),
        },
      ],
      timeoutMs: 30_000,
      validateOnly: false,
    })
    const errorCode = response.topics[0]!.errorCode
    if (errorCode !== 0) return errorCode
    await this.waitForLeaders(name, options.partitions ?? 1)
    return 0
  }

  async waitForLeaders(topic: string, partitions: number): Promise<void> {
    await eventually(`leaders of ${topic}`, async () => {
      const metadata = await this.metadata([topic])
      const found = metadata.topics[0]
      if (found?.errorCode !== 0 || found.partitions.length !== partitions) return undefined
      for (const partition of found.partitions) {
        if (partition.leaderId < 0) return undefined
        const offsets = await this.listOffsets(topic, partition.partitionIndex, -1n)
        if (offsets.errorCode !== 0) return undefined
      }
      return true
    })
  }

  /** The current leader of a partition. */
  async leader(topic: string, partition: number): Promise<KafkaWireClient> {
    const metadata = await this.metadata([topic])
    const leaderId =
      metadata.topics[0]?.partitions.find((p) => p.partitionIndex === partition)?.leaderId ?? -1
    const broker = metadata.brokers.find((b) => b.nodeId === leaderId)
    if (broker === undefined) throw new Error(`No leader for ${topic}-${partition}`)
    return this.client(broker.host, broker.port)
  }

  /** The coordinator of a group (keyType 0) or transactional id (1), waiting out COORDINATOR_NOT_AVAILABLE. */
  async coordinator(keyType: 0 | 1, key: string): Promise<KafkaWireClient> {
    return eventually(`the coordinator of ${key}`, async () => {
      const batched = this.bootstrap.version('FindCoordinator') >= 4
      const response = await this.bootstrap.request(
        'FindCoordinator',
        batched ? { keyType, coordinatorKeys: [key] } : { key, keyType },
      )
      const found = batched ? response.coordinators[0]! : response
      if (found.errorCode !== 0) return undefined
      return this.client(found.host, found.port)
    })
  }

  async produce(
    topic: string,
    partition: number,
    records: Uint8Array | null,
    options: { acks?: number; transactionalId?: string | null; version?: number } = {},
  ): Promise<ProduceResponsePartitionProduceResponse> {
    const client = await this.leader(topic, partition)
    const response = await client.request(
      'Produce',
      {
        transactionalId: options.transactionalId ?? null,
        acks: options.acks ?? -1,
        timeoutMs: 30_000,
        topicData: [{ name: topic, partitionData: [{ index: partition, records }] }],
      },
      { version: options.version },
    )
    return response.responses[0]!.partitionResponses[0]!
  }

  async fetch(
    topic: string,
    partition: number,
    offset: bigint,
    options: { isolation?: 'read_committed' | 'read_uncommitted'; maxWaitMs?: number } = {},
  ): Promise<{ partition: FetchResponsePartitionData; batches: DecodedRecordBatch[] }> {
    const client = await this.leader(topic, partition)
    const metadata = await this.metadata([topic])
    const response = await client.request('Fetch', {
      maxWaitMs: options.maxWaitMs ?? 0,
      minBytes: 1,
      maxBytes: 52_428_800,
      isolationLevel: options.isolation === 'read_committed' ? 1 : 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [
        {
          topic,
          topicId: metadata.topics[0]!.topicId,
          partitions: [{ partition, fetchOffset: offset, partitionMaxBytes: 1_048_576 }],
        },
      ],
      forgottenTopicsData: [],
      rackId: '',
    })
    const data = response.responses[0]!.partitions[0]!
    return {
      partition: data,
      batches: data.records === null ? [] : decodeRecordBatches(data.records, { codecs }),
    }
  }

  async listOffsets(
    topic: string,
    partition: number,
    timestamp: bigint,
    isolation: 'read_committed' | 'read_uncommitted' = 'read_uncommitted',
  ): Promise<ListOffsetsResponseListOffsetsPartitionResponse> {
    const client = await this.leader(topic, partition)
    const response = await client.request('ListOffsets', {
      replicaId: -1,
      isolationLevel: isolation === 'read_committed' ? 1 : 0,
      topics: [{ name: topic, partitions: [{ partitionIndex: partition, timestamp }] }],
    })
    return response.topics[0]!.partitions[0]!
  }

  /** InitProducerId on the right broker, retrying the answers Kafka means to be retried. */
  async initProducerId(
    transactionalId: string | null,
    options: { producerId?: bigint; producerEpoch?: number; retry?: boolean } = {},
  ): Promise<{ errorCode: number; producerId: bigint; producerEpoch: number }> {
    const retriable: number[] = [
      ErrorCode.CONCURRENT_TRANSACTIONS,
      ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
      ErrorCode.NOT_COORDINATOR,
    ]
    return eventually('InitProducerId', async () => {
      const client = transactionalId === null ? this.bootstrap : await this.coordinator(1, transactionalId)
      const response = await client.request('InitProducerId', {
        transactionalId,
        transactionTimeoutMs: 60_000,
        producerId: options.producerId ?? -1n,
        producerEpoch: options.producerEpoch ?? -1,
      })
      if (options.retry !== false && retriable.includes(response.errorCode)) return undefined
      return response
    })
  }
}
