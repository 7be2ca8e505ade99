import { EmbeddedKafkaCluster, type EmbeddedKafkaClusterOptions } from '../embedded-kafka-cluster.js'
import type { HoldFault } from '../faults/fault-rule.js'
import { DeliveryChecker } from '../oracle/delivery-checker.js'
import { DeliveryLedger } from '../oracle/delivery-ledger.js'
import type { DeliveryReport } from '../oracle/delivery-report.js'
import { readEmbeddedTopic } from '../oracle/read-embedded-topic.js'
import { TestkitError } from '../testkit-error.js'
import { type GenerateScenarioOptions, generateScenario } from './generate-scenario.js'
import type { ScenarioProducer, ScenarioProducerFactory } from './scenario-producer.js'
import { describeStep, type ScenarioAction, type ScenarioStep } from './scenario-step.js'
import { SeededRandom } from './seeded-random.js'

/** What the runner sends: one topic, keyed oracle records, in ticks. */
export interface ScenarioWorkload {
  /** Default `scenario`. Created by the runner unless it exists. */
  readonly topic?: string
  /** Default 3. */
  readonly partitions?: number
  /** Default: min(3, brokers). */
  readonly replicationFactor?: number
  /** Default 1000. */
  readonly records?: number
  /** Distinct keys, drawn from the seed for each record. Default 6. */
  readonly keys?: number
  /** Write the key as the record key (default true: placement is murmur2, deterministic). */
  readonly keyed?: boolean
  /** Value size in bytes. Default 64. */
  readonly valueBytes?: number
  /** Records sent between two settle points. Default 50. */
  readonly recordsPerTick?: number
  /**
   * What happens between ticks: `flush` (default) waits until every record sent so far completed, so what
   * the producer does depends on counts only and a run replays exactly; `yield` only lets the event loop
   * turn, keeping requests in flight across ticks (more concurrency, timing-dependent).
   */
  readonly settle?: 'flush' | 'yield'
}

export interface RunScenarioOptions {
  /** Drives the generated schedule, the keys of the records and the run id. */
  readonly seed: number
  /** An explicit schedule; combined with `generate` when both are given (explicit steps first on ties). */
  readonly steps?: readonly ScenarioStep[]
  /** Draw `faults` steps from `kinds` with the seed (topic, partitions, brokers and records from the run). */
  readonly generate?: Pick<GenerateScenarioOptions, 'faults' | 'kinds'>
  /** Builds the producer under test on the cluster. */
  readonly producer: ScenarioProducerFactory
  /** The oracle's policy: an idempotent producer must show no duplicate and no reordering. Default true. */
  readonly idempotent?: boolean
  readonly workload?: ScenarioWorkload
  /** A running cluster (left running), or options for one the runner starts and stops. Default 3 brokers, in memory. */
  readonly cluster?: EmbeddedKafkaCluster | EmbeddedKafkaClusterOptions
  /** How long every send may take to complete after the last one was sent. Default 120000. */
  readonly completionTimeoutMs?: number
  /** `close({ timeoutMs })` of the producer at the end. Default 30000. */
  readonly closeTimeoutMs?: number
}

/** One step of the schedule as it ran. */
export interface AppliedStep {
  readonly step: number
  readonly description: string
  /** Records sent when it ran; `undefined` when its trigger was never reached. */
  readonly atRecord: number | undefined
  readonly error?: string
}

export interface ScenarioResult {
  readonly seed: number
  /** The full schedule, in application order: everything needed to replay the faults. */
  readonly schedule: readonly ScenarioStep[]
  readonly applied: readonly AppliedStep[]
  /** The oracle over the cluster's logs. */
  readonly report: DeliveryReport
  readonly ledger: DeliveryLedger
  /** Sends still without completion when `completionTimeoutMs` ran out (a hang), before close failed them. */
  readonly hung: number
  /** Unexpected failures inside the embedded brokers. */
  readonly brokerErrors: readonly string[]
  /** Report violations, plus `hung` and broker errors: empty when the run kept every promise. */
  readonly violations: readonly string[]
  /** The schedule and the report as text, starting with the seed to replay. */
  summary(): string
}

/**
 * Runs a producer against the embedded cluster under a seeded fault schedule and checks every record with
 * the delivery oracle. The schedule is keyed to record and request counts, never to wall time, so a
 * failing seed replays the same faults on any machine. With `settle: 'flush'` and keyed records, what the
 * producer is asked to do depends on counts only, so the whole run — report included — replays too
 * (checked for the KafkaProducer and a naive client by running a failing seed twice); a producer whose own
 * choices depend on time or randomness (sticky partitioning of keyless records) replays the schedule only.
 *
 * ```ts
 * const result = await runScenario({
 *   seed: 7,
 *   generate: { faults: 4 },
 *   idempotent: false,
 *   producer: ({ bootstrapServers, transport }) =>
 *     new KafkaProducer({ bootstrapServers, transport, enableIdempotence: false }),
 * })
 * expect(result.violations, result.summary()).toEqual([])
 * ```
 */
