import { randomBytes } from 'node:crypto'
import {
  type CodecRegistry,
  ControlRecordType,
  encodeControlRecordKey,
  encodeEndTransactionMarker,
  RecordBatchBuilder,
  type Uuid,
  ZERO_UUID,
} from '@x/protocol'
import type { ApiVersionRanges } from '../api-codecs.js'
import { BrokerError } from '../broker-error.js'
import type { Clock } from '../clock.js'
import { Faults } from '../faults/faults.js'
import { RequestLog } from '../faults/request-log.js'
import { PartitionLog } from '../log/partition-log.js'
import type { SaslSettings } from '../sasl/sasl-session.js'
import { TestkitError } from '../testkit-error.js'
import { TransactionCoordinator } from '../txn/transaction-coordinator.js'
import type { BrokerNode } from './broker-node.js'
import { TimerSet } from './timer-set.js'
import { parseTopicConfig, type TopicConfigDefaults } from './topic-config.js'
import { validateTopicName } from './topic-name.js'
import { type LeaderHint, PartitionState, TopicState } from './topic-state.js'

/** Cluster-wide settings, resolved from the start options. */
export interface ClusterSettings {
  readonly clusterId: string
  readonly autoCreateTopics: boolean
  readonly numPartitions: number
  readonly defaultReplicationFactor: number
  readonly topicDefaults: TopicConfigDefaults
  readonly validateRecords: boolean
  /** What a producer with no state here may send first: any sequence (Kafka 2.5+) or only 0. */
  readonly unknownProducerId: 'accept' | 'reject'
  readonly transactionMaxTimeoutMs: number
  readonly codecs: CodecRegistry
  /** What ApiVersions announces per API (the `apiVersions` option over what the broker implements). */
  readonly apiVersions: ApiVersionRanges
  /** SASL on every listener, or undefined for PLAINTEXT. */
  readonly sasl: SaslSettings | undefined
}

/** What a topic is created with. */
export interface TopicSpec {
  name: string
  /** Default: the cluster's `numPartitions`. */
  partitions?: number
  /** Default: the cluster's default (at most the number of brokers). */
  replicationFactor?: number
  /** Topic configs by Kafka name, e.g. `{ 'max.message.bytes': '65536', 'min.insync.replicas': '2' }`. */
  configs?: Record<string, string>
  /** Explicit replica lists per partition (the first is the leader). */
  assignments?: number[][]
}

/** Number of `__transaction_state` / `__consumer_offsets` partitions coordinators are spread over. */
const COORDINATOR_PARTITIONS = 50

/** Java's `String.hashCode`, which Kafka uses to place groups and transactional ids on coordinator partitions. */
function javaHashCode(value: string): number {
  let hash = 0
  for (let index = 0; index < value.length; index++)
    hash = (Math.imul(hash, 31) + value.charCodeAt(index)) | 0
  return hash
}

function randomTopicId(): Uuid {
  for (;;) {
    const id = randomBytes(16).toString('base64url')
    if (id !== ZERO_UUID && !id.startsWith('-')) return id
  }
}

/**
 * The state shared by every broker of the embedded cluster: brokers, topics with their logs, the
 * transaction coordinator, faults, the request log, the clock and its timers. Handlers read and change it;
 * `EmbeddedKafkaCluster` is its public face.
 */
export class ClusterModel {
  readonly brokers = new Map<number, BrokerNode>()
  readonly topics = new Map<string, TopicState>()
  readonly topicsById = new Map<Uuid, TopicState>()
  readonly timers: TimerSet
  readonly transactions: TransactionCoordinator
  readonly faults: Faults
  readonly requestLog: RequestLog
  /** Unexpected failures inside the brokers (a handler bug, an undecodable request): never swallowed, kept here. */
  readonly errors: { brokerId: number; error: unknown }[] = []
  private nextConnectionId = 1

  constructor(
    readonly settings: ClusterSettings,
    readonly clock: Clock,
    requestLogCapacity: number,
  ) {
    this.timers = new TimerSet(clock)
    this.transactions = new TransactionCoordinator(this, settings.transactionMaxTimeoutMs)
    this.requestLog = new RequestLog(requestLogCapacity)
    this.faults = new Faults({
      brokerDown: (id, options) => this.brokerDown(id, options),
      brokerUp: (id) => this.brokerUp(id),
      moveLeader: (topic, partition, broker, hint) => this.moveLeader(topic, partition, broker, hint),
      topicPartitions: (topic) => this.topics.get(topic)?.partitions.length ?? 0,
    })
  }

