import {
  CodecRegistry,
  type DecodedRecord,
  type DecodedRecordBatch,
  decodeRecordBatches,
  type Uuid,
} from '@x/protocol'
import { type ApiName, announcedVersions } from './api-codecs.js'
import { type Clock, systemClock } from './clock.js'
import { BrokerNode } from './cluster/broker-node.js'
import { ClusterModel, type TopicSpec } from './cluster/cluster-model.js'
import type { TopicConfig } from './cluster/topic-config.js'
import type { TopicState } from './cluster/topic-state.js'
import type { Faults } from './faults/faults.js'
import type { RequestLog } from './faults/request-log.js'
import { InMemoryTransport } from './network/in-memory-transport.js'
import { TcpListener } from './network/tcp-listener.js'
import { SASL_MECHANISMS, type SaslMechanismName } from './sasl/sasl-server.js'
import type { SaslSettings } from './sasl/sasl-session.js'
import { TestkitError } from './testkit-error.js'
import type { Transport } from './transport.js'

export type { TopicSpec } from './cluster/cluster-model.js'

/** Options of {@link EmbeddedKafkaCluster.start}; every one has a default. */
export interface EmbeddedKafkaClusterOptions {
  /** Number of brokers, ids 1..n. Default 1. */
  brokers?: number
  /**
   * Open a TCP listener per broker on `host` with an ephemeral port (default true), so any Kafka client
   * (kcat, the Java client) can connect. `false` serves the in-memory `transport` only; brokers then have
   * virtual ports 9092, 9093, ... that only that transport knows.
   */
  listen?: boolean
  /** Listener and advertised host. Default `127.0.0.1`. */
  host?: string
  /** Topics to create at start. */
  topics?: readonly (TopicSpec | string)[]
  /** Broker `auto.create.topics.enable`: Metadata creates unknown topics. Default true. */
  autoCreateTopics?: boolean
  /** Broker `num.partitions` for auto-created topics and CreateTopics with -1. Default 1. */
  numPartitions?: number
  /** Broker `default.replication.factor`. Default min(3, brokers). */
  defaultReplicationFactor?: number
  /** Broker `message.max.bytes`, the default of topic `max.message.bytes`. Default 1048588. */
  messageMaxBytes?: number
  /** Broker `min.insync.replicas`. Default 1. */
  minInsyncReplicas?: number
  /** Broker `log.message.timestamp.after.max.ms`. Default 3600000 (Kafka 4). */
  timestampAfterMaxMs?: number
  /**
   * Broker `log.retention.bytes`, the default of topic `retention.bytes`: each partition keeps about this
   * many bytes, dropping whole oldest segments (up to 8 MiB each). Default -1, everything: set it for long
   * throughput runs, whose logs otherwise grow without bound in memory.
   */
  retentionBytes?: number
  /**
   * Walk every record of every produced batch (decompressing compressed ones) as the Java broker does.
   * Default true; false checks the batch header and CRC32C only, for throughput runs.
   */
  validateRecords?: boolean
  /**
   * A producer with no state in a partition may start at any sequence (`accept`, Kafka 2.5+); `reject`
   * answers UNKNOWN_PRODUCER_ID unless it starts at 0, as brokers before KIP-360 did.
   */
  unknownProducerId?: 'accept' | 'reject'
  /** Broker `transaction.max.timeout.ms`. Default 900000. */
  transactionMaxTimeoutMs?: number
  /**
   * Version ranges the brokers announce in ApiVersions instead of what they implement, by API name, e.g.
   * `{ Produce: { min: 3, max: 7 } }` to act as an older broker. A range stays within 0 and the newest
   * version the codecs know and may reach below what the broker implements (Produce 0-2), so a client's
   * negotiation can be tested against it; requests are served only at versions both announced and
   * implemented, others close the connection (an ApiVersions request gets the KIP-511 answer).
   */
  apiVersions?: Partial<Record<ApiName, { min: number; max: number }>>
  /**
   * Authenticate every connection (SASL_PLAINTEXT on the TCP listeners, and over the in-memory transport)
   * with one of `mechanisms` (`PLAIN`, `SCRAM-SHA-256`, `SCRAM-SHA-512`) against `users` (name → password).
   * Default: no authentication (PLAINTEXT).
   */
  sasl?: { mechanisms: readonly SaslMechanismName[]; users: Readonly<Record<string, string>> }
  /** Time source and timers. Default: the system clock; pass a `ManualClock` for determinism. */
  clock?: Clock
  /** Capacity of the request log; 0 or false turns it off (throughput runs). Default 1000. */
  requestLog?: number | false
  clusterId?: string
  /** Codecs for validating compressed batches. Default: `CodecRegistry.default()`, zstd prepared if it loads. */
  codecs?: CodecRegistry
}