export async function runScenario(options: RunScenarioOptions): Promise<ScenarioResult> {
  const workload = options.workload ?? {}
  const topic = workload.topic ?? 'scenario'
  const records = workload.records ?? 1000
  const perTick = workload.recordsPerTick ?? 50
  const keys = workload.keys ?? 6
  if (!Number.isInteger(records) || records < 1) {
    throw new TestkitError('INVALID_OPTION', `workload.records must be a positive integer, got ${records}`)
  }
  if (!Number.isInteger(perTick) || perTick < 1) {
    throw new TestkitError(
      'INVALID_OPTION',
      `workload.recordsPerTick must be a positive integer, got ${perTick}`,
    )
  }
  const owned = !(options.cluster instanceof EmbeddedKafkaCluster)
  const cluster =
    options.cluster instanceof EmbeddedKafkaCluster
      ? options.cluster
      : await EmbeddedKafkaCluster.start({ brokers: 3, listen: false, ...options.cluster })
  let producer: ScenarioProducer | undefined
  try {
    const brokerIds = cluster.brokers.map((broker) => broker.id)
    if (cluster.topic(topic) === undefined) {
      cluster.createTopic({
        name: topic,
        partitions: workload.partitions ?? 3,
        replicationFactor: workload.replicationFactor ?? Math.min(3, brokerIds.length),
      })
    }
    const partitions = cluster.topic(topic)!.partitions.length
    const generated = options.generate
      ? generateScenario(options.seed, {
          ...options.generate,
          records,
          topic,
          partitions,
          brokers: brokerIds,
        })
      : []
    const schedule = mergeSchedules(options.steps ?? [], generated)
    const applied: (AppliedStep | undefined)[] = schedule.map(() => undefined)
    const ledger = new DeliveryLedger({ runId: `seed-${options.seed >>> 0}` })
    const random = new SeededRandom(options.seed ^ 0x5eed)
    let sent = 0

    const apply = async (index: number): Promise<void> => {
      const step = schedule[index]!
      let error: string | undefined
      try {
        await applyAction(cluster, step.action)
      } catch (failure) {
        error = failure instanceof Error ? failure.message : String(failure)
      }
      applied[index] = { step: index, description: describeStep(step), atRecord: sent, error }
    }

    // request triggers: fault rules skip to the n-th request; cluster actions hold that response meanwhile
    for (const [index, step] of schedule.entries()) {
      if (!('request' in step.at)) continue
      const { request, api, broker } = step.at
      if (!Number.isInteger(request) || request < 1) {
        throw new TestkitError(
          'INVALID_OPTION',
          `Step ${index}: a request trigger counts from 1, got ${request}`,
        )
      }
      if (step.action.type === 'fault') {
        const rule = step.action.rule
        cluster.faults.add({
          ...rule,
          api: rule.api ?? api,
          broker: rule.broker ?? broker,
          skip: (rule.skip ?? 0) + request - 1,
        })
        applied[index] = { step: index, description: describeStep(step), atRecord: 0 }
      } else {
        const hold: HoldFault = { type: 'hold', api, broker, skip: request - 1, count: 1 }
        const held = cluster.faults.hold(hold)
        held.waitFor(1).then(
          async () => {
            await apply(index)
            held.releaseAll()
          },
          () => undefined, // the cluster stopped before the trigger was reached
        )
      }
    }

    producer = await options.producer({
      bootstrapServers: cluster.bootstrapServers,
      transport: cluster.transport,
      cluster,
    })
    const byRecord = schedule
      .map((step, index) => ({ step, index }))
      .filter(({ step }) => 'record' in step.at)
      .sort((a, b) => (a.step.at as { record: number }).record - (b.step.at as { record: number }).record)
    let nextStep = 0
    const settle = async () => {
      if (workload.settle === 'yield') await new Promise((resolve) => setImmediate(resolve))
      else await producer!.flush()
    }
    const runDueSteps = async () => {
      while (
        nextStep < byRecord.length &&
        (byRecord[nextStep]!.step.at as { record: number }).record <= sent
      ) {
        // no settle first: a broker-up must not wait for records that only it can deliver
        await apply(byRecord[nextStep++]!.index)
      }
    }

    for (; sent < records; ) {
      await runDueSteps()
      const record = ledger.next({
        topic,
        key: `k${random.int(0, keys - 1)}`,
        keyed: workload.keyed ?? true,
        valueBytes: workload.valueBytes ?? 64,
      })
      try {
        const callback = ledger.callback(record.id)
        const promise = producer.send(record, callback)
        void ledger.track(record.id, promise)
      } catch (error) {
        ledger.complete(record.id, { ok: false, error, persisted: 'no' })
      }
      sent++
      if (sent % perTick === 0) await settle()
    }
    await runDueSteps()
    await producer.flush()
    let hung = 0
    try {
      await ledger.whenCompleted(options.completionTimeoutMs ?? 120_000)
    } catch {
      hung = ledger.pending
    }

    // heal, then close: what is still pending may finish now
    cluster.faults.clear()
    for (const broker of cluster.brokers) if (!broker.isUp) await cluster.faults.brokerUp(broker.id)
    await producer.close({ timeoutMs: options.closeTimeoutMs ?? 30_000 })
    producer = undefined

    const report = new DeliveryChecker(ledger)
      .read('cluster', readEmbeddedTopic(cluster, topic))
      .report({ idempotent: options.idempotent ?? true })
    const brokerErrors = cluster.errors.map(({ brokerId, error }) => `broker ${brokerId}: ${String(error)}`)
    const violations = [
      ...report.violations,
      ...(hung > 0 ? [`hung: ${hung}`] : []),
      ...(brokerErrors.length > 0 ? [`broker errors: ${brokerErrors.length}`] : []),
    ]
    const steps = schedule.map(
      (step, index) =>
        applied[index] ?? { step: index, description: describeStep(step), atRecord: undefined },
    )
    return {
      seed: options.seed,
      schedule,
      applied: steps,
      report,
      ledger,
      hung,
      brokerErrors,
      violations,
      summary: () => summarize(options.seed, steps, report, violations),
    }
  } finally {
    if (producer !== undefined) await producer.close({ timeoutMs: 0 }).catch(() => undefined)
    if (owned) await cluster.stop()
  }
}

