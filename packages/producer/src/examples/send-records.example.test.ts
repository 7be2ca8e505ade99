// Example (README "RxJS"): an Observable of records piped into the producer; metadata comes back in order.
// Runs against @x/testkit's embedded cluster over its in-memory transport.
import { KafkaProducer, sendRecords } from '@x/producer'
import { EmbeddedKafkaCluster } from '@x/testkit'
import { lastValueFrom, map, range, toArray } from 'rxjs'
import { expect, it } from 'vitest'

it('pipes an Observable of records into the producer', async () => {
  const cluster = await EmbeddedKafkaCluster.start({
    listen: false,
    topics: [{ name: 'orders', partitions: 3 }],
  })
  const producer = new KafkaProducer({
    bootstrapServers: cluster.bootstrapServers,
    transport: cluster.transport,
    enableIdempotence: false,
  })

  const metadata = await lastValueFrom(
    range(0, 1000).pipe(
      map((i) => ({ topic: 'orders', key: `customer-${i % 10}`, value: JSON.stringify({ order: i }) })),
      sendRecords(producer),
      toArray(),
    ),
  )

  await producer.close()
  expect(metadata).toHaveLength(1000)
  // In order: the n-th emission is the n-th record, whatever partition acknowledged first.
  const stored = cluster.records('orders', metadata[500]!.partition)
  const record500 = stored.find((record) => BigInt(record.offset) === metadata[500]!.offset)
  expect(new TextDecoder().decode(record500!.value!)).toBe('{"order":500}')
  await cluster.stop()
})