  reportError(brokerId: number, error: unknown): void {
    this.errors.push({ brokerId, error })
  }

  connectionId(): number {
    return this.nextConnectionId++
  }

  broker(id: number): BrokerNode {
    const broker = this.brokers.get(id)
    if (broker === undefined) {
      throw new TestkitError(
        'UNKNOWN_BROKER',
        `No broker ${id}: the cluster has brokers ${[...this.brokers.keys()].join(', ')}`,
      )
    }
    return broker
  }

  liveBrokers(): BrokerNode[] {
    return [...this.brokers.values()].filter((broker) => broker.isUp)
  }

  /** The broker a controller would report (the lowest live id). */
  controllerId(): number {
    return this.liveBrokers()[0]?.id ?? -1
  }

  partition(topic: string, index: number): PartitionState | undefined {
    return this.topics.get(topic)?.partitions[index]
  }

  /** In-sync replicas: every replica whose broker is up (replication is instant in memory). */
  isr(partition: PartitionState): number[] {
    return partition.replicas.filter((id) => this.brokers.get(id)?.isUp === true)
  }

  /**
   * Creates a topic the way Kafka's controller validates CreateTopics: legal name, not existing, positive
   * partition count, a replication factor the live brokers can host, known configs. Throws `BrokerError`.
   */
  createTopic(spec: TopicSpec, validateOnly = false): TopicState {
    validateTopicName(spec.name)
    if (this.topics.has(spec.name)) {
      throw new BrokerError('TOPIC_ALREADY_EXISTS', `Topic '${spec.name}' already exists.`)
    }
    const live = this.liveBrokers()
    let assignments = spec.assignments
    let partitions = spec.partitions ?? this.settings.numPartitions
    if (assignments !== undefined) {
      partitions = assignments.length
      for (const replicas of assignments) {
        for (const id of replicas) {
          if (!this.brokers.has(id)) {
            throw new BrokerError(
              'INVALID_REPLICA_ASSIGNMENT',
              `Replica assignment names broker ${id}, which does not exist`,
            )
          }
        }
      }
    }
    if (partitions === -1) partitions = this.settings.numPartitions
    if (!(partitions > 0)) {
      throw new BrokerError(
        'INVALID_PARTITIONS',
        'Number of partitions was set to an invalid non-positive value.',
      )
    }
    let replicationFactor =
      assignments?.[0]?.length ?? spec.replicationFactor ?? this.settings.defaultReplicationFactor
    if (replicationFactor === -1) replicationFactor = this.settings.defaultReplicationFactor
    if (!(replicationFactor > 0)) {
      throw new BrokerError(
        'INVALID_REPLICATION_FACTOR',
        'Replication factor must be larger than 0, or -1 to use the default value.',
      )
    }
    if (replicationFactor > live.length) {
      throw new BrokerError(
        'INVALID_REPLICATION_FACTOR',
        `Unable to replicate the partition ${replicationFactor} time(s): The target replication factor of ${replicationFactor} cannot be reached because only ${live.length} broker(s) are registered.`,
      )
    }
    const entries = new Map(Object.entries(spec.configs ?? {}))
    const config = parseTopicConfig(entries, this.settings.topicDefaults)
    if (validateOnly) {
      return new TopicState(spec.name, ZERO_UUID, [], config, entries, replicationFactor)
    }
    if (assignments === undefined) {
      const ids = live.map((broker) => broker.id)
      // Round-robin placement with a start that moves per topic, so leaders spread across brokers.
      const start = this.topics.size % ids.length
      assignments = []
      for (let index = 0; index < partitions; index++) {
        const replicas: number[] = []
        for (let r = 0; r < replicationFactor; r++) replicas.push(ids[(start + index + r) % ids.length]!)
        assignments.push(replicas)
      }
    }
    // segments roll at segment.bytes, at most 8 MiB, so retention.bytes can drop whole ones
    const segmentMaxBytes = Math.min(config.segmentBytes, 8 * 1024 * 1024)
    const states = assignments.map(
      (replicas, index) =>
        new PartitionState(
          spec.name,
          index,
          [...replicas],
          new PartitionLog(segmentMaxBytes, config.retentionBytes),
        ),
    )
    for (const state of states) this.electLeader(state, false)
    const topic = new TopicState(spec.name, randomTopicId(), states, config, entries, replicationFactor)
    this.topics.set(topic.name, topic)
    this.topicsById.set(topic.topicId, topic)
    return topic
  }