/** A broker as tests see it. */
export interface BrokerInfo {
  readonly id: number
  readonly host: string
  readonly port: number
  readonly isUp: boolean
}

/** A partition's placement and offsets. */
export interface PartitionInfo {
  readonly partition: number
  readonly leader: number
  readonly leaderEpoch: number
  readonly replicas: readonly number[]
  readonly isr: readonly number[]
  readonly logStartOffset: number
  readonly highWatermark: number
  readonly lastStableOffset: number
}

/** A topic as tests see it. */
export interface TopicInfo {
  readonly name: string
  readonly topicId: Uuid
  readonly config: TopicConfig
  readonly partitions: readonly PartitionInfo[]
}

/** Options of {@link EmbeddedKafkaCluster.records}. */
export interface ReadRecordsOptions {
  /** `read_committed` hides aborted transactions and stops at the last stable offset. Default `read_uncommitted`. */
  isolation?: 'read_committed' | 'read_uncommitted'
  /** Include transaction markers (control records). Default false. */
  includeControl?: boolean
  /** First offset to return. Default: the log start offset. */
  fromOffset?: number
}

/**
 * An in-process Kafka cluster speaking the wire protocol: N brokers on loopback TCP and through an
 * in-memory `transport`, with in-memory partition logs, idempotence and transactions validated as Kafka
 * validates them, and deterministic fault injection (`faults`) and a `requestLog` for tests.
 *
 * ```ts
 * const cluster = await EmbeddedKafkaCluster.start({ brokers: 3, topics: [{ name: 'orders', partitions: 6 }] })
 * // any client: cluster.bootstrapServers, or cluster.transport without sockets
 * cluster.faults.disconnect({ api: 'Produce', when: 'after-handling' })
 * expect(cluster.records('orders', 0)).toHaveLength(1)
 * await cluster.stop() // closes every socket and timer
 * ```
 */
export class EmbeddedKafkaCluster {
  /** Connects to the brokers without sockets (the @x/sender `Transport` contract). */
  readonly transport: Transport
  private stopped = false

  private constructor(
    private readonly model: ClusterModel,
    private readonly listening: boolean,
  ) {
    this.transport = new InMemoryTransport(model)
  }

