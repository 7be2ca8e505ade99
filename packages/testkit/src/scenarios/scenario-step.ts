import type { ApiName } from '../api-codecs.js'
import type { LeaderHint } from '../cluster/topic-state.js'
import type { FaultRule } from '../faults/fault-rule.js'

/**
 * When a step happens, counted in records or requests, never in wall time, so a schedule replays the same
 * way on a fast or a loaded machine.
 * - `{ record: n }`: once `n` records have been sent (0: before the first).
 * - `{ request: n, api?, broker? }`: at the `n`-th matching request (1-based). A fault rule then applies to
 *   that request itself; a cluster action runs after the broker applied it and before its response leaves.
 */
export type ScenarioTrigger =
  | { readonly record: number }
  | { readonly request: number; readonly api?: ApiName; readonly broker?: number }

/** What a step does: a testkit fault rule, or a cluster operation. */
export type ScenarioAction =
  | { readonly type: 'fault'; readonly rule: FaultRule }
  | { readonly type: 'broker-down'; readonly broker: number; readonly electLeaders?: boolean }
  | { readonly type: 'broker-up'; readonly broker: number }
  | {
      readonly type: 'move-leader'
      readonly topic: string
      readonly partition: number
      readonly broker: number
      readonly hint?: LeaderHint
    }
  /** Forgets every producer id's state on every partition (`producer.id.expiration.ms`): UNKNOWN_PRODUCER_ID follows. */
  | { readonly type: 'expire-producer-ids' }
  /** Removes every fault rule still in force. */
  | { readonly type: 'clear-faults' }

/** One line of a scenario: plain data, so a schedule can be printed, stored and replayed. */
export interface ScenarioStep {
  readonly at: ScenarioTrigger
  readonly action: ScenarioAction
  /** Why the step is there, for the printed schedule. */
  readonly note?: string
}

/** A one-line description of a step, e.g. `@record 120: broker-down 2`. */
export function describeStep(step: ScenarioStep): string {
  const at =
    'record' in step.at
      ? `@record ${step.at.record}`
      : `@request ${step.at.request}${step.at.api ? ` ${step.at.api}` : ''}${step.at.broker !== undefined ? ` to broker ${step.at.broker}` : ''}`
  const action = step.action
  let what: string
  switch (action.type) {
    case 'fault': {
      const { type, ...rest } = action.rule
      what = `fault ${type} ${JSON.stringify(rest)}`
      break
    }
    case 'broker-down':
      what = `broker-down ${action.broker}${action.electLeaders === false ? ' (no election)' : ''}`
      break
    case 'broker-up':
      what = `broker-up ${action.broker}`
      break
    case 'move-leader':
      what = `move-leader ${action.topic}-${action.partition} to ${action.broker} (hint ${action.hint ?? 'current'})`
      break
    default:
      what = action.type
  }
  return `${at}: ${what}${step.note ? ` — ${step.note}` : ''}`
}
