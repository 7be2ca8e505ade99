import { ExponentialBackoff } from '@x/accumulator'
import type { ClusterView, TopicPartition } from '@x/partitioners'
import { ApiError, ErrorCode, type KafkaError, type MetadataResponse } from '@x/protocol'
import { type Observable, Subject } from 'rxjs'
import { MAX_TIMER_DELAY_MS, type SenderClock, systemClock } from '../clock.js'
import { SenderClosedError } from '../errors/sender-closed-error.js'
import { TimeoutError } from '../errors/timeout-error.js'
import type { BrokerNode } from '../network/broker-node.js'
import { Cluster, type PartitionMetadata, type TopicMetadata } from './cluster.js'
import { isInvalidMetadataError } from './invalid-metadata-errors.js'

export interface MetadataOptions {
  /** `metadata.max.age.ms`: refresh at least this often. Default 300000. */
  metadataMaxAgeMs?: number
  /** `metadata.max.idle.ms`: stop tracking a topic not sent to for this long. Default 300000. */
  metadataMaxIdleMs?: number
  /** `retry.backoff.ms`: the wait between refreshes. Default 100. */
  retryBackoffMs?: number
  /** `retry.backoff.max.ms`: the cap of that wait after repeated failures. Default 1000. */
  retryBackoffMaxMs?: number
  /** `allow.auto.create.topics`. Default true. */
  allowAutoTopicCreation?: boolean
  clock?: SenderClock
  random?: () => number
}

/** One change of the cluster view. */
export interface MetadataUpdate {
  readonly cluster: Cluster
  /** Increments with every change. */
  readonly version: number
  /** A Metadata response, a new-leader hint from a Produce response (KIP-951), or the bootstrap addresses. */
  readonly source: 'metadata-response' | 'leader-hint' | 'bootstrap'
}

/** A new-leader hint from a Produce response (`current_leader`, KIP-951). */
export interface LeaderHint {
  readonly topic: string
  readonly partition: number
  readonly leaderId: number
  readonly leaderEpoch: number
}

interface Waiter {
  readonly topic: string
  readonly partition: number | undefined
  readonly maxBlockMs: number
  readonly resolve: (cluster: Cluster) => void
  readonly reject: (error: Error) => void
  timer: unknown
}

const METADATA_BACKOFF_EXP_BASE = 2
const METADATA_BACKOFF_JITTER = 0.2

/**
 * The producer's cluster metadata (Java `ProducerMetadata` over `Metadata`): the current `Cluster`
 * snapshot, the topics being tracked (each dropped after `metadata.max.idle.ms` without a send), when the
 * next refresh is due (`metadata.max.age.ms`, or now when requested, never faster than the retry backoff),
 * and `waitOnMetadata` for sends to topics not known yet. Partition data with an older leader epoch than
 * already seen is ignored, as Java does, so a stale broker cannot move a leader back.
 *
 * Implements `ClusterView` by delegating to the current snapshot. Changes are pushed on `updates$`;
 * refresh requests on `updateRequests$` (the sender merges both into its wake-ups).
 */
export class Metadata implements ClusterView {
  readonly updates$: Observable<MetadataUpdate>
  readonly updateRequests$: Observable<void>
  readonly allowAutoTopicCreation: boolean
  private readonly updates = new Subject<MetadataUpdate>()
  private readonly requests = new Subject<void>()
  private readonly clock: SenderClock
  private readonly maxAgeMs: number
  private readonly maxIdleMs: number
  private readonly refreshBackoff: ExponentialBackoff
  private current: Cluster = Cluster.empty()
  private version = 0
  /** Tracked topics and when each stops being tracked unless sent to again. */
  private readonly topics = new Map<string, { expiryMs: number }>()
  private readonly lastSeenLeaderEpochs = new Map<string, Map<number, number>>()
  /** A fresh metadata has nothing: the first refresh is due at once (Java sets it in `bootstrap`). */
  private needUpdate = true
  private requestVersion = 0
  private lastRefreshMs = 0
  private lastSuccessfulRefreshMs = 0
  private failedAttempts = 0
  private backoffMs: number
  private fatal: KafkaError | undefined
  private readonly waiters = new Set<Waiter>()
  private closed = false

