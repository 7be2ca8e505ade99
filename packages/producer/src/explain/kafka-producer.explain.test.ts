// KafkaProducer.explain against @x/testkit's embedded cluster (in-memory transport): it reads the producer's
// live metadata and accumulator, and changes nothing — no metric, no metadata request, no sticky choice.
import { EmbeddedKafkaCluster } from '@x/testkit'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { ProducerClosedError } from '../errors/producer-closed-error.js'
import { KafkaProducer } from '../kafka-producer.js'

let cluster: EmbeddedKafkaCluster
beforeEach(async () => {
  cluster = await EmbeddedKafkaCluster.start({
    brokers: 3,
    listen: false,
    topics: [{ name: 'orders', partitions: 6 }],
  })
})
afterEach(async () => {
  await cluster.stop()
})

it('names partition, leader and batch from live metadata, and changes no metric, request or sticky choice', async () => {
  const p = new KafkaProducer({
    bootstrapServers: cluster.bootstrapServers,
    transport: cluster.transport,
    lingerMs: 60_000,
  })
  await p.partitionsFor('orders')
  // metadata-age is a clock reading (seconds since the last update), not a count: left out.
  const counts = () => ({ ...p.metrics(), 'metadata-age': 0 })
  const metricsBefore = counts()
  const metadataRequests = cluster.requestLog.entries({ api: 'Metadata' }).length
  const unknown = p.explain({ topic: 'not-there-yet', value: 'v' })
  expect(unknown).toMatchObject({ partition: undefined, reason: 'sticky', blockedBy: ['metadata'] })
  const keyless = p.explain({ topic: 'orders', value: 'v' })
  expect(keyless).toMatchObject({ reason: 'sticky', batch: 'new', stickySwitch: false, blockedBy: [] })
  for (let i = 0; i < 50; i++) expect(p.explain({ topic: 'orders', value: 'v' })).toEqual(keyless)
  expect(keyless.leader).toBe(cluster.topic('orders')!.partitions[keyless.partition!]!.leader)
  // Nothing moved: no metric, no Metadata request (not even for the unknown topic), no topic created.
  expect(counts()).toEqual(metricsBefore)
  expect(cluster.requestLog.entries({ api: 'Metadata' })).toHaveLength(metadataRequests)
  expect(cluster.topic('not-there-yet')).toBeUndefined()
  // And the sticky choice it predicted is the one send() makes.
  const sent = p.send({ topic: 'orders', value: 'v' })
  expect(p.explain({ topic: 'orders', value: 'w' })).toMatchObject({
    partition: keyless.partition,
    batch: 'join',
  })
  await p.flush()
  expect((await sent).partition).toBe(keyless.partition)
  await p.close()
  expect(() => p.explain({ topic: 'orders', value: 'v' })).toThrow(ProducerClosedError)
})
