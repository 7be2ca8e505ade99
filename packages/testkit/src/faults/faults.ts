import { ErrorCode, type ErrorName } from '@x/protocol'
import type { ApiName } from '../api-codecs.js'
import type { LeaderHint } from '../cluster/topic-state.js'
import { TestkitError } from '../testkit-error.js'
import type {
  DisconnectFault,
  ErrorFault,
  FaultMatch,
  FaultRule,
  HoldFault,
  LatencyFault,
  ThrottleFault,
} from './fault-rule.js'
import { HeldResponses } from './held-responses.js'

/** A fault in force: how often it has applied, how often it still will, and a way to remove it. */
export interface FaultHandle {
  readonly rule: FaultRule
  /** Requests it applied to so far. */
  readonly applied: number
  /** Requests it will still apply to (`Infinity` for a standing fault). */
  readonly remaining: number
  cancel(): void
}

/** The cluster operations behind broker and leader faults (implemented by the cluster). */
export interface FaultTarget {
  brokerDown(brokerId: number, options: { electLeaders: boolean }): Promise<void>
  brokerUp(brokerId: number): Promise<void>
  moveLeader(topic: string, partition: number, brokerId: number, hint: LeaderHint): void
  topicPartitions(topic: string): number
}

/** What the faults decided for one request, read by the connection and the handler. */
export interface RequestFaults {
  /** The injected code for this partition (or for the whole request without arguments), else 0. */
  errorFor(topic?: string, partition?: number, afterHandling?: boolean): number
  readonly disconnect: DisconnectFault['when'] | undefined
  readonly latencyMs: number
  readonly hold: HeldResponses | undefined
  readonly throttleTimeMs: number | undefined
  /** Human-readable descriptions of the faults applied, for the request log. */
  readonly descriptions: readonly string[]
}

export const NO_FAULTS: RequestFaults = {
  errorFor: () => 0,
  disconnect: undefined,
  latencyMs: 0,
  hold: undefined,
  throttleTimeMs: undefined,
  descriptions: [],
}

/** Lists the topic-partitions a request touches, for topic/partition filters. */
export type PartitionVisitor = (visit: (topic: string, partition: number) => boolean) => boolean

interface ActiveRule {
  readonly rule: FaultRule
  skip: number
  remaining: number
  applied: number
  readonly held?: HeldResponses
}

function errorCodeOf(error: number | ErrorName): number {
  if (typeof error === 'number') return error
  const code = (ErrorCode as Record<string, number | undefined>)[error]
  if (code === undefined) {
    throw new TestkitError(
      'INVALID_OPTION',
      `Unknown error name "${error}" in a fault: use a Kafka error name such as NOT_LEADER_OR_FOLLOWER or a numeric code`,
    )
  }
  return code
}

function describe(rule: FaultRule): string {
  switch (rule.type) {
    case 'error':
      return `error ${rule.error}${rule.afterHandling ? ' after handling' : ''}`
    case 'disconnect':
      return `disconnect ${rule.when}`
    case 'latency':
      return `latency ${rule.ms} ms`
    case 'hold':
      return 'hold'
    case 'throttle':
      return `throttle ${rule.throttleTimeMs} ms`
  }
}

/**
 * Deterministic, scriptable fault injection. Faults are rules matched against each request in arrival
 * order, each applying to the next `count` matching requests; broker and leader faults act at once.
 *
 * ```ts
 * cluster.faults.injectError({ api: 'Produce', error: 'NOT_LEADER_OR_FOLLOWER', count: 2 })
 * cluster.faults.disconnect({ api: 'Produce', when: 'after-handling' }) // the append happens, the response is lost
 * const held = cluster.faults.hold({ api: 'Produce', count: 2 })
 * await held.waitFor(2); held.release(1); held.release(0)
 * ```
 */
export class Faults {
  private rules: ActiveRule[] = []
  private readonly holds: HeldResponses[] = []

  /** @internal */
  constructor(private readonly target: FaultTarget) {}

  /** Adds any rule (the scenario-runner entry point); the typed helpers below call it. */
  add(rule: FaultRule): FaultHandle {
    const standing = rule.type === 'latency' || rule.type === 'throttle'
    const count = rule.count ?? (standing ? Number.POSITIVE_INFINITY : 1)
    if (!(count > 0))
      throw new TestkitError('INVALID_OPTION', `Fault count must be positive, got ${rule.count}`)
    if (rule.type === 'error') errorCodeOf(rule.error)
    if (rule.partition !== undefined && rule.topic === undefined) {
      throw new TestkitError('INVALID_OPTION', 'A fault with a partition needs its topic too')
    }
    const active: ActiveRule = {
      rule,
      skip: rule.skip ?? 0,
      remaining: count,
      applied: 0,
      held: rule.type === 'hold' ? new HeldResponses() : undefined,
    }
    if (active.held) this.holds.push(active.held)
    this.rules.push(active)
    return {
      rule,
      get applied() {
        return active.applied
      },
      get remaining() {
        return active.remaining
      },
      cancel: () => {
        this.rules = this.rules.filter((candidate) => candidate !== active)
      },
    }
  }

  /** Answers the next `count` matching requests with `error` (per matched partition for per-partition APIs). */
  injectError(options: Omit<ErrorFault, 'type'>): FaultHandle {
    return this.add({ ...options, type: 'error' })
  }

