// The seeded scenario runner with a deliberately naive at-least-once producer (RetryingWireProducer): it
// retries the same bytes after a lost response, so a disconnect after the append must show up as a
// duplicate — the negative control that proves the fault was injected and the oracle saw it.
import { describe, expect, it } from 'vitest'
import { EmbeddedKafkaCluster } from '../embedded-kafka-cluster.js'
import { DeliveryChecker } from '../oracle/delivery-checker.js'
import { readEmbeddedTopic } from '../oracle/read-embedded-topic.js'
import { ANY_PRODUCER_FAULTS, generateScenario, IDEMPOTENT_PRODUCER_FAULTS } from './generate-scenario.js'
import { runScenario } from './run-scenario.js'
import { describeStep, type ScenarioStep } from './scenario-step.js'
import { SeededRandom } from './seeded-random.js'
import { RetryingWireProducer } from './testing/retrying-wire-producer.js'

const naive = ({ cluster }: { cluster: EmbeddedKafkaCluster }) => new RetryingWireProducer(cluster)
const workload = { records: 120, recordsPerTick: 20, partitions: 3 }

describe('SeededRandom', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const draw = (seed: number) =>
      Array.from(
        { length: 5 },
        (
          (r) => () =>
            r.int(0, 1000)
        )(new SeededRandom(seed)),
      )
    expect(draw(1)).toEqual(draw(1))
    expect(draw(1)).not.toEqual(draw(2))
    const random = new SeededRandom(9)
    for (let i = 0; i < 1000; i++) {
      const value = random.next()
      expect(value >= 0 && value < 1).toBe(true)
    }
  })
})

describe('generateScenario', () => {
  const options = { faults: 12, records: 1000, topic: 't', partitions: 4, brokers: [1, 2, 3] }

  it('draws the same schedule from the same seed', () => {
    expect(generateScenario(42, options)).toEqual(generateScenario(42, options))
    expect(generateScenario(42, options)).not.toEqual(generateScenario(43, options))
  })

  it('keeps triggers inside the run, in record order, one broker always up, leaders moved to live brokers', () => {
    for (let seed = 0; seed < 200; seed++) {
      const steps = generateScenario(seed, { ...options, kinds: IDEMPOTENT_PRODUCER_FAULTS })
      const records = steps.map((step) => (step.at as { record: number }).record)
      expect(records).toEqual([...records].sort((a, b) => a - b))
      expect(records.every((record) => record >= 0 && record <= 1000)).toBe(true)
      const down = new Set<number>()
      for (const step of steps) {
        if (step.action.type === 'broker-down') down.add(step.action.broker)
        if (step.action.type === 'broker-up') down.delete(step.action.broker)
        if (step.action.type === 'move-leader') expect(down.has(step.action.broker)).toBe(false)
        expect(down.size).toBeLessThan(3)
      }
      expect(down.size).toBe(0)
    }
  })

  it('draws only the kinds it is given', () => {
    const steps = generateScenario(5, { ...options, kinds: ['slow-broker'] })
    expect(steps).toHaveLength(12)
    expect(steps.every((step) => step.action.type === 'fault' && step.action.rule.type === 'latency')).toBe(
      true,
    )
    expect(ANY_PRODUCER_FAULTS).not.toContain('unknown-producer-id')
  })

  it('describes each step on one line', () => {
    const step: ScenarioStep = {
      at: { request: 3, api: 'Produce', broker: 2 },
      action: { type: 'broker-down', broker: 2 },
      note: 'mid-flight',
    }
    expect(describeStep(step)).toBe('@request 3 Produce to broker 2: broker-down 2 — mid-flight')
  })
})