  static async start(options: EmbeddedKafkaClusterOptions = {}): Promise<EmbeddedKafkaCluster> {
    const brokerCount = options.brokers ?? 1
    if (!Number.isInteger(brokerCount) || brokerCount < 1) {
      throw new TestkitError('INVALID_OPTION', `brokers must be a positive integer, got ${options.brokers}`)
    }
    const codecs = options.codecs ?? CodecRegistry.default()
    if (!codecs.has('zstd')) {
      // The WebAssembly zstd codec is optional: without it zstd batches get UNSUPPORTED_COMPRESSION_TYPE.
      await codecs.prepare('zstd').catch(() => undefined)
    }
    const requestLog = options.requestLog === false ? 0 : (options.requestLog ?? 1000)
    const model = new ClusterModel(
      {
        clusterId: options.clusterId ?? 'x-testkit-embedded-kafka',
        autoCreateTopics: options.autoCreateTopics ?? true,
        numPartitions: options.numPartitions ?? 1,
        defaultReplicationFactor: options.defaultReplicationFactor ?? Math.min(3, brokerCount),
        topicDefaults: {
          messageMaxBytes: options.messageMaxBytes ?? 1048588,
          minInsyncReplicas: options.minInsyncReplicas ?? 1,
          timestampAfterMaxMs: options.timestampAfterMaxMs ?? 3_600_000,
          retentionBytes: options.retentionBytes ?? -1,
        },
        validateRecords: options.validateRecords ?? true,
        unknownProducerId: options.unknownProducerId ?? 'accept',
        transactionMaxTimeoutMs: options.transactionMaxTimeoutMs ?? 900_000,
        codecs,
        apiVersions: announcedVersions(options.apiVersions),
        sasl: saslSettings(options.sasl),
      },
      options.clock ?? systemClock,
      requestLog,
    )
    const host = options.host ?? '127.0.0.1'
    const listen = options.listen ?? true
    const cluster = new EmbeddedKafkaCluster(model, listen)
    for (let id = 1; id <= brokerCount; id++) {
      const broker = new BrokerNode(id, host, listen ? 0 : 9091 + id, null)
      model.brokers.set(id, broker)
      if (listen) broker.listener = new TcpListener(model, broker)
    }
    try {
      for (const broker of model.brokers.values()) await broker.listener?.listen()
      for (const topic of options.topics ?? []) cluster.createTopic(topic)
    } catch (error) {
      await cluster.stop()
      throw error
    }
    return cluster
  }

  /** `host:port,...` of the live brokers, for any Kafka client's `bootstrap.servers`. */
  get bootstrapServers(): string {
    return this.model
      .liveBrokers()
      .map((broker) => `${broker.host}:${broker.port}`)
      .join(',')
  }

  /** True when the brokers have TCP listeners (the `listen` option). */
  get isListening(): boolean {
    return this.listening
  }

  get clusterId(): string {
    return this.model.settings.clusterId
  }

  get clock(): Clock {
    return this.model.clock
  }

  /** Fault injection: errors, disconnects, latency, holds, throttling, brokers down/up, leader moves. */
  get faults(): Faults {
    return this.model.faults
  }

  /** The requests every broker received, with decoded bodies and outcomes. */
  get requestLog(): RequestLog {
    return this.model.requestLog
  }

  get brokers(): readonly BrokerInfo[] {
    return [...this.model.brokers.values()].map((broker) => ({
      id: broker.id,
      host: broker.host,
      port: broker.port,
      isUp: broker.isUp,
    }))
  }

  /** Unexpected failures inside the brokers (undecodable requests, handler bugs); empty in a healthy run. */
  get errors(): readonly { brokerId: number; error: unknown }[] {
    return this.model.errors
  }

  /**
   * Creates a topic (a name alone takes the defaults). Throws the broker's `ApiError` when Kafka would
   * refuse it (TOPIC_ALREADY_EXISTS, INVALID_REPLICATION_FACTOR, INVALID_CONFIG, ...).
   */
  createTopic(spec: TopicSpec | string): TopicInfo {
    const topic = this.model.createTopic(typeof spec === 'string' ? { name: spec } : spec)
    return this.describe(topic)
  }

  deleteTopic(name: string): void {
    this.model.deleteTopic(name)
  }

  /** The topic's id, config and partitions, or `undefined`. */
  topic(name: string): TopicInfo | undefined {
    const topic = this.model.topics.get(name)
    return topic === undefined ? undefined : this.describe(topic)
  }

  get topicNames(): string[] {
    return [...this.model.topics.keys()]
  }