  /** Closes the connection before or after the broker applies the next `count` matching requests. */
  disconnect(options: Omit<DisconnectFault, 'type'>): FaultHandle {
    return this.add({ ...options, type: 'disconnect' })
  }

  /** Delays responses to matching requests by `ms` (every matching request unless `count` is given). */
  latency(options: Omit<LatencyFault, 'type'>): FaultHandle {
    return this.add({ ...options, type: 'latency' })
  }

  /** Sets `throttleTimeMs` in responses to matching requests. */
  throttle(options: Omit<ThrottleFault, 'type'>): FaultHandle {
    return this.add({ ...options, type: 'throttle' })
  }

  /** Keeps back the responses to the next `count` matching requests until released. */
  hold(options: Omit<HoldFault, 'type'> = {}): HeldResponses {
    const before = this.rules.length
    this.add({ ...options, type: 'hold' })
    return this.rules[before]!.held!
  }

  /**
   * Takes a broker down: it refuses new connections and its open ones close. By default its partitions
   * move to another live replica with a new leader epoch (a controller's election); with
   * `electLeaders: false` they keep it as leader and are unavailable until it returns.
   */
  brokerDown(brokerId: number, options: { electLeaders?: boolean } = {}): Promise<void> {
    return this.target.brokerDown(brokerId, { electLeaders: options.electLeaders ?? true })
  }

  /** Brings a broker back on its old address; it rejoins every ISR and leads partitions that had no leader. */
  brokerUp(brokerId: number): Promise<void> {
    return this.target.brokerUp(brokerId)
  }

  /**
   * Moves a partition's leadership to `brokerId` with a new leader epoch. The old leader answers
   * NOT_LEADER_OR_FOLLOWER; `hint` says what it tells clients (KIP-951): the new leader (`current`,
   * default), nothing (`none`), or the old leader and epoch (`stale`).
   */
  moveLeader(topic: string, partition: number, brokerId: number, options: { hint?: LeaderHint } = {}): void {
    this.target.moveLeader(topic, partition, brokerId, options.hint ?? 'current')
  }

  /** Removes every rule (broker states and leaders stay as they are). */
  clear(): void {
    this.rules = []
  }

  /** Rules still in force. */
  get active(): readonly FaultHandle[] {
    return this.rules.map((active) => ({
      rule: active.rule,
      applied: active.applied,
      remaining: active.remaining,
      cancel: () => {
        this.rules = this.rules.filter((candidate) => candidate !== active)
      },
    }))
  }

  /** True when no rule is in force: the connection's fast path skips fault evaluation. */
  get isEmpty(): boolean {
    return this.rules.length === 0
  }

  /** @internal Decides what happens to one request. */
  decide(api: ApiName, brokerId: number, partitions: PartitionVisitor): RequestFaults {
    if (this.rules.length === 0) return NO_FAULTS
    let errors: ErrorFault[] | undefined
    let disconnect: RequestFaults['disconnect']
    let latencyMs = 0
    let hold: HeldResponses | undefined
    let throttleTimeMs: number | undefined
    const descriptions: string[] = []
    for (const active of this.rules) {
      if (!matches(active.rule, api, brokerId, partitions)) continue
      if (active.skip > 0) {
        active.skip--
        continue
      }
      const rule = active.rule
      if (rule.type === 'hold' && hold !== undefined) continue // one hold per response
      if (rule.type === 'disconnect' && disconnect !== undefined) continue
      active.remaining--
      active.applied++
      descriptions.push(describe(rule))
      switch (rule.type) {
        case 'error':
          errors ??= []
          errors.push(rule)
          break
        case 'disconnect':
          disconnect = rule.when
          break
        case 'latency':
          latencyMs += rule.ms
          break
        case 'hold':
          hold = active.held
          break
        case 'throttle':
          throttleTimeMs = rule.throttleTimeMs
          break
      }
    }
    this.rules = this.rules.filter((active) => active.remaining > 0)
    if (descriptions.length === 0) return NO_FAULTS
    const applied = errors
    return {
      errorFor(topic?: string, partition?: number, afterHandling = false): number {
        if (applied === undefined) return 0
        for (const rule of applied) {
          if ((rule.afterHandling ?? false) !== afterHandling) continue
          if (rule.topic !== undefined) {
            if (topic === undefined || rule.topic !== topic) continue
            if (rule.partition !== undefined && rule.partition !== partition) continue
          }
          return errorCodeOf(rule.error)
        }
        return 0
      },
      disconnect,
      latencyMs,
      hold,
      throttleTimeMs,
      descriptions,
    }
  }

  /** @internal The cluster stopped: wake every test waiting on held responses. */
  abandon(): void {
    for (const held of this.holds) held.abandon()
    this.rules = []
  }
}

function matches(rule: FaultMatch, api: ApiName, brokerId: number, partitions: PartitionVisitor): boolean {
  if (rule.api !== undefined) {
    if (typeof rule.api === 'string' ? rule.api !== api : !rule.api.includes(api)) return false
  }
  if (rule.broker !== undefined && rule.broker !== brokerId) return false
  if (rule.topic !== undefined) {
    const topic = rule.topic
    const partition = rule.partition
    return partitions((t, p) => t === topic && (partition === undefined || p === partition || p < 0))
  }
  return true
}