async function applyAction(cluster: EmbeddedKafkaCluster, action: ScenarioAction): Promise<void> {
  switch (action.type) {
    case 'fault':
      cluster.faults.add(action.rule)
      return
    case 'broker-down':
      await cluster.faults.brokerDown(action.broker, { electLeaders: action.electLeaders ?? true })
      return
    case 'broker-up':
      await cluster.faults.brokerUp(action.broker)
      return
    case 'move-leader':
      cluster.faults.moveLeader(action.topic, action.partition, action.broker, {
        hint: action.hint ?? 'current',
      })
      return
    case 'expire-producer-ids': {
      const ids = new Set<bigint>()
      for (const name of cluster.topicNames) {
        for (const { partition } of cluster.topic(name)!.partitions) {
          for (const batch of cluster.batches(name, partition))
            if (batch.producerId >= 0n) ids.add(batch.producerId)
        }
      }
      for (const id of ids) cluster.expireProducerId(id)
      return
    }
    case 'clear-faults':
      cluster.faults.clear()
      return
  }
}

/** Explicit steps and generated ones in one list, by record trigger (request triggers last), stable. */
function mergeSchedules(
  explicit: readonly ScenarioStep[],
  generated: readonly ScenarioStep[],
): ScenarioStep[] {
  const key = (step: ScenarioStep) => ('record' in step.at ? step.at.record : Number.POSITIVE_INFINITY)
  return [...explicit, ...generated]
    .map((step, index) => ({ step, index }))
    .sort((a, b) => key(a.step) - key(b.step) || a.index - b.index)
    .map(({ step }) => step)
}

function summarize(
  seed: number,
  applied: readonly AppliedStep[],
  report: DeliveryReport,
  violations: readonly string[],
): string {
  const c = report.counts
  const lines = [
    `scenario seed ${seed} (replay: runScenario({ seed: ${seed}, ... }) with the same options)`,
    ...applied.map(
      (step) =>
        `  ${step.atRecord === undefined ? 'not reached' : `at ${step.atRecord}`}: ${step.description}${step.error ? ` (failed: ${step.error})` : ''}`,
    ),
    `  sent ${c.sent}, acked ${c.acked}, failed ${c.failed}, read ${c.read}, lost ${c.lost}, duplicated ${c.duplicated}, reordered ${c.reordered}, gaps ${c.gaps}`,
    ...report.partitions.map(
      (p) =>
        `  ${p.topic}-${p.partition}: acked ${p.acked}, read ${p.read}, lost ${p.lost}, duplicated ${p.duplicated}, reordered ${p.reordered}`,
    ),
    violations.length === 0 ? '  no violation' : `  VIOLATIONS: ${violations.join(', ')}`,
  ]
  return lines.join('\n')
}
