// Example (README "Cancelling a send, explaining a send"): the README's code between the markers, run against
// @x/testkit's embedded cluster (in-memory transport) instead of a real broker.
import { KafkaProducer, MaybeWrittenError, NotWrittenError, type RecordMetadata } from '@x/producer'
import { EmbeddedKafkaCluster } from '@x/testkit'
import { expect, it } from 'vitest'

it('cancels a send that has not left the producer, and explains a send before making it', async () => {
  const cluster = await EmbeddedKafkaCluster.start({
    listen: false,
    topics: [{ name: 'orders', partitions: 3 }],
  })
  const { bootstrapServers, transport } = cluster
  const seen: (RecordMetadata | string)[] = []

  // README example: begin
  const producer = new KafkaProducer({ bootstrapServers, transport, lingerMs: 50 })
  await producer.partitionsFor('orders') // metadata in hand: explain can name partition and leader

  // What would send() do? Nothing is sent and no state changes (sticky choice, counters, metrics).
  const explanation = producer.explain({ topic: 'orders', key: 'customer-7', value: 'order 1' })
  // → { partition: 1, reason: 'key-hash', leader: 1, batch: 'new', newBatchBytes: 16384, blockedBy: [], … }

  // Give up on a send: before its batch is sent, the record is taken out and never written.
  const controller = new AbortController()
  const cancelled = producer.send(
    { topic: 'orders', key: 'customer-7', value: 'order 1' },
    { signal: controller.signal },
  )
  controller.abort()
  try {
    await cancelled
  } catch (error) {
    if (NotWrittenError.isInstance(error))
      seen.push('not written') // safe to send again
    else if (MaybeWrittenError.isInstance(error)) seen.push('maybe written') // its batch was already sent
  }

  // A deadline for a whole flush: the wait ends, the records keep going.
  seen.push(await producer.send({ topic: 'orders', key: 'customer-7', value: 'order 2' }))
  await producer.flush({ signal: AbortSignal.timeout(5_000) })
  await producer.close()
  // README example: end

  expect(explanation).toMatchObject({ reason: 'key-hash', batch: 'new', blockedBy: [] })
  expect(explanation.leader).toBe(cluster.topic('orders')!.partitions[explanation.partition!]!.leader)
  expect(seen[0]).toBe('not written')
  expect((seen[1] as RecordMetadata).partition).toBe(explanation.partition)
  expect(
    cluster.records('orders', explanation.partition!).map((r) => new TextDecoder().decode(r.value!)),
  ).toEqual(['order 2'])
  await cluster.stop()
})
