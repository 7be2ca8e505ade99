import type { ErrorName } from '@x/protocol'
import type { LeaderHint } from '../cluster/topic-state.js'
import { TestkitError } from '../testkit-error.js'
import type { ScenarioStep } from './scenario-step.js'
import { SeededRandom } from './seeded-random.js'

/** The faults a generated scenario draws from. */
export type ScenarioFaultKind =
  /** The broker appends the batch, then the connection drops before the response (idempotence's case). */
  | 'disconnect-after-append'
  /** The connection drops when the request arrives; nothing is appended. */
  | 'disconnect-before-append'
  /** NOT_LEADER_OR_FOLLOWER, NOT_ENOUGH_REPLICAS or REQUEST_TIMED_OUT on one partition, 1–3 times. */
  | 'retriable-error'
  /** NOT_ENOUGH_REPLICAS_AFTER_APPEND: the batch is appended, the response says it failed. */
  | 'error-after-append'
  /** MESSAGE_TOO_LARGE on one partition: the producer splits the batch (KIP-126), a single record fails. */
  | 'message-too-large'
  /** The partition's leadership moves to another broker with a KIP-951 hint (current, none or stale). */
  | 'leader-move'
  /** A broker goes down (leaders re-elected) and comes back some records later. */
  | 'broker-bounce'
  /** A broker answers Produce 5–50 ms late for a while. */
  | 'slow-broker'
  /** UNKNOWN_PRODUCER_ID on one partition (idempotent producers only: the broker never says it otherwise). */
  | 'unknown-producer-id'
  /** The brokers forget every producer id (idempotent producers only). */
  | 'expire-producer-ids'

/** Kinds that make sense for any producer. */
export const ANY_PRODUCER_FAULTS: readonly ScenarioFaultKind[] = [
  'disconnect-after-append',
  'disconnect-before-append',
  'retriable-error',
  'error-after-append',
  'message-too-large',
  'leader-move',
  'broker-bounce',
  'slow-broker',
]

/** Kinds for idempotent and transactional producers: the above plus the producer-id faults. */
export const IDEMPOTENT_PRODUCER_FAULTS: readonly ScenarioFaultKind[] = [
  ...ANY_PRODUCER_FAULTS,
  'unknown-producer-id',
  'expire-producer-ids',
]

export interface GenerateScenarioOptions {
  /** How many faults to draw. */
  readonly faults: number
  /** What to draw from. Default {@link ANY_PRODUCER_FAULTS}. */
  readonly kinds?: readonly ScenarioFaultKind[]
  /** Records the workload sends: record triggers fall within it. */
  readonly records: number
  readonly topic: string
  readonly partitions: number
  /** Broker ids. */
  readonly brokers: readonly number[]
}

const RETRIABLE: readonly ErrorName[] = ['NOT_LEADER_OR_FOLLOWER', 'NOT_ENOUGH_REPLICAS', 'REQUEST_TIMED_OUT']
const HINTS: readonly LeaderHint[] = ['current', 'none', 'stale']

/**
 * A fault schedule drawn from `seed`: the same seed and options give the same steps, in the same order,
 * anywhere. Faults fall between 5 % and 85 % of the records, so the run has a clean start and a tail that
 * shows recovery; a broker that goes down comes back within the run.
 */