describe('runScenario', () => {
  it('finds nothing wrong in a run without faults', async () => {
    const result = await runScenario({ seed: 1, producer: naive, workload })
    expect(result.violations, result.summary()).toEqual([])
    expect(result.report.counts).toMatchObject({ sent: 120, acked: 120, read: 120, lost: 0, duplicated: 0 })
    expect(result.report.partitions.map((p) => p.partition)).toEqual([0, 1, 2])
  })

  it('shows the duplicate a lost response causes for a retrying producer (negative control)', async () => {
    const steps: ScenarioStep[] = [
      {
        at: { record: 30 },
        action: { type: 'fault', rule: { type: 'disconnect', api: 'Produce', when: 'after-handling' } },
      },
    ]
    const result = await runScenario({ seed: 2, steps, producer: naive, workload })
    expect(result.report.counts.duplicated).toBe(1)
    expect(result.report.counts.lost).toBe(0)
    expect(result.violations).toEqual(['duplicated: 1'])
    expect(result.applied).toEqual([
      { step: 0, atRecord: 30, description: describeStep(steps[0]!), error: undefined },
    ])
  })

  it('replays a failing seeded scenario identically: same schedule, same steps, same report', async () => {
    const run = () =>
      runScenario({
        seed: 77,
        generate: {
          faults: 6,
          kinds: ['disconnect-after-append', 'retriable-error', 'leader-move', 'broker-bounce'],
        },
        producer: naive,
        workload: { records: 300, recordsPerTick: 25, partitions: 3 },
      })
    const first = await run()
    const second = await run()
    expect(first.report.counts.duplicated).toBeGreaterThan(0) // it does fail
    expect(second.schedule).toEqual(first.schedule)
    expect(second.applied).toEqual(first.applied)
    expect(second.report).toEqual(first.report)
    expect(second.summary()).toBe(first.summary())
  })

  it('runs a cluster action at the n-th request, after the broker applied it and before its response', async () => {
    const cluster = await EmbeddedKafkaCluster.start({ brokers: 3, listen: false })
    try {
      const topic = cluster.createTopic({ name: 'scenario', partitions: 1, replicationFactor: 3 })
      const leader = topic.partitions[0]!.leader
      const result = await runScenario({
        seed: 3,
        cluster,
        steps: [{ at: { request: 5, api: 'Produce' }, action: { type: 'broker-down', broker: leader } }],
        producer: naive,
        workload: { records: 20, recordsPerTick: 20 },
      })
      // request 5 was appended, its response dropped with the connection: the naive retry duplicates it
      expect(result.applied[0]!.atRecord).toBe(20)
      expect(result.report.counts.duplicated).toBe(1)
      expect(cluster.topic('scenario')!.partitions[0]!.leader).not.toBe(leader)
      expect(cluster.brokers.every((broker) => broker.isUp)).toBe(true) // healed at the end
    } finally {
      await cluster.stop()
    }
  })

  it('applies a fault rule to the n-th matching request when triggered by requests', async () => {
    const result = await runScenario({
      seed: 4,
      steps: [
        {
          at: { request: 7, api: 'Produce' },
          action: { type: 'fault', rule: { type: 'disconnect', when: 'after-handling' } },
        },
      ],
      producer: naive,
      workload: { records: 10, recordsPerTick: 10, partitions: 1 },
    })
    // one record per request, in order: the seventh record is the one appended twice
    expect(result.report.examples).toContainEqual(expect.objectContaining({ kind: 'duplicated', offset: 7 }))
  })

  it('reports a step whose trigger was never reached', async () => {
    const result = await runScenario({
      seed: 5,
      steps: [{ at: { request: 10_000 }, action: { type: 'broker-down', broker: 1 } }],
      producer: naive,
      workload: { records: 10, recordsPerTick: 10 },
    })
    expect(result.applied[0]!.atRecord).toBeUndefined()
    expect(result.summary()).toContain('not reached')
  })

  it('checks the oracle against the embedded log itself: a planted loss and a planted duplicate', async () => {
    const cluster = await EmbeddedKafkaCluster.start({ brokers: 1, listen: false })
    try {
      const result = await runScenario({
        seed: 6,
        cluster,
        producer: naive,
        workload: { records: 30, recordsPerTick: 30, partitions: 1 },
      })
      expect(result.violations).toEqual([])
      // plant: drop offsets 0..1 (acked, now gone while later ones remain) and append record 5 once more
      cluster.deleteRecords('scenario', 0, 2)
      const again = new RetryingWireProducer(cluster)
      const copy = cluster.records('scenario', 0).find((record) => record.offset === 5n)!
      await again.send({
        topic: 'scenario',
        partition: 0,
        key: copy.key,
        value: copy.value!,
        headers: copy.headers.map((h) => ({ key: h.key, value: h.value! })),
      })
      await again.close()
      const report = new DeliveryChecker(result.ledger)
        .read('cluster', readEmbeddedTopic(cluster, 'scenario'))
        .report()
      expect(report.counts).toMatchObject({ lost: 2, duplicated: 1 })
      expect(report.violations).toEqual(['lost: 2', 'duplicated: 1'])
    } finally {
      await cluster.stop()
    }
  })
})
