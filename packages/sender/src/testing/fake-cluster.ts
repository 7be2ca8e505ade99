// A scripted, in-process Kafka cluster for the sender's unit tests (test-only; not exported from the package).
// Requests are decoded and responses encoded with @x/protocol's generated codecs, so every byte the sender
// writes is checked against the same specs a real broker implements.
import {
  type ApiInfo,
  apiVersionsApi,
  type DecodedRecord,
  decodeRequestHeader,
  ErrorCode,
  encodeResponse,
  FrameSplitter,
  type MetadataRequest,
  metadataApi,
  type ProduceRequest,
  type ProduceResponsePartitionProduceResponseInput,
  produceApi,
  type Reader,
  readApiVersionsRequest,
  readMetadataRequest,
  readProduceRequest,
  readSaslAuthenticateRequest,
  readSaslHandshakeRequest,
  type SaslAuthenticateRequest,
  type SaslHandshakeRequest,
  saslAuthenticateApi,
  saslHandshakeApi,
  validateRecordBatch,
  type Writer,
  writeApiVersionsResponse,
  writeMetadataResponse,
  writeProduceResponse,
  writeSaslAuthenticateResponse,
  writeSaslHandshakeResponse,
} from '@x/protocol'
import type { HostResolver } from '../metadata/bootstrap-servers.js'
import { type FakeSaslServerExchange, plainServer, scramServer } from './fake-sasl-server.js'
import { type InMemoryListener, type InMemoryServerSocket, InMemoryTransport } from './in-memory-transport.js'
import type { ManualClock } from './manual-clock.js'

export type FakeSaslMechanism = 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512'

export interface FakeClusterOptions {
  /** Number of brokers, node ids 1..n. Default 1. */
  brokers?: number
  /** Timers for delayed responses. Without one, delayed responses use real timers. */
  clock?: ManualClock
  /** Version ranges the brokers announce, by API key (default: every API this code has, full range). */
  apiVersions?: Record<number, [number, number]>
  /** Enables SASL on every broker with these mechanisms and users. */
  sasl?: { mechanisms: FakeSaslMechanism[]; users: Record<string, string> }
  /** Send KIP-951 new-leader hints with NOT_LEADER_OR_FOLLOWER. Default true. */
  leaderHints?: boolean
}

export interface FakeTopicOptions {
  partitions: number
  /** Leader node id per partition; default round-robin over the brokers. */
  leaders?: number[]
  /** The topic's `max.message.bytes`: larger batches get MESSAGE_TOO_LARGE. */
  maxMessageBytes?: number
}

/** One request as a broker received it. */
export interface FakeRequestRecord {
  readonly nodeId: number
  readonly connectionId: number
  readonly apiKey: number
  readonly apiVersion: number
  readonly correlationId: number
  readonly clientId: string | null
  readonly atMs: number
  readonly body: unknown
}

/** What to do with one request instead of answering at once. */
export type FakeRequestAction =
  | 'hold'
  | 'drop'
  | 'disconnect'
  | 'disconnect-mid-response'
  | { readonly delayMs: number }
  | { readonly correlationIdOffset: number }

export interface FakeRequestFault {
  readonly apiKey?: number
  readonly nodeId?: number
  /** How many matching requests it applies to. Default 1. */
  times?: number
  readonly action: FakeRequestAction
}

export interface FakeProduceFault {
  readonly topic: string
  readonly partition: number
  readonly errorCode: number
  /** How many Produce attempts of this partition get the error. Default 1. */
  times?: number
  /** Append the batch anyway (the error is about the response, e.g. NOT_ENOUGH_REPLICAS_AFTER_APPEND). */
  readonly append?: boolean
  readonly currentLeader?: { leaderId: number; leaderEpoch: number }
  readonly recordErrors?: { batchIndex: number; batchIndexErrorMessage: string | null }[]
  readonly errorMessage?: string
}

interface FakePartition {
  leader: number
  epoch: number
  readonly batches: { baseOffset: bigint; records: DecodedRecord[]; bytes: number }[]
  logEnd: bigint
}

interface FakeTopic {
  readonly name: string
  readonly topicId: string
  readonly partitions: FakePartition[]
  readonly maxMessageBytes: number
}

const READERS: Record<number, (reader: Reader, version: number) => unknown> = {
  [produceApi.apiKey]: readProduceRequest,
  [metadataApi.apiKey]: readMetadataRequest,
  [apiVersionsApi.apiKey]: readApiVersionsRequest,
  [saslHandshakeApi.apiKey]: readSaslHandshakeRequest,
  [saslAuthenticateApi.apiKey]: readSaslAuthenticateRequest,
}