export function generateScenario(seed: number, options: GenerateScenarioOptions): ScenarioStep[] {
  const kinds = options.kinds ?? ANY_PRODUCER_FAULTS
  if (kinds.length === 0)
    throw new TestkitError('INVALID_OPTION', 'generate.kinds must name at least one fault')
  if (options.brokers.length === 0)
    throw new TestkitError('INVALID_OPTION', 'generate needs at least one broker')
  const random = new SeededRandom(seed)
  const { records, topic } = options
  const steps: ScenarioStep[] = []
  const at = () => ({ record: random.int(Math.floor(records * 0.05), Math.floor(records * 0.85)) })
  const partition = () => random.int(0, options.partitions - 1)
  for (let i = 0; i < options.faults; i++) {
    const kind = random.pick(kinds)
    switch (kind) {
      case 'disconnect-after-append':
      case 'disconnect-before-append':
        steps.push({
          at: at(),
          action: {
            type: 'fault',
            rule: {
              type: 'disconnect',
              api: 'Produce',
              when: kind === 'disconnect-after-append' ? 'after-handling' : 'before-handling',
              skip: random.int(0, 2),
            },
          },
          note: kind,
        })
        break
      case 'retriable-error':
        steps.push({
          at: at(),
          action: {
            type: 'fault',
            rule: {
              type: 'error',
              api: 'Produce',
              topic,
              partition: partition(),
              error: random.pick(RETRIABLE),
              count: random.int(1, 3),
            },
          },
          note: kind,
        })
        break
      case 'error-after-append':
        steps.push({
          at: at(),
          action: {
            type: 'fault',
            rule: {
              type: 'error',
              api: 'Produce',
              topic,
              partition: partition(),
              error: 'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
              afterHandling: true,
            },
          },
          note: kind,
        })
        break
      case 'message-too-large':
        steps.push({
          at: at(),
          action: {
            type: 'fault',
            rule: {
              type: 'error',
              api: 'Produce',
              topic,
              partition: partition(),
              error: 'MESSAGE_TOO_LARGE',
            },
          },
          note: kind,
        })
        break
      case 'unknown-producer-id':
        steps.push({
          at: at(),
          action: {
            type: 'fault',
            rule: {
              type: 'error',
              api: 'Produce',
              topic,
              partition: partition(),
              error: 'UNKNOWN_PRODUCER_ID',
            },
          },
          note: kind,
        })
        break
      case 'leader-move':
        steps.push({
          at: at(),
          action: {
            type: 'move-leader',
            topic,
            partition: partition(),
            broker: random.pick(options.brokers),
            hint: random.pick(HINTS),
          },
          note: kind,
        })
        break
      case 'broker-bounce': {
        if (options.brokers.length < 2) break // one broker down is every broker down
        const down = at()
        const broker = random.pick(options.brokers)
        const up = Math.min(
          records,
          down.record + random.int(Math.ceil(records * 0.02), Math.ceil(records * 0.15)),
        )
        steps.push({ at: down, action: { type: 'broker-down', broker }, note: kind })
        steps.push({ at: { record: up }, action: { type: 'broker-up', broker }, note: kind })
        break
      }
      case 'slow-broker':
        steps.push({
          at: at(),
          action: {
            type: 'fault',
            rule: {
              type: 'latency',
              api: 'Produce',
              broker: random.pick(options.brokers),
              ms: random.int(5, 50),
              count: random.int(5, 30),
            },
          },
          note: kind,
        })
        break
      case 'expire-producer-ids':
        steps.push({ at: at(), action: { type: 'expire-producer-ids' }, note: kind })
        break
    }
  }
  // stable order by trigger; equal triggers keep drawing order
  return keepALeader(
    steps
      .map((step, index) => ({ step, index }))
      .sort((a, b) => recordOf(a.step) - recordOf(b.step) || a.index - b.index)
      .map(({ step }) => step),
    options.brokers,
  )
}

/**
 * Keeps one broker up at every point: a bounce that would take the last live broker down (or a broker
 * already down) is dropped with its broker-up, and a leader move to a broker that is down then goes to the
 * next live one. Otherwise a partition could have no leader until a later step, and a run that settles
 * between ticks would wait for the delivery timeout instead of reaching that step.
 */
function keepALeader(steps: ScenarioStep[], brokers: readonly number[]): ScenarioStep[] {
  const down = new Set<number>()
  const dropped = new Set<number>() // brokers whose next broker-up belongs to a dropped bounce
  const kept: ScenarioStep[] = []
  for (const step of steps) {
    const action = step.action
    if (action.type === 'broker-down') {
      if (down.has(action.broker) || down.size + 1 >= brokers.length) {
        dropped.add(action.broker)
        continue
      }
      down.add(action.broker)
    } else if (action.type === 'broker-up') {
      if (dropped.delete(action.broker) && !down.has(action.broker)) continue
      down.delete(action.broker)
    } else if (action.type === 'move-leader' && down.has(action.broker)) {
      const start = brokers.indexOf(action.broker)
      let target = action.broker
      for (let i = 1; i <= brokers.length && down.has(target); i++)
        target = brokers[(start + i) % brokers.length]!
      kept.push({ ...step, action: { ...action, broker: target } })
      continue
    }
    kept.push(step)
  }
  return kept
}

function recordOf(step: ScenarioStep): number {
  return 'record' in step.at ? step.at.record : Number.POSITIVE_INFINITY
}
