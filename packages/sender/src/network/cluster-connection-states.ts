import { ExponentialBackoff } from '@x/accumulator'
import type { KafkaError } from '@x/protocol'

/** A node's connection as the client tracks it (Java `ConnectionState`). */
export type ConnectionState = 'disconnected' | 'connecting' | 'ready' | 'authentication-failed'

interface NodeConnectionState {
  state: ConnectionState
  lastConnectAttemptMs: number
  failedAttempts: number
  reconnectBackoffMs: number
  throttleUntilMs: number
  lastError: KafkaError | undefined
}

const RECONNECT_BACKOFF_EXP_BASE = 2
const RECONNECT_BACKOFF_JITTER = 0.2

/**
 * Per-node connection state and reconnect backoff (Java `ClusterConnectionStates`): after each failed
 * attempt the wait before the next grows exponentially from `reconnect.backoff.ms` up to
 * `reconnect.backoff.max.ms`, with ±20% jitter so clients do not reconnect in lockstep. A successful
 * connection resets it. Also holds broker-requested throttling (KIP-219).
 */
export class ClusterConnectionStates {
  private readonly nodes = new Map<number, NodeConnectionState>()
  private readonly backoff: ExponentialBackoff

  constructor(reconnectBackoffMs: number, reconnectBackoffMaxMs: number, random: () => number = Math.random) {
    this.backoff = new ExponentialBackoff(
      reconnectBackoffMs,
      RECONNECT_BACKOFF_EXP_BASE,
      Math.max(reconnectBackoffMs, reconnectBackoffMaxMs),
      RECONNECT_BACKOFF_JITTER,
      random,
    )
  }

  state(nodeId: number): ConnectionState {
    return this.nodes.get(nodeId)?.state ?? 'disconnected'
  }

  /** No connection and no backoff pending: a connection attempt may start now. */
  canConnect(nodeId: number, nowMs: number): boolean {
    const node = this.nodes.get(nodeId)
    if (node === undefined) return true
    return (
      (node.state === 'disconnected' || node.state === 'authentication-failed') &&
      nowMs - node.lastConnectAttemptMs >= node.reconnectBackoffMs
    )
  }

  /** Milliseconds until the node may be connected to again: 0 when it can be now, Infinity while connected. */
  connectionDelay(nodeId: number, nowMs: number): number {
    const node = this.nodes.get(nodeId)
    if (node === undefined) return 0
    if (node.state === 'disconnected' || node.state === 'authentication-failed') {
      return Math.max(node.lastConnectAttemptMs + node.reconnectBackoffMs - nowMs, 0)
    }
    return Number.POSITIVE_INFINITY
  }

  /** Milliseconds the broker asked us to wait before sending again (throttle_time_ms), 0 when none. */
  throttleDelay(nodeId: number, nowMs: number): number {
    const node = this.nodes.get(nodeId)
    return node === undefined ? 0 : Math.max(node.throttleUntilMs - nowMs, 0)
  }

  throttle(nodeId: number, untilMs: number): void {
    const node = this.nodes.get(nodeId)
    if (node !== undefined && untilMs > node.throttleUntilMs) node.throttleUntilMs = untilMs
  }

  connecting(nodeId: number, nowMs: number): void {
    const node = this.nodes.get(nodeId)
    if (node === undefined) {
      this.nodes.set(nodeId, {
        state: 'connecting',
        lastConnectAttemptMs: nowMs,
        failedAttempts: 0,
        reconnectBackoffMs: 0,
        throttleUntilMs: 0,
        lastError: undefined,
      })
      return
    }
    node.state = 'connecting'
    node.lastConnectAttemptMs = nowMs
  }

  ready(nodeId: number): void {
    const node = this.nodes.get(nodeId)
    if (node === undefined) return
    node.state = 'ready'
    node.failedAttempts = 0
    node.reconnectBackoffMs = 0
    node.lastError = undefined
  }

  /**
   * The connection closed or failed. A connection the client closed on purpose (`error` undefined) may be
   * reopened at once; a failure backs off.
   */
  disconnected(
    nodeId: number,
    nowMs: number,
    error: KafkaError | undefined,
    authenticationFailed = false,
  ): void {
    const node = this.nodes.get(nodeId)
    if (node === undefined) return
    const wasReady = node.state === 'ready'
    node.state = authenticationFailed ? 'authentication-failed' : 'disconnected'
    node.lastError = error
    if (error === undefined) {
      node.reconnectBackoffMs = 0
      return
    }
    // A connection that had been up counts from the failure, not from the old connect attempt.
    if (wasReady) node.lastConnectAttemptMs = nowMs
    node.reconnectBackoffMs = this.backoff.backoff(node.failedAttempts)
    node.failedAttempts++
  }

  lastError(nodeId: number): KafkaError | undefined {
    return this.nodes.get(nodeId)?.lastError
  }

  remove(nodeId: number): void {
    this.nodes.delete(nodeId)
  }
}
