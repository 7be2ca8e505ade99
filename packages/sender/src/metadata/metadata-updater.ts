import { KafkaError, metadataApi, readMetadataResponse, writeMetadataRequest } from '@x/protocol'
import { AuthenticationError } from '../errors/authentication-error.js'
import type { BrokerNode } from '../network/broker-node.js'
import type { NetworkClient, NetworkEvent } from '../network/network-client.js'
import {
  type BootstrapAddress,
  type HostResolver,
  parseBootstrapServers,
  resolveBootstrapServers,
} from './bootstrap-servers.js'
import type { Metadata } from './metadata.js'

/** Metadata v1 is the first where an empty topic list means "no topics" rather than "all topics". */
const MIN_METADATA_VERSION = 1

/**
 * Keeps `Metadata` fresh over the `NetworkClient` (Java `NetworkClient.DefaultMetadataUpdater`): resolves
 * the bootstrap servers once, then, whenever a refresh is due, sends one Metadata request for the tracked
 * topics to the least-loaded broker (connecting to one when none is connected). Refreshes on unexpected
 * disconnects too; an authentication failure becomes metadata's fatal error so metadata waits fail fast.
 * Driven by the sender's passes: `maybeUpdate` says how long until it needs another.
 */
export class MetadataUpdater {
  private readonly addresses: BootstrapAddress[]
  private bootstrapNodes: BrokerNode[] | undefined
  private resolving = false
  private inFlightNode: number | undefined
  private closed = false

  constructor(
    private readonly metadata: Metadata,
    private readonly client: NetworkClient,
    bootstrapServers: string | readonly string[],
    private readonly resolveHost?: HostResolver,
  ) {
    this.addresses = parseBootstrapServers(bootstrapServers)
  }

  /** True while a Metadata request is in flight. */
  get updateInProgress(): boolean {
    return this.inFlightNode !== undefined
  }

  /**
   * Sends a Metadata request if one is due and a broker can take it. Returns the milliseconds until it wants
   * to be asked again (a response, connection or metadata event wakes the sender earlier).
   */
  maybeUpdate(nowMs: number): number {
    if (this.closed) return Number.POSITIVE_INFINITY
    if (this.bootstrapNodes === undefined) {
      this.startBootstrap()
      return Number.POSITIVE_INFINITY
    }
    const timeToNextUpdate = this.metadata.timeToNextUpdate(nowMs)
    const waitForFetch = this.inFlightNode === undefined ? 0 : this.client.requestTimeoutMs
    const delay = Math.max(timeToNextUpdate, waitForFetch)
    if (delay > 0) return delay
    const node = this.client.leastLoadedNode(this.candidates(), nowMs)
    // Every broker is backing off: ask again once a reconnect may be due.
    if (node === undefined) return this.client.reconnectBackoffMs
    if (this.client.isReady(node.id, nowMs)) {
      this.send(node, nowMs)
      return this.client.requestTimeoutMs
    }
    if (this.client.isConnecting(node.id)) return this.client.reconnectBackoffMs
    if (this.client.ready(node, nowMs)) {
      this.send(node, nowMs)
      return this.client.requestTimeoutMs
    }
    return this.client.reconnectBackoffMs
  }

  /** Reacts to connection events: refresh after an unexpected disconnect, surface authentication failures. */
  onNetworkEvent(event: NetworkEvent): void {
    if (event.type !== 'connection-state-changed' || event.error === undefined) return
    if (AuthenticationError.isInstance(event.error)) this.metadata.fatalError(event.error)
    this.metadata.requestUpdate()
  }

  close(): void {
    this.closed = true
  }

  private candidates(): readonly BrokerNode[] {
    const nodes = this.metadata.fetch().nodes
    return nodes.length > 0 ? nodes : this.bootstrapNodes!
  }

  private startBootstrap(): void {
    if (this.resolving) return
    this.resolving = true
    resolveBootstrapServers(this.addresses, this.resolveHost).then(
      (nodes) => {
        this.resolving = false
        if (this.closed) return
        this.bootstrapNodes = nodes
        this.metadata.bootstrap(nodes)
      },
      (error: unknown) => {
        this.resolving = false
        if (this.closed) return
        this.metadata.fatalError(
          KafkaError.isInstance(error)
            ? error
            : new KafkaError({ message: String(error), code: 'INVALID_CONFIG', cause: error }),
        )
      },
    )
  }

  private send(node: BrokerNode, nowMs: number): void {
    const topics = this.metadata.topicsToRequest(nowMs)
    const requestVersion = this.metadata.currentRequestVersion
    this.inFlightNode = node.id
    this.client.send(
      node.id,
      {
        api: metadataApi,
        minVersion: MIN_METADATA_VERSION,
        body: {
          topics: topics.map((name) => ({ name })),
          allowAutoTopicCreation: this.metadata.allowAutoTopicCreation,
          includeTopicAuthorizedOperations: false,
        },
        write: writeMetadataRequest,
        read: readMetadataResponse,
      },
      (response) => {
        this.inFlightNode = undefined
        if (this.closed) return
        const now = this.client.clock.now()
        if (response.error !== undefined || response.body === undefined) {
          this.metadata.failedUpdate(now)
          return
        }
        this.metadata.update(response.body, requestVersion, now)
        this.closeIdleBootstrapConnections()
      },
      nowMs,
    )
  }

  /** Bootstrap connections (negative ids) are not needed once the brokers are known. */
  private closeIdleBootstrapConnections(): void {
    for (const nodeId of this.client.connectedNodes()) {
      if (nodeId < 0 && this.client.inFlightRequestCount(nodeId) === 0) this.client.disconnect(nodeId)
    }
  }
}