const HANDSHAKE_APIS = new Set<number>([
  apiVersionsApi.apiKey,
  saslHandshakeApi.apiKey,
  saslAuthenticateApi.apiKey,
])

let topicIdCounter = 1

/**
 * Brokers `broker-<id>:9092` reachable through `transport`. Answers ApiVersions, Metadata, Produce (appending
 * validated record batches to per-partition logs) and SASL (PLAIN, SCRAM). Tests script faults: per-partition
 * Produce errors, and per-request actions (hold until released, drop, delay, disconnect, disconnect in the
 * middle of the response, a wrong correlation id). It counts, per connection, requests received and not yet
 * answered, so the in-flight limit can be checked from the broker's side.
 */
export class FakeCluster {
  readonly transport = new InMemoryTransport()
  readonly requests: FakeRequestRecord[] = []
  readonly brokerIds: number[]
  readonly resolveHost: HostResolver = async (host) => [host]
  /** Each broker's acceptor, for bridges that serve it over real sockets (tcp-bridge.ts). */
  readonly listeners = new Map<number, InMemoryListener>()
  private readonly topics = new Map<string, FakeTopic>()
  private readonly advertised = new Map<number, { host: string; port: number }>()
  private readonly stopped = new Set<number>()
  private readonly connections = new Set<FakeConnection>()
  private requestFaults: FakeRequestFault[] = []
  private produceFaults: FakeProduceFault[] = []
  private held: (() => void)[] = []
  /** Highest count of requests received and not answered on one connection. */
  maxPendingPerConnection = 0
  /** `throttle_time_ms` put in every Produce response (a quota the client must honour, KIP-219). */
  produceThrottleTimeMs = 0

  constructor(readonly options: FakeClusterOptions = {}) {
    const count = options.brokers ?? 1
    this.brokerIds = Array.from({ length: count }, (_, index) => index + 1)
    for (const nodeId of this.brokerIds) {
      const listener: InMemoryListener = {
        accept: (socket) => {
          const connection = new FakeConnection(this, nodeId, socket)
          this.connections.add(connection)
          return {
            onData: (bytes) => connection.onData(bytes),
            onClose: () => {
              connection.closed = true
              this.connections.delete(connection)
            },
          }
        },
      }
      this.listeners.set(nodeId, listener)
      this.transport.listen(this.host(nodeId), 9092, listener)
    }
  }

  host(nodeId: number): string {
    return `broker-${nodeId}`
  }

  /** Makes Metadata name `host:port` for the broker (e.g. where a TCP bridge serves it). */
  advertise(nodeId: number, host: string, port: number): void {
    this.advertised.set(nodeId, { host, port })
  }

  get bootstrapServers(): string[] {
    return this.brokerIds.map((id) => `${this.host(id)}:9092`)
  }

  get now(): number {
    return this.options.clock?.now() ?? Date.now()
  }

  createTopic(name: string, options: FakeTopicOptions): void {
    const partitions: FakePartition[] = []
    for (let index = 0; index < options.partitions; index++) {
      partitions.push({
        leader: options.leaders?.[index] ?? this.brokerIds[index % this.brokerIds.length]!,
        epoch: 0,
        batches: [],
        logEnd: 0n,
      })
    }
    const id = topicIdCounter++
    const bytes = new Uint8Array(16)
    bytes[15] = id
    this.topics.set(name, {
      name,
      topicId: Buffer.from(bytes).toString('base64url'),
      partitions,
      maxMessageBytes: options.maxMessageBytes ?? 1_048_588,
    })
  }

  leaderOf(topic: string, partition: number): number {
    return this.partition(topic, partition).leader
  }

  epochOf(topic: string, partition: number): number {
    return this.partition(topic, partition).epoch
  }

  /** Elects `leader` for the partition with a new leader epoch. */
  moveLeader(topic: string, partition: number, leader: number): void {
    const state = this.partition(topic, partition)
    state.leader = leader
    state.epoch++
  }

  /** The records of a partition in log order (what a consumer would read). */
  records(topic: string, partition: number): DecodedRecord[] {
    return this.partition(topic, partition).batches.flatMap((batch) => batch.records)
  }

  /** Record counts of the batches appended to a partition, in order. */
  batchSizes(topic: string, partition: number): number[] {
    return this.partition(topic, partition).batches.map((batch) => batch.records.length)
  }

  /** Requests of one API, in arrival order. */
  requestsOf(apiKey: number): FakeRequestRecord[] {
    return this.requests.filter((request) => request.apiKey === apiKey)
  }