  /** The decoded records of a partition log, as a consumer with `isolation` would read them. */
  records(topic: string, partition: number, options: ReadRecordsOptions = {}): DecodedRecord[] {
    const log = this.partitionState(topic, partition).log
    const readCommitted = options.isolation === 'read_committed'
    const from = options.fromOffset ?? log.logStartOffset
    const bound = readCommitted ? log.lastStableOffset : log.highWatermark
    const aborted = readCommitted ? log.abortedTransactions : []
    const records: DecodedRecord[] = []
    for (const batch of this.batches(topic, partition, from)) {
      if (batch.isControlBatch && options.includeControl !== true) continue
      if (Number(batch.baseOffset) >= bound) break
      if (
        batch.isTransactional &&
        !batch.isControlBatch &&
        aborted.some(
          (txn) =>
            txn.producerId === batch.producerId &&
            Number(batch.baseOffset) >= txn.firstOffset &&
            Number(batch.baseOffset) < txn.lastOffset,
        )
      ) {
        continue
      }
      for (const record of batch.records) if (Number(record.offset) >= from) records.push(record)
    }
    return records
  }

  /** The decoded batches of a partition log (CRC checked), from `fromOffset` (default the log start). */
  batches(topic: string, partition: number, fromOffset?: number): DecodedRecordBatch[] {
    const log = this.partitionState(topic, partition).log
    const codecs = this.model.settings.codecs
    return log.storedBatches(fromOffset).flatMap((bytes) => decodeRecordBatches(bytes, { codecs }))
  }

  /** Moves the log start offset forward (Kafka's DeleteRecords), dropping the batches before it. */
  deleteRecords(topic: string, partition: number, beforeOffset: number): void {
    this.partitionState(topic, partition).log.deleteRecordsBefore(beforeOffset)
  }

  /**
   * Forgets a producer id's state in every partition, as `producer.id.expiration.ms` does: its next
   * batch is treated as a new producer's (see the `unknownProducerId` option).
   */
  expireProducerId(producerId: bigint): void {
    for (const topic of this.model.topics.values()) {
      for (const partition of topic.partitions) partition.log.producers.delete(producerId)
    }
  }

  /** Offsets committed to `group` through transactions (TxnOffsetCommit + EndTxn COMMIT), by `topic-partition`. */
  committedOffsets(group: string): ReadonlyMap<string, bigint> {
    return this.model.transactions.committedOffsets.get(group) ?? new Map()
  }

  /** Closes every connection and listener and cancels every timer; waiting tests are rejected. */
  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    this.model.faults.abandon()
    this.model.requestLog.abandon()
    for (const broker of this.model.brokers.values()) {
      broker.closeConnections()
      await broker.listener?.close()
      broker.isUp = false
    }
    this.model.timers.cancelAll()
  }

  private partitionState(topic: string, partition: number) {
    const state = this.model.partition(topic, partition)
    if (state === undefined) {
      throw new TestkitError(
        'UNKNOWN_TOPIC',
        `No partition ${topic}-${partition}: create the topic first (cluster.createTopic)`,
      )
    }
    return state
  }

  private describe(topic: TopicState): TopicInfo {
    return {
      name: topic.name,
      topicId: topic.topicId,
      config: topic.config,
      partitions: topic.partitions.map((partition) => ({
        partition: partition.index,
        leader: partition.leaderId,
        leaderEpoch: partition.leaderEpoch,
        replicas: [...partition.replicas],
        isr: this.model.isr(partition),
        logStartOffset: partition.log.logStartOffset,
        highWatermark: partition.log.highWatermark,
        lastStableOffset: partition.log.lastStableOffset,
      })),
    }
  }
}

function saslSettings(sasl: EmbeddedKafkaClusterOptions['sasl']): SaslSettings | undefined {
  if (sasl === undefined) return undefined
  const unknown = sasl.mechanisms.filter((mechanism) => !SASL_MECHANISMS.includes(mechanism))
  if (sasl.mechanisms.length === 0 || unknown.length > 0) {
    throw new TestkitError(
      'INVALID_OPTION',
      `sasl.mechanisms must name at least one of ${SASL_MECHANISMS.join(', ')}${unknown.length > 0 ? `, got ${unknown.join(', ')}` : ''}`,
    )
  }
  return { mechanisms: [...sasl.mechanisms], users: new Map(Object.entries(sasl.users)) }
}
