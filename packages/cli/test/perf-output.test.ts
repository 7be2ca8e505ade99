// `x-kafka perf` and Kafka's own ProducerPerformance against the same real broker: the harness's parser of
// the Java tool's summary (the regex scripts use) reads both, and every other stdout line of ours has the
// grammar of the Java tool's progress lines.
import { createTopic, parseProducerPerformance, runProducerPerformance } from '@x/kafka-harness'
import { kafkaSingleNode, uniqueTopic } from '@x/kafka-harness/vitest'
import { expect, it } from 'vitest'
import { runBin } from './run-bin.js'

const progressLine =
  /^\d+ records sent, \d+\.\d records\/sec \(\d+\.\d{2} MB\/sec\), \d+\.\d ms avg latency, \d+\.\d ms max latency\.$/

it("prints a summary the Java tool's parser reads, as it reads the Java tool's", {
  tags: ['compat'],
}, async () => {
  const kafka = kafkaSingleNode()
  const topic = uniqueTopic('perf')
  await createTopic(kafka, { topic, partitions: 3 })
  const props = ['acks=all', 'linger.ms=5', 'batch.size=16384']

  const java = await runProducerPerformance(kafka.tools, {
    bootstrapServers: kafka.bootstrapServers,
    topic,
    numRecords: 20_000,
    recordSize: 100,
    producerProps: Object.fromEntries(props.map((prop) => prop.split('='))),
  })
  expect(java.records).toBe(20_000)

  const ours = await runBin([
    'perf',
    '--topic',
    topic,
    '--num-records',
    '20000',
    '--record-size',
    '100',
    '--throughput',
    '-1',
    '--reporting-interval',
    '500',
    '--bootstrap-server',
    kafka.bootstrapServers,
    '--producer-props',
    ...props,
  ])
  expect(ours.code, ours.stderr).toBe(0)
  const parsed = parseProducerPerformance(ours.stdout)
  expect(parsed).toBeDefined()
  expect(parsed!.records).toBe(20_000)
  expect(parsed!.p50Ms).toBeLessThanOrEqual(parsed!.p999Ms)
  const lines = ours.stdout.trimEnd().split('\n')
  for (const line of lines.slice(0, -1)) expect(line).toMatch(progressLine)
  expect(ours.stderr).not.toMatch(/embedded/)
})
