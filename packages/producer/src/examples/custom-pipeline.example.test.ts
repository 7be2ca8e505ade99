// Example (README "A pipeline without the façade"): the stages composed by hand — @x/buffer-pool's memory,
// @x/accumulator's batches over @x/protocol's RecordBatch v2 builder, and @x/sender's Sender — with no
// KafkaProducer. Runs against @x/testkit's embedded cluster over its in-memory transport.
import { RecordAccumulator, type RecordCompletion, recordBatchBuilderFactory } from '@x/accumulator'
import { BufferPool } from '@x/buffer-pool'
import { createSender } from '@x/sender'
import { EmbeddedKafkaCluster } from '@x/testkit'
import { expect, it } from 'vitest'

it('sends records through a hand-built accumulator and sender', async () => {
  const cluster = await EmbeddedKafkaCluster.start({
    listen: false,
    topics: [{ name: 'events', partitions: 1 }],
  })

  // 1. Memory and batching: 1 MiB of pooled buffers, 16 KiB lz4 batches, 10 ms linger.
  const accumulator = new RecordAccumulator({
    batchSize: 16_384,
    lingerMs: 10,
    bufferPool: new BufferPool({ totalMemory: 1024 * 1024, poolableSize: 16_384 }),
    recordsBuilderFactory: recordBatchBuilderFactory({ compression: 'lz4' }),
  })
  // 2. The network side: metadata, connections and the Sender, reacting to the accumulator's wake-ups.
  const { sender, metadata } = createSender({
    bootstrapServers: cluster.bootstrapServers,
    transport: cluster.transport,
    accumulator,
    acks: -1,
  })
  sender.start()

  // 3. Appends: wait for the topic's metadata once, then append synchronously; one completion per record.
  const cluster0 = await metadata.waitOnMetadata('events', undefined, 5_000, Date.now())
  const offsets: bigint[] = []
  const completion: RecordCompletion = {
    onCompletion(batch, index, error) {
      if (error) throw error
      offsets.push(batch.baseOffset + BigInt(index))
    },
  }
  for (let i = 0; i < 100; i++) {
    const value = new TextEncoder().encode(`event ${i}`)
    accumulator.append(
      'events',
      0,
      Date.now(),
      null,
      value,
      null,
      completion,
      5_000,
      false,
      Date.now(),
      cluster0,
    )
  }

  // 4. A graceful close sends what is queued and waits for the acknowledgements.
  await sender.close()
  expect(offsets).toEqual(Array.from({ length: 100 }, (_, i) => BigInt(i)))
  expect(cluster.records('events', 0)).toHaveLength(100)
  await cluster.stop()
})
