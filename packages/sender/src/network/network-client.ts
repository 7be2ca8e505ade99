import { KafkaError } from '@x/protocol'
import { type Observable, Subject } from 'rxjs'
import { type SenderClock, systemClock } from '../clock.js'
import { AuthenticationError } from '../errors/authentication-error.js'
import { SenderConfigError } from '../errors/config-error.js'
import { SenderClosedError } from '../errors/sender-closed-error.js'
import { TcpTransport } from '../transport/tcp-transport.js'
import { TlsTransport } from '../transport/tls-transport.js'
import type { Transport, TransportTlsOptions } from '../transport/transport.js'
import type { NodeApiVersions } from './api-versions.js'
import { BrokerConnection, type BrokerConnectionListener } from './broker-connection.js'
import type { BrokerNode } from './broker-node.js'
import {
  type ClientRequest,
  type ClientResponse,
  createClientRequest,
  type RequestSpec,
} from './client-request.js'
import { ClusterConnectionStates, type ConnectionState } from './cluster-connection-states.js'
import { createSaslMechanism } from './sasl/create-sasl-mechanism.js'
import type { SaslMechanism, SaslOptions } from './sasl/sasl-mechanism.js'

/** Options of the network layer, with Java's defaults. */
export interface NetworkClientOptions {
  /** `client.id`, sent in every request header. Default `x-kafka-producer`. */
  clientId?: string
  /** The byte pipe to brokers. Default `TcpTransport`, or `TlsTransport` when `tls` is set. */
  transport?: Transport
  /** TLS for SSL/SASL_SSL listeners (`ssl.*`); `true` for system CAs and no client certificate. */
  tls?: TransportTlsOptions | true
  /** SASL: PLAIN or SCRAM-SHA-256/512 by name, or a custom mechanism. */
  sasl?: SaslOptions | SaslMechanism
  /** `max.in.flight.requests.per.connection`. Default 5. */
  maxInFlightRequestsPerConnection?: number
  /** `request.timeout.ms`. Default 30000. */
  requestTimeoutMs?: number
  /** `reconnect.backoff.ms`. Default 50. */
  reconnectBackoffMs?: number
  /** `reconnect.backoff.max.ms`. Default 1000. */
  reconnectBackoffMaxMs?: number
  /** `socket.connection.setup.timeout.ms`. Default 10000. */
  socketConnectionSetupTimeoutMs?: number
  /** Name and version sent in ApiVersions v3+ (KIP-511). */
  clientSoftwareName?: string
  clientSoftwareVersion?: string
  clock?: SenderClock
  /** Random source for reconnect jitter and least-loaded node choice. Default `Math.random`. */
  random?: () => number
}

/** Network events, at connection and request granularity (never per record). */
export type NetworkEvent =
  | {
      readonly type: 'connection-state-changed'
      readonly nodeId: number
      readonly state: ConnectionState
      /** Why a connection closed; undefined for closes the client asked for. */
      readonly error?: KafkaError
    }
  | { readonly type: 'request-written'; readonly nodeId: number }
  | {
      readonly type: 'response-received'
      readonly nodeId: number
      readonly apiKey: number
      readonly correlationId: number
      readonly latencyMs: number
    }

/**
 * The connections to every broker (Java `NetworkClient`, event-driven instead of polled): opens them on
 * demand, keeps reconnect backoff per node, reports whether a node can take another request, sends
 * requests, and emits connection and request events on `events$` for the sender to react to.
 */
export class NetworkClient {
  readonly events$: Observable<NetworkEvent>
  readonly clientId: string
  readonly requestTimeoutMs: number
  readonly maxInFlightRequestsPerConnection: number
  readonly reconnectBackoffMs: number
  readonly clock: SenderClock
  private readonly events = new Subject<NetworkEvent>()
  private readonly connections = new Map<number, BrokerConnection>()
  private readonly states: ClusterConnectionStates
  private readonly transport: Transport
  private readonly tls: TransportTlsOptions | undefined
  private readonly sasl: SaslMechanism | undefined
  private readonly connectTimeoutMs: number
  private readonly softwareName: string
  private readonly softwareVersion: string
  private readonly random: () => number
  private readonly listener: BrokerConnectionListener
  private closed = false
  /** Highest requests-in-flight seen on any one connection (the limit is enforced, this proves it). */
  private maxInFlightObserved = 0