  constructor(options: MetadataOptions = {}) {
    this.clock = options.clock ?? systemClock
    this.maxAgeMs = options.metadataMaxAgeMs ?? 300_000
    this.maxIdleMs = options.metadataMaxIdleMs ?? 300_000
    this.allowAutoTopicCreation = options.allowAutoTopicCreation ?? true
    const retryBackoffMs = options.retryBackoffMs ?? 100
    this.refreshBackoff = new ExponentialBackoff(
      retryBackoffMs,
      METADATA_BACKOFF_EXP_BASE,
      Math.max(retryBackoffMs, options.retryBackoffMaxMs ?? 1000),
      METADATA_BACKOFF_JITTER,
      options.random,
    )
    this.backoffMs = this.refreshBackoff.backoff(0)
    this.updates$ = this.updates.asObservable()
    this.updateRequests$ = this.requests.asObservable()
  }

  /** The current snapshot. */
  fetch(): Cluster {
    return this.current
  }

  /** Increments with every change of the snapshot. */
  get updateVersion(): number {
    return this.version
  }

  /** Installs the bootstrap addresses as the cluster until the first metadata response. */
  bootstrap(nodes: readonly BrokerNode[]): void {
    this.current = Cluster.bootstrap(nodes)
    this.needUpdate = true
    this.publish('bootstrap')
  }

  /**
   * Tracks `topic` (or keeps tracking it: each call restarts its `metadata.max.idle.ms`). A topic seen for
   * the first time asks for a refresh at once, skipping the backoff (Java `requestUpdateForNewTopics`).
   */
  add(topic: string, nowMs: number): void {
    const entry = this.topics.get(topic)
    if (entry !== undefined) {
      entry.expiryMs = nowMs + this.maxIdleMs
      return
    }
    this.topics.set(topic, { expiryMs: nowMs + this.maxIdleMs })
    this.lastRefreshMs = 0
    this.requestUpdate()
  }

  /** The topics tracked now (topics idle for `metadata.max.idle.ms` are dropped, unless someone waits). */
  topicsToRequest(nowMs: number): string[] {
    const names: string[] = []
    for (const [topic, entry] of this.topics) {
      if (entry.expiryMs <= nowMs && !this.hasWaiter(topic)) {
        this.topics.delete(topic)
        this.lastSeenLeaderEpochs.delete(topic)
        continue
      }
      names.push(topic)
    }
    return names
  }

  /** Asks for a refresh as soon as the backoff allows. Returns the request version it belongs to. */
  requestUpdate(): number {
    if (!this.needUpdate) {
      this.needUpdate = true
      if (this.requests.observed) this.requests.next()
    }
    return ++this.requestVersion
  }

  get updateRequested(): boolean {
    return this.needUpdate
  }

  /** The request version to pass to `update` for a response to a request sent now. */
  get currentRequestVersion(): number {
    return this.requestVersion
  }

  /**
   * Milliseconds until a refresh is due: 0 when requested (or `metadata.max.age.ms` passed) and the backoff
   * since the last attempt is over.
   */
  timeToNextUpdate(nowMs: number): number {
    const timeToExpire = this.needUpdate
      ? 0
      : Math.max(this.lastSuccessfulRefreshMs + this.maxAgeMs - nowMs, 0)
    const timeToAllowUpdate = Math.max(this.lastRefreshMs + this.backoffMs - nowMs, 0)
    return Math.max(timeToExpire, timeToAllowUpdate)
  }

  /** Milliseconds since the last successful refresh (Java's `metadata-age`, in ms). */
  ageMs(nowMs: number): number {
    return nowMs - this.lastSuccessfulRefreshMs
  }

  /** A refresh attempt failed (no node, disconnect, error): the next waits out a growing backoff. */
  failedUpdate(nowMs: number): void {
    this.lastRefreshMs = nowMs
    this.failedAttempts++
    this.backoffMs = this.refreshBackoff.backoff(this.failedAttempts)
  }

