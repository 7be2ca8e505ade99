// x-kafka perf and Kafka's own ProducerPerformance, one after the other against one real broker (a fresh
// single KRaft node from @x/kafka-harness), same topic layout and configs, twice each in alternation.
// Run from the repository root: npx tsx --tsconfig packages/cli/tsconfig.json packages/cli/bench/perf-versus-java.ts [records]
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createTopic, KafkaCluster, parseProducerPerformance, runProducerPerformance } from '@x/kafka-harness'

const records = Number(process.argv[2] ?? 500_000)
const props = { acks: 'all', 'linger.ms': '5', 'batch.size': '16384', 'enable.idempotence': 'false' }
const bin = fileURLToPath(new URL('../bin/x-kafka.js', import.meta.url))

const cluster = await KafkaCluster.start({ nodes: 1, name: 'cli-bench', reapWithOwner: true })
try {
  for (let round = 1; round <= 2; round++) {
    const javaTopic = `java-${round}`
    const oursTopic = `ours-${round}`
    await createTopic(cluster, { topic: javaTopic, partitions: 3 })
    await createTopic(cluster, { topic: oursTopic, partitions: 3 })
    const java = await runProducerPerformance(cluster.tools, {
      bootstrapServers: cluster.bootstrapServers,
      topic: javaTopic,
      numRecords: records,
      recordSize: 100,
      producerProps: props,
    })
    const run = spawnSync(
      process.execPath,
      [
        bin,
        'perf',
        '--topic',
        oursTopic,
        '--num-records',
        String(records),
        '--record-size',
        '100',
        '--throughput',
        '-1',
        '--bootstrap-server',
        cluster.bootstrapServers,
        '--producer-props',
        ...Object.entries(props).map(([key, value]) => `${key}=${value}`),
      ],
      { encoding: 'utf8' },
    )
    const ours = parseProducerPerformance(run.stdout)
    if (run.status !== 0 || ours === undefined) throw new Error(`x-kafka perf failed: ${run.stderr}`)
    for (const [name, result] of [
      ['java ProducerPerformance', java],
      ['x-kafka perf', ours],
    ] as const) {
      console.log(
        `round ${round} ${name.padEnd(24)} ${Math.round(result.recordsPerSec).toLocaleString('en-US').padStart(9)} records/s, avg ${result.avgLatencyMs} ms, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms`,
      )
    }
  }
} finally {
  await cluster.stop()
}
