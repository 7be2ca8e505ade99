import type { ErrorName } from '@x/protocol'
import type { ApiName } from '../api-codecs.js'

/**
 * Which requests a fault applies to. Every field narrows the match; an empty match takes every request.
 * Rules are plain data, so a seeded scenario runner can generate, print and replay them.
 */
export interface FaultMatch {
  /** API name(s) as in the Kafka specs, e.g. `'Produce'`. */
  api?: ApiName | readonly ApiName[]
  /** The broker receiving the request. */
  broker?: number
  /** Only requests touching this topic; per-partition errors go to its partitions only. */
  topic?: string
  /** With `topic`: only this partition. */
  partition?: number
  /** Matching requests to let through before the fault starts. Default 0. */
  skip?: number
  /** How many matching requests the fault applies to (`Infinity` for all). Default 1; latency and throttle default to `Infinity`. */
  count?: number
}

/** Answer with an error code instead of handling the request (or after handling it, with `afterHandling`). */
export interface ErrorFault extends FaultMatch {
  type: 'error'
  /** The code or its name, e.g. `'NOT_LEADER_OR_FOLLOWER'`. Per-partition APIs put it on each matched partition. */
  error: number | ErrorName
  /**
   * Handle the request first (append the records), then answer with the error: the response lies about a
   * write that happened, e.g. NOT_ENOUGH_REPLICAS_AFTER_APPEND or REQUEST_TIMED_OUT after the append.
   */
  afterHandling?: boolean
}

/**
 * Close the connection when the request arrives (`before-handling`: nothing applied), after the broker
 * applied it and before the response is sent (`after-handling`: "disconnect after append", the case
 * idempotence must survive), or in the middle of the response (`mid-response`: applied, the first half of
 * the response's bytes sent, then the close, so the client holds a partial frame; a request that gets no
 * response, acks=0, closes after handling).
 */
export interface DisconnectFault extends FaultMatch {
  type: 'disconnect'
  when: 'before-handling' | 'after-handling' | 'mid-response'
}

/** Delay the response by `ms` (the request is applied at once; later responses on the connection wait behind it, as on a real socket). */
export interface LatencyFault extends FaultMatch {
  type: 'latency'
  ms: number
}

/** Keep the response until the test releases it through the `HeldResponses` that `faults.hold` returns. */
export interface HoldFault extends FaultMatch {
  type: 'hold'
}

/** Put `throttleTimeMs` in the response (a quota violation as the broker reports it). */
export interface ThrottleFault extends FaultMatch {
  type: 'throttle'
  throttleTimeMs: number
}

export type FaultRule = ErrorFault | DisconnectFault | LatencyFault | HoldFault | ThrottleFault