  /**
   * Applies a Metadata response. `requestVersion` is `currentRequestVersion` when the request was sent: a
   * refresh requested after that stays pending.
   */
  update(response: MetadataResponse, requestVersion: number, nowMs: number): void {
    if (this.closed) return
    if (requestVersion === this.requestVersion) this.needUpdate = false
    this.lastRefreshMs = nowMs
    this.lastSuccessfulRefreshMs = nowMs
    this.failedAttempts = 0
    // A broker answered: an earlier fatal error (e.g. a refused authentication) no longer stands.
    this.fatal = undefined
    this.backoffMs = this.refreshBackoff.backoff(0)

    const nodes: BrokerNode[] = response.brokers.map((broker) => ({
      id: broker.nodeId,
      host: broker.host,
      port: broker.port,
      rack: broker.rack,
    }))
    const topics: TopicMetadata[] = []
    const unauthorizedTopics = new Set<string>()
    const invalidTopics = new Set<string>()
    for (const topic of response.topics) {
      const name = topic.name
      if (name === null || !this.topics.has(name)) continue
      if (topic.errorCode !== ErrorCode.NONE) {
        if (isInvalidMetadataError(topic.errorCode)) this.requestUpdate()
        if (topic.errorCode === ErrorCode.INVALID_TOPIC_EXCEPTION) invalidTopics.add(name)
        else if (topic.errorCode === ErrorCode.TOPIC_AUTHORIZATION_FAILED) unauthorizedTopics.add(name)
        continue
      }
      const sorted = [...topic.partitions].sort((a, b) => a.partitionIndex - b.partitionIndex)
      const count = sorted.length === 0 ? 0 : sorted[sorted.length - 1]!.partitionIndex + 1
      const partitions: PartitionMetadata[] = []
      for (let index = 0, next = 0; index < count; index++) {
        const source = sorted[next]
        if (source === undefined || source.partitionIndex !== index) {
          partitions.push(missingPartition(name, index))
          continue
        }
        next++
        if (isInvalidMetadataError(source.errorCode)) this.requestUpdate()
        partitions.push(
          this.latestPartition(
            {
              topic: name,
              partition: index,
              leader: source.leaderId >= 0 ? source.leaderId : undefined,
              leaderEpoch: source.leaderEpoch >= 0 ? source.leaderEpoch : undefined,
              replicas: source.replicaNodes,
              isr: source.isrNodes,
              offlineReplicas: source.offlineReplicas,
              errorCode: source.errorCode,
            },
            this.current.partition(name, index),
          ),
        )
      }
      topics.push({
        name,
        topicId: topic.topicId === ZERO_UUID ? undefined : topic.topicId,
        isInternal: topic.isInternal,
        partitions,
      })
    }
    this.current = new Cluster({
      clusterId: response.clusterId,
      controllerId: response.controllerId,
      nodes,
      topics,
      unauthorizedTopics,
      invalidTopics,
    })
    this.publish('metadata-response')
  }

  /**
   * Applies new-leader hints from a Produce response (KIP-951) without waiting for a Metadata round trip.
   * Returns the partitions whose leader changed; hints not newer than the known epoch are ignored.
   */
  updatePartitionLeadership(hints: readonly LeaderHint[], nodes: readonly BrokerNode[]): TopicPartition[] {
    if (this.closed || hints.length === 0) return []
    const { cluster, updated } = this.current.withPartitionLeaders(hints, nodes)
    if (updated.length === 0) return updated
    for (const hint of hints) this.epochsOf(hint.topic).set(hint.partition, hint.leaderEpoch)
    this.current = cluster
    this.publish('leader-hint')
    return updated
  }

  /**
   * A failure that every metadata wait should see (authentication failed, no bootstrap address resolves):
   * pending waits reject with it, and new ones until a metadata response arrives again.
   */
  fatalError(error: KafkaError): void {
    this.fatal = error
    for (const waiter of [...this.waiters]) this.settleWaiter(waiter, error)
  }

  /** The last fatal error, if any. */
  get fatalException(): KafkaError | undefined {
    return this.fatal
  }

  /**
   * Waits until `topic` (and `partition`, when given) is in the metadata (Java `KafkaProducer.waitOnMetadata`):
   * returns the cluster at once when it is — no promise on the per-record path — else a promise settled by a
   * later update, rejected with `TimeoutError` (`max.block.ms`) "Topic X not present in metadata after N ms.",
   * or with the topic's error (authorization, invalid name) or a fatal error.
   */
  waitOnMetadata(
    topic: string,
    partition: number | undefined,
    maxBlockMs: number,
    nowMs: number,
  ): Cluster | Promise<Cluster> {
    this.add(topic, nowMs)
    const cluster = this.current
    const count = cluster.partitionCount(topic)
    if (count !== undefined && (partition === undefined || partition < count)) return cluster
    if (this.closed)
      return Promise.reject(new SenderClosedError({ forced: false, message: 'Metadata is closed.' }))
    const known = this.topicError(topic) ?? this.fatal
    if (known !== undefined) return Promise.reject(known)
    return new Promise<Cluster>((resolve, reject) => {
      const waiter: Waiter = { topic, partition, maxBlockMs, resolve, reject, timer: undefined }
      waiter.timer = this.clock.setTimeout(
        () => this.settleWaiter(waiter, this.waitTimeout(waiter)),
        Math.min(Math.max(0, maxBlockMs), MAX_TIMER_DELAY_MS),
      )
      this.waiters.add(waiter)
      this.requestUpdate()
    })
  }

