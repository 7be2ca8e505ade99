// Seeded fault scenarios (issue 11) with the KafkaProducer façade on the embedded cluster: schedules drawn
// from a seed and keyed to record/request counts, the oracle over the cluster's logs. The acceptance proof
// is the replay test: a deliberately failing scenario (idempotence off, disconnect after append, judged by
// the idempotent policy) run twice with one seed gives the same fault schedule and the same anomaly report.
import { KafkaProducer } from '@x/producer'
import {
  ANY_PRODUCER_FAULTS,
  IDEMPOTENT_PRODUCER_FAULTS,
  runScenario,
  type ScenarioProducerFactory,
} from '@x/testkit'
import { describe, expect, it } from 'vitest'
import { type ProducerMode, tableRow } from './support/oracle-producer.js'

const producerFor =
  (mode: ProducerMode): ScenarioProducerFactory =>
  ({ bootstrapServers, transport }) =>
    new KafkaProducer({
      bootstrapServers,
      transport,
      enableIdempotence: mode === 'idempotent',
      retryBackoffMs: 10,
      retryBackoffMaxMs: 50,
      requestTimeoutMs: 10_000,
      deliveryTimeoutMs: 30_000,
    })

describe('seeded scenarios replay exactly', () => {
  it('a failing scenario (idempotence off, disconnect after append) gives the same schedule and report twice', async () => {
    const run = () =>
      runScenario({
        seed: 20_251_123,
        idempotent: true, // judged by the idempotent policy: the plain producer's duplicates fail it
        generate: {
          faults: 6,
          kinds: ['disconnect-after-append', 'leader-move', 'retriable-error', 'slow-broker'],
        },
        producer: producerFor('plain'),
        workload: { records: 2_000, recordsPerTick: 100, partitions: 3 },
      })
    const first = await run()
    const second = await run()
    console.log(first.summary())
    expect(first.violations.some((v) => v.startsWith('duplicated'))).toBe(true) // it fails, as intended
    expect(second.schedule).toEqual(first.schedule)
    expect(second.applied).toEqual(first.applied)
    expect(second.report).toEqual(first.report)
    expect(second.violations).toEqual(first.violations)
  })
})

const seeds = [1, 2, 3, 4, 5]

describe.each([
  ['plain', ANY_PRODUCER_FAULTS],
  ['idempotent', IDEMPOTENT_PRODUCER_FAULTS],
] as const)('%s producer under generated fault schedules', (mode, kinds) => {
  it.each(seeds)('seed %i: nothing acked is lost, every send completes once', async (seed) => {
    const result = await runScenario({
      seed,
      idempotent: mode === 'idempotent',
      generate: { faults: 8, kinds },
      producer: producerFor(mode),
      workload: { records: 1_500, recordsPerTick: 100, partitions: 3 },
    })
    tableRow({
      id: 'S-seeded',
      scenario: `generated schedule, seed ${seed}, 8 faults`,
      broker: 'embedded',
      mode,
      report: result.report,
    })
    expect(result.violations, result.summary()).toEqual([])
    expect(result.report.counts.lost).toBe(0)
  })
})