  failProduce(fault: FakeProduceFault): void {
    this.produceFaults.push({ ...fault, times: fault.times ?? 1 })
  }

  onRequest(fault: FakeRequestFault): void {
    this.requestFaults.push({ ...fault, times: fault.times ?? 1 })
  }

  /** Answers every held request, in the order they arrived. */
  releaseHeld(): number {
    const held = this.held
    this.held = []
    for (const send of held) send()
    return held.length
  }

  get heldCount(): number {
    return this.held.length
  }

  /** Closes the broker's connections and refuses new ones (a crashed broker); not in Metadata meanwhile. */
  stopBroker(nodeId: number): void {
    this.stopped.add(nodeId)
    this.transport.refuse(this.host(nodeId), 9092)
    for (const connection of [...this.connections])
      if (connection.nodeId === nodeId) connection.socket.close()
  }

  startBroker(nodeId: number): void {
    this.stopped.delete(nodeId)
    this.transport.refuse(this.host(nodeId), 9092, false)
  }

  /** Closes every connection to `nodeId` (the broker stays up). */
  dropConnections(nodeId?: number): void {
    for (const connection of [...this.connections]) {
      if (nodeId === undefined || connection.nodeId === nodeId) connection.socket.close()
    }
  }

  hold(send: () => void): void {
    this.held.push(send)
  }

  takeRequestFault(nodeId: number, apiKey: number): FakeRequestAction | undefined {
    const index = this.requestFaults.findIndex(
      (fault) =>
        (fault.apiKey === undefined || fault.apiKey === apiKey) &&
        (fault.nodeId === undefined || fault.nodeId === nodeId),
    )
    if (index < 0) return undefined
    const fault = this.requestFaults[index]!
    fault.times = (fault.times ?? 1) - 1
    if (fault.times <= 0) this.requestFaults.splice(index, 1)
    return fault.action
  }

  apiRange(api: ApiInfo): [number, number] | undefined {
    const configured = this.options.apiVersions
    if (configured === undefined) return [api.minVersion, api.maxVersion]
    return configured[api.apiKey]
  }