  /** Rejects every metadata wait and stops publishing. */
  close(
    error: Error = new SenderClosedError({ forced: false, message: 'Metadata was closed while waiting.' }),
  ): void {
    if (this.closed) return
    this.closed = true
    for (const waiter of [...this.waiters]) this.settleWaiter(waiter, error)
    this.updates.complete()
    this.requests.complete()
  }

  // ClusterView over the current snapshot.
  partitionCount(topic: string): number | undefined {
    return this.current.partitionCount(topic)
  }
  availablePartitions(topic: string): readonly number[] {
    return this.current.availablePartitions(topic)
  }
  leaderFor(topic: string, partition: number): number | undefined {
    return this.current.leaderFor(topic, partition)
  }
  leaderEpochFor(topic: string, partition: number): number | undefined {
    return this.current.leaderEpochFor(topic, partition)
  }
  partitionsForNode(nodeId: number): readonly TopicPartition[] {
    return this.current.partitionsForNode(nodeId)
  }

  private publish(source: MetadataUpdate['source']): void {
    this.version++
    if (this.waiters.size > 0) this.checkWaiters()
    if (this.updates.observed) this.updates.next({ cluster: this.current, version: this.version, source })
  }

  private checkWaiters(): void {
    const cluster = this.current
    for (const waiter of [...this.waiters]) {
      const count = cluster.partitionCount(waiter.topic)
      if (count !== undefined && (waiter.partition === undefined || waiter.partition < count)) {
        this.settleWaiter(waiter, cluster)
        continue
      }
      const error = this.topicError(waiter.topic)
      if (error !== undefined) this.settleWaiter(waiter, error)
      else this.requestUpdate()
    }
  }

  private settleWaiter(waiter: Waiter, outcome: Cluster | Error): void {
    if (!this.waiters.delete(waiter)) return
    this.clock.clearTimeout(waiter.timer)
    if (outcome instanceof Cluster) waiter.resolve(outcome)
    else waiter.reject(outcome)
  }

  private waitTimeout(waiter: Waiter): TimeoutError {
    const count = this.current.partitionCount(waiter.topic)
    const message =
      waiter.partition !== undefined && count !== undefined
        ? `Partition ${waiter.partition} of topic ${waiter.topic} with partition count ${count} is not present in metadata after ${waiter.maxBlockMs} ms.`
        : `Topic ${waiter.topic} not present in metadata after ${waiter.maxBlockMs} ms.`
    return new TimeoutError({ timeout: 'max.block.ms', timeoutMs: waiter.maxBlockMs, message })
  }

  private topicError(topic: string): KafkaError | undefined {
    if (this.current.unauthorizedTopics.has(topic)) {
      return new ApiError({
        errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
        message: `Not authorized to access topics: [${topic}]`,
      })
    }
    if (this.current.invalidTopics.has(topic)) {
      return new ApiError({
        errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION,
        message: `Invalid topics: [${topic}]`,
      })
    }
    return undefined
  }

  private hasWaiter(topic: string): boolean {
    for (const waiter of this.waiters) if (waiter.topic === topic) return true
    return false
  }

  private epochsOf(topic: string): Map<number, number> {
    let epochs = this.lastSeenLeaderEpochs.get(topic)
    if (epochs === undefined) {
      epochs = new Map()
      this.lastSeenLeaderEpochs.set(topic, epochs)
    }
    return epochs
  }

  /** Java `updateLatestMetadata`: keep the cached partition when the response carries an older leader epoch. */
  private latestPartition(
    incoming: PartitionMetadata,
    cached: PartitionMetadata | undefined,
  ): PartitionMetadata {
    const epochs = this.epochsOf(incoming.topic)
    if (incoming.leaderEpoch === undefined) {
      epochs.delete(incoming.partition)
      return incoming
    }
    const seen = epochs.get(incoming.partition)
    if (seen === undefined || incoming.leaderEpoch >= seen) {
      epochs.set(incoming.partition, incoming.leaderEpoch)
      return incoming
    }
    return cached ?? incoming
  }
}

const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA'

function missingPartition(topic: string, partition: number): PartitionMetadata {
  return {
    topic,
    partition,
    leader: undefined,
    leaderEpoch: undefined,
    replicas: [],
    isr: [],
    offlineReplicas: [],
    errorCode: ErrorCode.LEADER_NOT_AVAILABLE,
  }
}