  constructor(options: NetworkClientOptions = {}) {
    this.clientId = options.clientId ?? 'x-kafka-producer'
    this.requestTimeoutMs = positive('request.timeout.ms', options.requestTimeoutMs ?? 30_000)
    this.maxInFlightRequestsPerConnection = positive(
      'max.in.flight.requests.per.connection',
      options.maxInFlightRequestsPerConnection ?? 5,
    )
    this.reconnectBackoffMs = nonNegative('reconnect.backoff.ms', options.reconnectBackoffMs ?? 50)
    const reconnectBackoffMaxMs = nonNegative(
      'reconnect.backoff.max.ms',
      options.reconnectBackoffMaxMs ?? 1000,
    )
    this.connectTimeoutMs = positive(
      'socket.connection.setup.timeout.ms',
      options.socketConnectionSetupTimeoutMs ?? 10_000,
    )
    this.clock = options.clock ?? systemClock
    this.random = options.random ?? Math.random
    this.states = new ClusterConnectionStates(this.reconnectBackoffMs, reconnectBackoffMaxMs, this.random)
    this.tls = options.tls === true ? {} : options.tls
    this.transport = options.transport ?? (this.tls === undefined ? new TcpTransport() : new TlsTransport())
    this.sasl = options.sasl === undefined ? undefined : createSaslMechanism(options.sasl)
    this.softwareName = options.clientSoftwareName ?? 'x-kafka'
    this.softwareVersion = options.clientSoftwareVersion ?? '0.0.0'
    this.events$ = this.events.asObservable()
    this.listener = {
      onReady: (connection) => {
        this.states.ready(connection.nodeId)
        this.emit({ type: 'connection-state-changed', nodeId: connection.nodeId, state: 'ready' })
      },
      onClose: (connection, error) => this.onConnectionClosed(connection, error),
      onWritten: (connection) => {
        if (this.events.observed) this.events.next({ type: 'request-written', nodeId: connection.nodeId })
      },
      onResponse: (connection, request) => {
        if (connection.inFlight.maxObserved > this.maxInFlightObserved) {
          this.maxInFlightObserved = connection.inFlight.maxObserved
        }
        if (this.events.observed) {
          this.events.next({
            type: 'response-received',
            nodeId: connection.nodeId,
            apiKey: request.api.apiKey,
            correlationId: request.correlationId,
            latencyMs: this.clock.now() - request.sendTimeMs,
          })
        }
      },
    }
  }

  /**
   * True when `node` can take a request now: connected, handshake done, below the in-flight limit, not
   * throttled. Starts connecting when there is no connection and the backoff allows (Java `ready`).
   */
  ready(node: BrokerNode, nowMs: number): boolean {
    if (this.isReady(node.id, nowMs)) return true
    if (this.canConnect(node, nowMs)) this.initiateConnect(node, nowMs)
    return false
  }

  /** Connected, handshake done, can pipeline one more, and not throttled. */
  isReady(nodeId: number, nowMs: number): boolean {
    return (
      (this.connections.get(nodeId)?.canSendMore() ?? false) && this.states.throttleDelay(nodeId, nowMs) === 0
    )
  }

  /** A ready connection that can pipeline one more request (throttling aside). */
  canSendRequest(nodeId: number): boolean {
    return this.connections.get(nodeId)?.canSendMore() ?? false
  }

  isConnecting(nodeId: number): boolean {
    const state = this.connections.get(nodeId)?.state
    return state === 'connecting' || state === 'handshaking'
  }

  /** No connection, and the reconnect backoff has passed. */
  canConnect(node: BrokerNode, nowMs: number): boolean {
    return !this.closed && !this.connections.has(node.id) && this.states.canConnect(node.id, nowMs)
  }

  /**
   * How long until `nodeId` can be sent to as far as the connection goes: the reconnect backoff left for a
   * disconnected node, the throttle left for a throttled one, Infinity while connecting or at the in-flight
   * limit (an event will come), 0 when ready.
   */
  connectionDelay(nodeId: number, nowMs: number): number {
    const connection = this.connections.get(nodeId)
    if (connection === undefined) return this.states.connectionDelay(nodeId, nowMs)
    const throttle = this.states.throttleDelay(nodeId, nowMs)
    if (throttle > 0) return throttle
    return connection.canSendMore() ? 0 : Number.POSITIVE_INFINITY
  }

  /** Honours a broker's `throttle_time_ms` (KIP-219): no request goes to the node before `untilMs`. */
  throttle(nodeId: number, untilMs: number): void {
    this.states.throttle(nodeId, untilMs)
  }

  connectionState(nodeId: number): ConnectionState {
    return this.states.state(nodeId)
  }

  /** The last failure of the node's connection (an `AuthenticationError` after a SASL refusal). */
  lastConnectionError(nodeId: number): KafkaError | undefined {
    return this.states.lastError(nodeId)
  }

  nodeApiVersions(nodeId: number): NodeApiVersions | undefined {
    return this.connections.get(nodeId)?.apiVersions
  }

  /**
   * Sends a request to `nodeId`, whose connection must be ready (check `ready`/`isReady`). `onComplete`
   * gets the response, or the error that ended the request, exactly once. Returns the request, whose
   * `whenReleased` tells when its bytes are no longer referenced.
   */
  send<Body, Response>(
    nodeId: number,
    spec: RequestSpec<Body, Response>,
    onComplete: (response: ClientResponse<Response>) => void,
    nowMs: number,
  ): ClientRequest {
    if (this.closed) throw new SenderClosedError({ forced: false, message: 'The network client is closed.' })
    const connection = this.connections.get(nodeId)
    if (connection === undefined || !connection.canSendMore()) {
      throw new KafkaError({
        code: 'ILLEGAL_STATE',
        message: `Attempt to send a request to node ${nodeId}, which is not ready: check ready() first.`,
      })
    }
    const request = createClientRequest(spec, this.requestTimeoutMs, onComplete)
    connection.send(request, nowMs)
    if (connection.inFlight.maxObserved > this.maxInFlightObserved) {
      this.maxInFlightObserved = connection.inFlight.maxObserved
    }
    return request
  }

