/** The anomaly counts of one run, over every topic-partition the ledger sent to. */
export interface DeliveryCounts {
  /** Sends registered in the ledger. */
  sent: number
  /** Sends acknowledged (ok outcome). */
  acked: number
  /** Sends failed with an error. */
  failed: number
  /** Distinct sends of this run read back at least once. */
  read: number
  /** Acked, not read, and something later in its partition was read (Jepsen's lost write). */
  lost: number
  /** Acked, not read, and nothing later in its partition either: not (yet) visible. */
  unseen: number
  /** Extra copies read (a send read 3 times counts 2). */
  duplicated: number
  /** First copies read with a lower seq than an earlier offset of the same (partition, producer, key). */
  reordered: number
  /** Offsets where the readers disagree (missing in one, or different values). */
  inconsistent: number
  /** Read back although the send failed as not persisted, or its transaction aborted. */
  abortedRead: number
  /** Read back after failing as possibly persisted: allowed, reported. */
  maybePersistedPresent: number
  /** Seqs missing below a read seq of the same (producer, key) whose send failed: allowed, reported. */
  gaps: number
  /** Acked records read at an offset other than the acknowledged one. */
  offsetMismatches: number
  /** Acked records read in another partition than the acknowledged one. */
  misplaced: number
  /** Records read that no send of this run wrote (another run's, or undecodable). */
  foreign: number
  /** Records whose `x-test-seq` header does not repeat the value's identity. */
  corrupt: number
  /** Sends that never completed. */
  uncompleted: number
  /** Sends that completed more than once. */
  multipleCompletions: number
  /** A callback and a promise of one send disagreeing on the outcome. */
  outcomeMismatches: number
  /** Completions of one (partition, producer) out of send order (sends failed as not persisted aside). */
  completionOrderViolations: number
  /** Acked offsets of one partition not strictly increasing in completion order. */
  ackOffsetRegressions: number
  /** Completions later than `deliveryTimeoutMs + epsilonMs` after the send (when a timeout is given). */
  lateCompletions: number
}

/** Per topic-partition: the numbers of a reliability table row. */
export interface PartitionDelivery {
  readonly topic: string
  readonly partition: number
  acked: number
  read: number
  lost: number
  duplicated: number
  reordered: number
}

export type DeliveryAnomaly = Exclude<keyof DeliveryCounts, 'sent' | 'acked' | 'failed' | 'read'>

/** One instance of an anomaly, to find it in the logs. */
export interface DeliveryExample {
  readonly kind: DeliveryAnomaly
  readonly topic?: string
  readonly partition?: number
  readonly offset?: number
  readonly id?: number
  readonly producerId?: string
  readonly key?: string
  readonly seq?: number
  readonly detail?: string
}

/** What the oracle found: counts, per-partition rows, examples and the violations under the policy. */
export interface DeliveryReport {
  readonly runId: string
  readonly counts: DeliveryCounts
  readonly partitions: readonly PartitionDelivery[]
  /** Records each reader returned. */
  readonly readers: Readonly<Record<string, number>>
  /** Up to 10 examples of each anomaly found. */
  readonly examples: readonly DeliveryExample[]
  /** The anomalies the policy forbids, as `name: count`; empty when the run kept every promise. */
  readonly violations: readonly string[]
  readonly policy: DeliveryPolicy
}

/** Which anomalies are violations. */
export interface DeliveryPolicy {
  /**
   * An idempotent (or transactional) producer promises no duplicates, no reordering and completions in
   * send order per partition; without idempotence those are reported but allowed (as in Kafka's system
   * tests). Default true.
   */
  readonly idempotent: boolean
  /** When set, completions later than this plus `epsilonMs` after their send are violations. */
  readonly deliveryTimeoutMs?: number
  /** Default 1000. */
  readonly epsilonMs?: number
}

const ALWAYS: DeliveryAnomaly[] = [
  'lost',
  'unseen',
  'inconsistent',
  'abortedRead',
  'offsetMismatches',
  'misplaced',
  'foreign',
  'corrupt',
  'uncompleted',
  'multipleCompletions',
  'outcomeMismatches',
  'ackOffsetRegressions',
  'lateCompletions',
]
const IDEMPOTENT_ONLY: DeliveryAnomaly[] = ['duplicated', 'reordered', 'completionOrderViolations']

/** The anomalies `policy` forbids that `counts` shows, as `name: count`. */
export function deliveryViolations(counts: DeliveryCounts, policy: DeliveryPolicy): string[] {
  const forbidden = policy.idempotent ? [...ALWAYS, ...IDEMPOTENT_ONLY] : ALWAYS
  return forbidden.filter((kind) => counts[kind] > 0).map((kind) => `${kind}: ${counts[kind]}`)
}

/** A few lines for a test log: the headline counts, violations and the first examples. */
export function formatDeliveryReport(report: DeliveryReport, maxExamples = 5): string {
  const c = report.counts
  const lines = [
    `oracle ${report.runId}: sent ${c.sent}, acked ${c.acked}, failed ${c.failed}, read ${c.read}; ` +
      `lost ${c.lost}, unseen ${c.unseen}, duplicated ${c.duplicated}, reordered ${c.reordered}, ` +
      `inconsistent ${c.inconsistent}, aborted-read ${c.abortedRead}, maybe-persisted present ${c.maybePersistedPresent}, ` +
      `gaps ${c.gaps}; readers ${Object.entries(report.readers)
        .map(([name, n]) => `${name}=${n}`)
        .join(' ')}`,
  ]
  const other = (Object.keys(c) as (keyof DeliveryCounts)[]).filter(
    (kind) =>
      c[kind] > 0 &&
      ![
        'sent',
        'acked',
        'failed',
        'read',
        'lost',
        'unseen',
        'duplicated',
        'reordered',
        'inconsistent',
        'abortedRead',
        'maybePersistedPresent',
        'gaps',
      ].includes(kind),
  )
  if (other.length > 0) lines.push(`  also: ${other.map((kind) => `${kind} ${c[kind]}`).join(', ')}`)
  lines.push(
    report.violations.length === 0
      ? `  no violation (${report.policy.idempotent ? 'idempotent' : 'non-idempotent'} policy)`
      : `  VIOLATIONS: ${report.violations.join(', ')}`,
  )
  for (const example of report.examples.slice(0, maxExamples)) lines.push(`  e.g. ${JSON.stringify(example)}`)
  return lines.join('\n')
}
