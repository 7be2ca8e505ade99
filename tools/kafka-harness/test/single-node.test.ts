// Integration tests of the harness on the run's single node: readiness, topic creation, and the two reference
// readers (kcat with CRC checks, the official Java consumer) agreeing byte for byte on what kcat wrote.
import {
  consumeWithJava,
  consumeWithKcat,
  createTopic,
  probeApiVersions,
  produceWithKcat,
  sortRecords,
} from '@x/kafka-harness'
import { kafkaSingleNode, uniqueTopic } from '@x/kafka-harness/vitest'
import { describe, expect, it } from 'vitest'

const API_KEYS = { produce: 0, metadata: 3, apiVersions: 18 }

describe('single node', { tags: ['compat'] }, () => {
  it('answers a hand-encoded ApiVersions v0 request with error code 0', async () => {
    const node = kafkaSingleNode()
    const [host, port] = node.brokerAddress(1).split(':')
    const result = await probeApiVersions({ host: host!, port: Number(port) })
    expect(result.errorCode).toBe(0)
    const keys = result.apis.map((api) => api.apiKey)
    expect(keys).toEqual(expect.arrayContaining(Object.values(API_KEYS)))
  })

  it('creates a topic whose partitions all have a leader in metadata', async () => {
    const node = kafkaSingleNode()
    const topic = uniqueTopic()
    await createTopic(node, { topic, partitions: 3 })
    const metadata = await node.metadata([topic])
    const found = metadata.topics.find((t) => t.name === topic)
    expect(found?.errorCode).toBe(0)
    expect(found?.partitions.map((p) => [p.partition, p.leader]).sort()).toEqual([
      [0, 1],
      [1, 1],
      [2, 1],
    ])
  })

  it('reads back what kcat produced identically with kcat and the Java consumer', async () => {
    const node = kafkaSingleNode()
    const topic = uniqueTopic()
    await createTopic(node, { topic, partitions: 2 })
    const allBytes = Uint8Array.from({ length: 256 }, (_, i) => i)
    const before = Date.now()
    await produceWithKcat({
      bootstrapServers: node.bootstrapServers,
      topic,
      partition: 0,
      headers: [
        { key: 'trace', value: 'abc' },
        { key: 'nil', value: null },
      ],
      records: [
        { key: 'k1', value: 'v1' },
        { key: allBytes, value: allBytes.slice().reverse() },
        { key: null, value: 'no key' },
      ],
    })
    await produceWithKcat({
      bootstrapServers: node.bootstrapServers,
      topic,
      partition: 1,
      compression: 'gzip',
      records: [{ key: 'k2', value: 'v2 with\nnewline and "quotes"' }],
    })
    const after = Date.now()

    const fromKcat = sortRecords(await consumeWithKcat({ bootstrapServers: node.bootstrapServers, topic }))
    const fromJava = sortRecords(
      await consumeWithJava(node.tools, { bootstrapServers: node.bootstrapServers, topic, maxRecords: 4 }),
    )
    expect(fromJava).toEqual(fromKcat)

    const text = (bytes: Uint8Array | null) => (bytes === null ? null : Buffer.from(bytes).toString('utf8'))
    expect(fromKcat.map((r) => [r.partition, r.offset])).toEqual([
      [0, 0n],
      [0, 1n],
      [0, 2n],
      [1, 0n],
    ])
    expect(text(fromKcat[0]!.key)).toBe('k1')
    expect(text(fromKcat[0]!.value)).toBe('v1')
    expect(fromKcat[1]!.key).toEqual(allBytes)
    expect(fromKcat[1]!.value).toEqual(allBytes.slice().reverse())
    expect(fromKcat[2]!.key).toBeNull()
    expect(text(fromKcat[3]!.value)).toBe('v2 with\nnewline and "quotes"')
    for (const record of fromKcat.slice(0, 3)) {
      expect(record.headers).toEqual([
        { key: 'trace', value: new TextEncoder().encode('abc') },
        { key: 'nil', value: null },
      ])
    }
    expect(fromKcat[3]!.headers).toEqual([])
    for (const record of fromKcat) {
      expect(record.topic).toBe(topic)
      expect(record.timestampType).toBe('CreateTime')
      expect(record.timestamp).toBeGreaterThanOrEqual(before)
      expect(record.timestamp).toBeLessThanOrEqual(after)
    }
  })

  it('reads a committed transaction back with isolation level read_committed in both readers', async () => {
    const node = kafkaSingleNode()
    const topic = uniqueTopic()
    await createTopic(node, { topic })
    await produceWithKcat({
      bootstrapServers: node.bootstrapServers,
      topic,
      records: [{ key: 'a', value: '1' }],
      config: { 'transactional.id': `${topic}-tx` },
    })
    const committed = await consumeWithJava(node.tools, {
      bootstrapServers: node.bootstrapServers,
      topic,
      maxRecords: 1,
      isolationLevel: 'read_committed',
    })
    const viaKcat = await consumeWithKcat({
      bootstrapServers: node.bootstrapServers,
      topic,
      isolationLevel: 'read_committed',
    })
    expect(committed.map((r) => Buffer.from(r.value!).toString())).toEqual(['1'])
    expect(viaKcat).toEqual(committed)
  })
})