  handleMetadata(request: MetadataRequest): unknown {
    const brokers = this.brokerIds.filter((id) => !this.stopped.has(id)).map((id) => this.endpoint(id))
    const names =
      request.topics === null ? [...this.topics.keys()] : request.topics.map((topic) => topic.name ?? '')
    return {
      throttleTimeMs: 0,
      brokers,
      clusterId: 'fake-cluster',
      controllerId: this.brokerIds[0],
      topics: names.map((name) => {
        const topic = this.topics.get(name)
        if (topic === undefined) {
          return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name, partitions: [] }
        }
        return {
          errorCode: ErrorCode.NONE,
          name,
          topicId: topic.topicId,
          isInternal: false,
          partitions: topic.partitions.map((partition, index) => ({
            errorCode: ErrorCode.NONE,
            partitionIndex: index,
            leaderId: partition.leader,
            leaderEpoch: partition.epoch,
            replicaNodes: this.brokerIds,
            isrNodes: this.brokerIds,
            offlineReplicas: [],
          })),
        }
      }),
    }
  }

  handleProduce(nodeId: number, request: ProduceRequest): unknown {
    const leaderEndpoints = new Map<number, { nodeId: number; host: string; port: number; rack: null }>()
    const responses = request.topicData.map((topicData) => ({
      name: topicData.name,
      partitionResponses: topicData.partitionData.map(
        (data): ProduceResponsePartitionProduceResponseInput => {
          const topic = this.topics.get(topicData.name)
          const partition = topic?.partitions[data.index]
          if (topic === undefined || partition === undefined) {
            return { index: data.index, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, baseOffset: -1n }
          }
          const fault = this.takeProduceFault(topicData.name, data.index)
          if (fault !== undefined) {
            let baseOffset = -1n
            if (fault.append === true && data.records !== null)
              baseOffset = this.append(partition, data.records)
            if (fault.currentLeader !== undefined) {
              leaderEndpoints.set(fault.currentLeader.leaderId, this.endpoint(fault.currentLeader.leaderId))
            }
            return {
              index: data.index,
              errorCode: fault.errorCode,
              baseOffset,
              errorMessage: fault.errorMessage ?? null,
              recordErrors: fault.recordErrors ?? [],
              ...(fault.currentLeader === undefined ? {} : { currentLeader: fault.currentLeader }),
            }
          }
          if (partition.leader !== nodeId) {
            const hint = this.options.leaderHints ?? true
            if (hint) leaderEndpoints.set(partition.leader, this.endpoint(partition.leader))
            return {
              index: data.index,
              errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER,
              baseOffset: -1n,
              ...(hint
                ? { currentLeader: { leaderId: partition.leader, leaderEpoch: partition.epoch } }
                : {}),
            }
          }
          if (data.records === null)
            return { index: data.index, errorCode: ErrorCode.CORRUPT_MESSAGE, baseOffset: -1n }
          if (data.records.length > topic.maxMessageBytes) {
            return { index: data.index, errorCode: ErrorCode.MESSAGE_TOO_LARGE, baseOffset: -1n }
          }
          try {
            const baseOffset = this.append(partition, data.records)
            return {
              index: data.index,
              errorCode: ErrorCode.NONE,
              baseOffset,
              logAppendTimeMs: -1n,
              logStartOffset: 0n,
            }
          } catch (error) {
            return {
              index: data.index,
              errorCode: ErrorCode.CORRUPT_MESSAGE,
              baseOffset: -1n,
              errorMessage: error instanceof Error ? error.message : String(error),
            }
          }
        },
      ),
    }))
    return {
      responses,
      throttleTimeMs: this.produceThrottleTimeMs,
      nodeEndpoints: [...leaderEndpoints.values()],
    }
  }

  saslExchange(mechanism: string): FakeSaslServerExchange | undefined {
    const sasl = this.options.sasl
    if (sasl === undefined || !sasl.mechanisms.includes(mechanism as FakeSaslMechanism)) return undefined
    const users = new Map(Object.entries(sasl.users))
    return mechanism === 'PLAIN' ? plainServer(users) : scramServer(mechanism as 'SCRAM-SHA-256', users)
  }

  notePending(pending: number): void {
    if (pending > this.maxPendingPerConnection) this.maxPendingPerConnection = pending
  }

  private append(partition: FakePartition, records: Uint8Array): bigint {
    const batch = validateRecordBatch(records)
    const baseOffset = partition.logEnd
    partition.batches.push({ baseOffset, records: batch.records, bytes: records.length })
    partition.logEnd += BigInt(batch.lastOffsetDelta + 1)
    return baseOffset
  }

  private endpoint(nodeId: number): { nodeId: number; host: string; port: number; rack: null } {
    const advertised = this.advertised.get(nodeId)
    return { nodeId, host: advertised?.host ?? this.host(nodeId), port: advertised?.port ?? 9092, rack: null }
  }

  private takeProduceFault(topic: string, partition: number): FakeProduceFault | undefined {
    const index = this.produceFaults.findIndex(
      (fault) => fault.topic === topic && fault.partition === partition,
    )
    if (index < 0) return undefined
    const fault = this.produceFaults[index]!
    fault.times = (fault.times ?? 1) - 1
    if (fault.times <= 0) this.produceFaults.splice(index, 1)
    return fault
  }

  private partition(topic: string, partition: number): FakePartition {
    const state = this.topics.get(topic)?.partitions[partition]
    if (state === undefined) throw new Error(`fake cluster has no partition ${topic}-${partition}`)
    return state
  }
}

/** The broker side of one client connection. */
class FakeConnection {
  private readonly splitter = new FrameSplitter()
  private pending = 0
  private authenticated: boolean
  private sasl: FakeSaslServerExchange | undefined
  closed = false

  constructor(
    private readonly cluster: FakeCluster,
    readonly nodeId: number,
    readonly socket: InMemoryServerSocket,
  ) {
    this.authenticated = cluster.options.sasl === undefined
  }

  onData(bytes: Uint8Array): void {
    for (const frame of this.splitter.push(bytes)) this.onRequest(frame)
  }

