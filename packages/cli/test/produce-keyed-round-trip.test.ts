// `x-kafka produce -K :` against a real Kafka broker (the harness's single node), read back with kcat, with
// every key on the partition Kafka's own Java producer (ConsoleProducer, parse.key=true) puts it on.
import { consumeWithKcat, createTopic, runJavaTool } from '@x/kafka-harness'
import { kafkaSingleNode, uniqueTopic } from '@x/kafka-harness/vitest'
import { expect, it } from 'vitest'
import { runBin } from './run-bin.js'

const decoder = new TextDecoder()
const text = (bytes: Uint8Array | null) => (bytes === null ? null : decoder.decode(bytes))
const keys = Array.from({ length: 40 }, (_, index) => `customer-${index * 7919}`)
const input = `${keys.map((key, index) => `${key}:order ${index}`).join('\n')}\n`

it('round-trips keyed input with headers through a real broker, keys on Java partitions', {
  tags: ['compat'],
}, async () => {
  const kafka = kafkaSingleNode()
  const ours = uniqueTopic('x-kafka')
  const javas = uniqueTopic('java')
  await createTopic(kafka, { topic: ours, partitions: 6 })
  await createTopic(kafka, { topic: javas, partitions: 6 })

  const result = await runBin(
    ['produce', '-b', kafka.bootstrapServers, '-t', ours, '-K', ':', '-H', 'origin=x-kafka', '-z', 'lz4'],
    input,
  )
  expect(result.stderr).not.toMatch(/error/i)
  expect(result.code).toBe(0)

  // Kafka's console producer, key and value split at ':' like -K :
  const mainClass = kafka.tools.toolsVersion.startsWith('3.')
    ? 'kafka.tools.ConsoleProducer'
    : 'org.apache.kafka.tools.ConsoleProducer'
  const java = await runJavaTool(
    kafka.tools,
    mainClass,
    [
      '--bootstrap-server',
      kafka.bootstrapServers,
      '--topic',
      javas,
      '--property',
      'parse.key=true',
      '--property',
      'key.separator=:',
    ],
    { input },
  )
  expect(java.status, java.stderr).toBe(0)

  const read = await consumeWithKcat({ bootstrapServers: kafka.bootstrapServers, topic: ours })
  const reference = await consumeWithKcat({ bootstrapServers: kafka.bootstrapServers, topic: javas })
  expect(read).toHaveLength(keys.length)
  expect(reference).toHaveLength(keys.length)
  const placement = (records: typeof read) =>
    Object.fromEntries(records.map((record) => [text(record.key), record.partition]))
  expect(placement(read)).toEqual(placement(reference))
  expect(new Set(read.map((record) => record.partition)).size).toBeGreaterThan(1)
  for (const record of read) {
    expect(text(record.value)).toBe(`order ${keys.indexOf(text(record.key)!)}`)
    expect(record.headers.map((header) => `${header.key}=${text(header.value)}`)).toEqual(['origin=x-kafka'])
  }
})
