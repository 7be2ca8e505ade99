// Keeps the README example honest: the same code, with the log captured.
import { BufferPool } from '@x/buffer-pool'
import { StaticClusterView } from '@x/partitioners'
import { expect, it } from 'vitest'
import { RecordAccumulator, type RecordCompletion, recordBatchBuilderFactory } from './index.js'

it('runs the README example', () => {
  const log: string[] = []
  const cluster = StaticClusterView.of('orders', 3, [1, 2])
  const accumulator = new RecordAccumulator({
    batchSize: 16_384,
    lingerMs: 5,
    bufferPool: new BufferPool({ totalMemory: 32 * 1024 * 1024, poolableSize: 16_384 }),
    recordsBuilderFactory: recordBatchBuilderFactory({ compression: 'none' }),
  })
  const completion: RecordCompletion = {
    onCompletion(batch, index, error) {
      if (error) log.push(String(error))
      else log.push(`${batch.topic}-${batch.partition}@${batch.baseOffset + BigInt(index)}`)
    },
  }
  const value = new TextEncoder().encode('hello')
  const result = accumulator.append(
    'orders',
    -1,
    Date.now(),
    null,
    value,
    null,
    completion,
    60_000,
    false,
    0,
    cluster,
  )
  expect(result).not.toBeInstanceOf(Promise)

  const { readyNodes } = accumulator.ready(cluster, 5)
  for (const [, batches] of accumulator.drain(cluster, readyNodes, 1_048_576, 5)) {
    for (const batch of batches) {
      batch.complete(42n, -1)
      accumulator.deallocate(batch)
    }
  }
  expect(log).toHaveLength(1)
  expect(log[0]).toMatch(/^orders-[0-2]@42$/)
})
