// Checklist S1, bounded for CI: 2,000,000 oracle records of 100 bytes at a steady 100,000/s target to the
// real single node (6 partitions), RSS and heap sampled after a forced GC, then every record streamed back
// through kcat and the Java consumer. The longer soak is `npm run reliability:soak` (test/reliability/soak.ts).
import { createTopic } from '@x/kafka-harness'
import { kafkaSingleNode, uniqueTopic } from '@x/kafka-harness/vitest'
import { expect, it } from 'vitest'
import { tableRow } from './support/oracle-producer.js'
import { runSoak } from './support/soak-run.js'

const RECORDS = 2_000_000

it('S1: 2 M records at a steady rate — nothing lost, duplicated or reordered; heap flat; buffer memory returned', async () => {
  const cluster = kafkaSingleNode()
  const topic = uniqueTopic('soak')
  await createTopic(cluster, { topic, partitions: 6 })
  const result = await runSoak({
    cluster,
    topic,
    records: RECORDS,
    perSecond: 100_000,
    mode: 'idempotent',
    log: (line) => console.log(line),
  })
  tableRow({
    id: 'S1',
    scenario: `soak: ${RECORDS} × 100 B, ${result.recordsPerSecond} records/s achieved, read back in ${result.readSeconds} s`,
    broker: 'kafka 1 node',
    mode: 'idempotent',
    report: result.report,
    note: JSON.stringify(result.samples.map((s) => [s.records, s.rssMiB, s.heapUsedMiB, s.ledgerMiB])),
  })
  expect(result.report.counts).toMatchObject({ sent: RECORDS, acked: RECORDS, read: RECORDS, lost: 0 })
  expect(result.report.readers).toEqual({ kcat: RECORDS, java: RECORDS })
  expect(result.report.violations).toEqual([])
  expect(result.bufferAvailableAtEnd).toBe(result.bufferMemory)
  // heap flat: live heap at the end within 32 MiB of the first sample taken under load
  const underLoad = result.samples[1]!
  const last = result.samples.at(-1)!
  expect(last.heapUsedMiB).toBeLessThan(underLoad.heapUsedMiB + 32)
}, 900_000)
