// The example of @x/testkit's README section "Seeded fault scenarios and the delivery oracle", as written there.
import { KafkaProducer } from '@x/producer'
import { runScenario } from '@x/testkit'
import { expect, it } from 'vitest'

it('runs the README scenario: a seeded schedule against KafkaProducer, every record checked', async () => {
  const result = await runScenario({
    seed: 7, // the schedule, the record keys and the run id all come from it
    generate: { faults: 4, kinds: ['disconnect-after-append', 'leader-move', 'broker-bounce'] },
    producer: ({ bootstrapServers, transport }) => new KafkaProducer({ bootstrapServers, transport }),
    workload: { records: 2_000, partitions: 3 },
  })
  expect(result.violations, result.summary()).toEqual([]) // summary(): the seed, each step as it ran, the counts
  expect(result.applied.length).toBeGreaterThan(0)
  expect(result.report.counts.acked).toBe(2_000)
})