  deleteTopic(name: string): void {
    const topic = this.topics.get(name)
    if (topic === undefined)
      throw new TestkitError('UNKNOWN_TOPIC', `Cannot delete topic ${name}: it does not exist`)
    this.topics.delete(name)
    this.topicsById.delete(topic.topicId)
  }

  /** The broker coordinating `key` (a group or transactional id), skipping brokers that are down. */
  coordinatorFor(key: string): BrokerNode | undefined {
    const ids = [...this.brokers.keys()].sort((a, b) => a - b)
    const partition = (javaHashCode(key) & 0x7fffffff) % COORDINATOR_PARTITIONS
    for (let step = 0; step < ids.length; step++) {
      const broker = this.brokers.get(ids[(partition + step) % ids.length]!)!
      if (broker.isUp) return broker
    }
    return undefined
  }

  /** Appends a COMMIT/ABORT marker for `producerId` and settles its transaction in the partition. */
  writeTransactionMarker(
    partition: PartitionState,
    producerId: bigint,
    producerEpoch: number,
    committed: boolean,
    coordinatorEpoch: number,
  ): void {
    const builder = new RecordBatchBuilder(new Uint8Array(128), {
      isControlBatch: true,
      isTransactional: true,
      producerId,
      producerEpoch,
      baseSequence: -1,
      partitionLeaderEpoch: partition.leaderEpoch,
    })
    const type = committed ? ControlRecordType.COMMIT : ControlRecordType.ABORT
    builder.append(
      this.clock.now(),
      encodeControlRecordKey(type),
      encodeEndTransactionMarker(coordinatorEpoch),
      [],
    )
    const bytes = builder.close()
    const log = partition.log
    const stored = log.append(
      {
        bytes,
        recordCount: 1,
        maxTimestamp: this.clock.now(),
        producerId,
        producerEpoch,
        baseSequence: -1,
        isTransactional: true,
        isControl: true,
      },
      partition.leaderEpoch,
    )
    const state = log.producerState(producerId, producerEpoch)
    if (producerEpoch > state.epoch) {
      state.epoch = producerEpoch
      state.batches.length = 0
    }
    state.currentTxnFirstOffset = -1
    state.coordinatorEpoch = coordinatorEpoch
    const firstOffset = log.openTransactions.get(producerId)
    if (firstOffset !== undefined) {
      log.openTransactions.delete(producerId)
      if (!committed) log.abortedTransactions.push({ producerId, firstOffset, lastOffset: stored.baseOffset })
    }
  }

  /** Moves leadership to `brokerId` (adding it to the replicas if needed) with a new epoch. */
  moveLeader(topic: string, index: number, brokerId: number, hint: LeaderHint): void {
    const partition = this.partition(topic, index)
    if (partition === undefined)
      throw new TestkitError('UNKNOWN_TOPIC', `No partition ${topic}-${index} to move`)
    this.broker(brokerId)
    if (!partition.replicas.includes(brokerId)) partition.replicas.push(brokerId)
    partition.leaderId = brokerId
    partition.leaderEpoch += 1
    partition.leaderHint = hint
  }

  async brokerDown(brokerId: number, options: { electLeaders: boolean }): Promise<void> {
    const broker = this.broker(brokerId)
    if (!broker.isUp) return
    broker.isUp = false
    broker.closeConnections()
    await broker.listener?.close()
    for (const topic of this.topics.values()) {
      for (const partition of topic.partitions) {
        if (partition.leaderId !== brokerId) continue
        if (options.electLeaders) this.electLeader(partition, true)
      }
    }
  }

  async brokerUp(brokerId: number): Promise<void> {
    const broker = this.broker(brokerId)
    if (broker.isUp) return
    await broker.listener?.listen()
    broker.isUp = true
    for (const topic of this.topics.values()) {
      for (const partition of topic.partitions) {
        const leader = this.brokers.get(partition.leaderId)
        if (partition.replicas.includes(brokerId) && (leader === undefined || !leader.isUp)) {
          this.electLeader(partition, true)
        }
      }
    }
  }

  /** A controller's election: the first live replica leads, with a new epoch when leadership changes. */
  private electLeader(partition: PartitionState, bumpEpoch: boolean): void {
    const next = partition.replicas.find((id) => this.brokers.get(id)?.isUp === true) ?? -1
    if (next === partition.leaderId && next !== -1) return
    partition.leaderId = next
    partition.leaderHint = 'current'
    if (bumpEpoch) partition.leaderEpoch += 1
  }
}
