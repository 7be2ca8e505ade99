// The long soak (checklist S1) as a script: oracle records at a steady rate to a real Kafka node that the
// harness starts (or one it started earlier: --state-file), RSS and heap sampled after a forced GC, then the
// topic streamed back through kcat and the Java consumer into the delivery oracle. Figures go to
// docs/reliability.md. The suite runs the same code bounded to 2 M records (soak.test.ts).
//
//   npm run reliability:soak -- [--records 10000000] [--per-second 100000] [--partitions 6]
//                               [--mode idempotent|plain] [--state-file .cache/kafka/local/state.json]
import { parseArgs } from 'node:util'
import { createTopic, KafkaCluster } from '@x/kafka-harness'
import { formatDeliveryReport } from '@x/testkit'
import { runSoak } from './support/soak-run.js'

const { values: args } = parseArgs({
  options: {
    records: { type: 'string', default: '10000000' },
    'per-second': { type: 'string', default: '100000' },
    partitions: { type: 'string', default: '6' },
    mode: { type: 'string', default: 'idempotent' },
    'state-file': { type: 'string' },
  },
})
const mode = args.mode === 'plain' ? 'plain' : 'idempotent'
const records = Number(args.records)
const owned = args['state-file'] === undefined
const cluster = owned
  ? await KafkaCluster.start({ nodes: 1, name: 'reliability-soak', reapWithOwner: true })
  : KafkaCluster.load(args['state-file']!)
try {
  const topic = `soak-${Date.now().toString(36)}`
  await createTopic(cluster, { topic, partitions: Number(args.partitions) })
  console.log(
    `soak: ${records} records at ${args['per-second']}/s to ${topic} (${mode}), broker ${cluster.bootstrapServers}`,
  )
  const result = await runSoak({
    cluster,
    topic,
    records,
    perSecond: Number(args['per-second']),
    mode,
    sampleEvery: Math.max(1, Math.floor(records / 20)),
    log: (line) => console.log(line),
  })
  console.log(formatDeliveryReport(result.report))
  console.log(
    JSON.stringify({
      records,
      recordsPerSecond: result.recordsPerSecond,
      sendSeconds: result.sendSeconds,
      readSeconds: result.readSeconds,
      bufferReturned: result.bufferAvailableAtEnd === result.bufferMemory,
      samples: result.samples,
    }),
  )
  process.exitCode = result.report.violations.length === 0 ? 0 : 1
} finally {
  if (owned) cluster.stop()
}