  /** Requests in flight to `nodeId`, or to every node. */
  inFlightRequestCount(nodeId?: number): number {
    if (nodeId !== undefined) return this.connections.get(nodeId)?.inFlight.size ?? 0
    let total = 0
    for (const connection of this.connections.values()) total += connection.inFlight.size
    return total
  }

  /** Highest number of requests in flight on one connection so far. */
  get maxInFlightRequestsObserved(): number {
    return this.maxInFlightObserved
  }

  /** Node ids with an open (or opening) connection. */
  connectedNodes(): number[] {
    return [...this.connections.keys()]
  }

  /**
   * The node to send a non-partition request (Metadata) to (Java `leastLoadedNode`): a ready one with the
   * fewest requests in flight; else one already connecting; else one whose backoff has passed. Starts at a
   * random position so clients spread over brokers. Undefined when every node is backing off.
   */
  leastLoadedNode(nodes: readonly BrokerNode[], nowMs: number): BrokerNode | undefined {
    if (nodes.length === 0) return undefined
    const offset = Math.floor(this.random() * nodes.length)
    let bestReady: BrokerNode | undefined
    let bestInFlight = Number.POSITIVE_INFINITY
    let connecting: BrokerNode | undefined
    let connectable: BrokerNode | undefined
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[(offset + i) % nodes.length]!
      const connection = this.connections.get(node.id)
      if (connection?.canSendMore() && this.states.throttleDelay(node.id, nowMs) === 0) {
        const inFlight = connection.inFlight.size
        if (inFlight === 0) return node
        if (inFlight < bestInFlight) {
          bestInFlight = inFlight
          bestReady = node
        }
      } else if (connection !== undefined && connection.state !== 'ready' && connection.state !== 'closed') {
        connecting ??= node
      } else if (connection === undefined && this.states.canConnect(node.id, nowMs)) {
        connectable ??= node
      }
    }
    return bestReady ?? connecting ?? connectable
  }

  /** Closes the connection to `nodeId` on purpose; its requests fail with a retriable `NetworkError`. */
  disconnect(nodeId: number): void {
    this.connections.get(nodeId)?.close()
  }

  /** Closes every connection; requests in flight fail with `error` (a `SenderClosedError` by default). */
  close(
    error: KafkaError = new SenderClosedError({ forced: false, message: 'The network client was closed.' }),
  ): void {
    if (this.closed) return
    this.closed = true
    for (const connection of [...this.connections.values()]) connection.close(error)
    this.events.complete()
  }

  get isClosed(): boolean {
    return this.closed
  }

  private initiateConnect(node: BrokerNode, nowMs: number): void {
    this.states.connecting(node.id, nowMs)
    const tls =
      this.tls === undefined || this.tls.servername !== undefined || node.address === undefined
        ? this.tls
        : { ...this.tls, servername: node.host }
    const connection = new BrokerConnection({
      nodeId: node.id,
      host: node.address ?? node.host,
      port: node.port,
      transport: this.transport,
      tls,
      sasl: this.sasl,
      clientId: this.clientId,
      clientSoftwareName: this.softwareName,
      clientSoftwareVersion: this.softwareVersion,
      maxInFlight: this.maxInFlightRequestsPerConnection,
      requestTimeoutMs: this.requestTimeoutMs,
      connectTimeoutMs: this.connectTimeoutMs,
      clock: this.clock,
      listener: this.listener,
    })
    this.connections.set(node.id, connection)
    this.emit({ type: 'connection-state-changed', nodeId: node.id, state: 'connecting' })
    connection.connect()
  }

  private onConnectionClosed(connection: BrokerConnection, error: KafkaError | undefined): void {
    if (this.connections.get(connection.nodeId) !== connection) return
    this.connections.delete(connection.nodeId)
    if (connection.inFlight.maxObserved > this.maxInFlightObserved) {
      this.maxInFlightObserved = connection.inFlight.maxObserved
    }
    const closingAll = this.closed
    this.states.disconnected(
      connection.nodeId,
      this.clock.now(),
      closingAll ? undefined : error,
      AuthenticationError.isInstance(error),
    )
    this.emit({
      type: 'connection-state-changed',
      nodeId: connection.nodeId,
      state: this.states.state(connection.nodeId),
      ...(error === undefined || closingAll ? {} : { error }),
    })
  }

  private emit(event: NetworkEvent): void {
    if (!this.closed && this.events.observed) this.events.next(event)
  }
}

function positive(option: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new SenderConfigError(
      option,
      `${value}; it must be a positive number of milliseconds or a count above 0.`,
    )
  return value
}

function nonNegative(option: string, value: number): number {
  if (!Number.isFinite(value) || value < 0)
    throw new SenderConfigError(option, `${value}; it must be 0 or more.`)
  return value
}