  private onRequest(frame: Uint8Array): void {
    if (this.closed) return
    const { header, reader } = decodeRequestHeader(frame)
    const apiKey = header.requestApiKey
    const version = header.requestApiVersion
    const read = READERS[apiKey]
    if (read === undefined) throw new Error(`fake broker got unknown API key ${apiKey}`)
    const body = read(reader, version)
    this.cluster.requests.push({
      nodeId: this.nodeId,
      connectionId: this.socket.id,
      apiKey,
      apiVersion: version,
      correlationId: header.correlationId,
      clientId: header.clientId,
      atMs: this.cluster.now,
      body,
    })
    if (!this.authenticated && !HANDSHAKE_APIS.has(apiKey)) {
      // A broker closes a connection that skips authentication.
      this.socket.close()
      return
    }
    this.pending++
    this.cluster.notePending(this.pending)
    const action = this.cluster.takeRequestFault(this.nodeId, apiKey)
    const response = this.respond(apiKey, version, body)
    if (response === undefined) {
      // acks=0: no answer
      this.pending--
      if (action === 'disconnect') this.socket.close()
      return
    }
    let correlationId = header.correlationId
    if (action !== undefined && typeof action === 'object' && 'correlationIdOffset' in action) {
      correlationId += action.correlationIdOffset
    }
    const bytes = concat(
      encodeResponse({
        api: response.api,
        apiVersion: response.version,
        correlationId,
        body: response.body as never,
        writeBody: response.write,
      }),
    )
    const send = () => {
      if (this.closed) return
      this.pending--
      this.socket.send(bytes)
    }
    if (action === undefined || (typeof action === 'object' && 'correlationIdOffset' in action)) send()
    else if (action === 'hold') this.cluster.hold(send)
    else if (action === 'drop') return
    else if (action === 'disconnect') this.socket.close()
    else if (action === 'disconnect-mid-response') {
      this.socket.send(bytes.subarray(0, Math.max(1, bytes.length >> 1)))
      this.socket.close()
    } else {
      const clock = this.cluster.options.clock
      if (clock === undefined) setTimeout(send, action.delayMs)
      else clock.setTimeout(send, action.delayMs)
    }
  }

  private respond(
    apiKey: number,
    version: number,
    body: unknown,
  ):
    | {
        api: ApiInfo
        version: number
        body: unknown
        write: (writer: Writer, version: number, body: never) => void
      }
    | undefined {
    switch (apiKey) {
      case apiVersionsApi.apiKey: {
        const range = this.cluster.apiRange(apiVersionsApi)!
        const apiKeys = [
          produceApi,
          metadataApi,
          apiVersionsApi,
          saslHandshakeApi,
          saslAuthenticateApi,
        ].flatMap((api) => {
          const announced = this.cluster.apiRange(api)
          return announced === undefined
            ? []
            : [{ apiKey: api.apiKey, minVersion: announced[0], maxVersion: announced[1] }]
        })
        if (version > range[1]) {
          // Answered in v0 with our range, so the client can retry at a version we speak (KIP-511).
          return {
            api: apiVersionsApi,
            version: 0,
            body: { errorCode: ErrorCode.UNSUPPORTED_VERSION, apiKeys },
            write: writeApiVersionsResponse as never,
          }
        }
        return {
          api: apiVersionsApi,
          version,
          body: { errorCode: ErrorCode.NONE, apiKeys, throttleTimeMs: 0 },
          write: writeApiVersionsResponse as never,
        }
      }
      case metadataApi.apiKey:
        return {
          api: metadataApi,
          version,
          body: this.cluster.handleMetadata(body as MetadataRequest),
          write: writeMetadataResponse as never,
        }
      case produceApi.apiKey: {
        const request = body as ProduceRequest
        const response = this.cluster.handleProduce(this.nodeId, request)
        if (request.acks === 0) return undefined
        return { api: produceApi, version, body: response, write: writeProduceResponse as never }
      }
      case saslHandshakeApi.apiKey: {
        const mechanism = (body as SaslHandshakeRequest).mechanism
        this.sasl = this.cluster.saslExchange(mechanism)
        return {
          api: saslHandshakeApi,
          version,
          body: {
            errorCode: this.sasl === undefined ? ErrorCode.UNSUPPORTED_SASL_MECHANISM : ErrorCode.NONE,
            mechanisms: this.cluster.options.sasl?.mechanisms ?? [],
          },
          write: writeSaslHandshakeResponse as never,
        }
      }
      case saslAuthenticateApi.apiKey: {
        const outcome = this.sasl?.respond((body as SaslAuthenticateRequest).authBytes) ?? {
          error: 'Unexpected SaslAuthenticate: no SaslHandshake first',
        }
        if ('error' in outcome) {
          return {
            api: saslAuthenticateApi,
            version,
            body: {
              errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED,
              errorMessage: outcome.error,
              authBytes: new Uint8Array(0),
            },
            write: writeSaslAuthenticateResponse as never,
          }
        }
        if (this.sasl?.complete) this.authenticated = true
        return {
          api: saslAuthenticateApi,
          version,
          body: { errorCode: ErrorCode.NONE, errorMessage: null, authBytes: outcome.message },
          write: writeSaslAuthenticateResponse as never,
        }
      }
      default:
        throw new Error(`fake broker cannot answer API key ${apiKey}`)
    }
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  let length = 0
  for (const chunk of chunks) length += chunk.length
  const bytes = new Uint8Array(length)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.length
  }
  return bytes
}
