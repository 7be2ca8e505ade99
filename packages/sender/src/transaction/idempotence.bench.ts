// What idempotence adds per record on the synchronous path, without a network: 1,000 records of 100 bytes
// appended to 3 partitions (16 KiB batches), drained and completed the way the sender does — once without a
// transaction manager, once with one (producer id, epoch and sequence stamped at drain, each batch tracked in
// flight and acknowledged). The work is per batch, so the difference per record is small.
// Run: npx vitest bench --run --project sender src/transaction/idempotence.bench.ts
import { RecordAccumulator, recordBatchBuilderFactory } from '@x/accumulator'
import { BufferPool } from '@x/buffer-pool'
import { StaticClusterView } from '@x/partitioners'
import { bench, describe } from 'vitest'
import type { PartitionResponse } from '../sender/partition-response.js'
import { TransactionManager } from './transaction-manager.js'

const cluster = StaticClusterView.of('bench', 3, [0, 1, 2])
const value = new Uint8Array(100).fill(42)
const completion = { onCompletion() {} }
const ok: PartitionResponse = {
  errorCode: 0,
  error: undefined,
  baseOffset: 0n,
  logAppendTimeMs: -1,
  logStartOffset: 0n,
  recordErrors: [],
  errorMessage: null,
  currentLeader: undefined,
}

function setup(idempotent: boolean) {
  const tm = new TransactionManager()
  tm.transitionTo('INITIALIZING')
  tm.setProducerIdAndEpoch({ producerId: 7n, epoch: 0 })
  tm.transitionTo('READY')
  const accumulator = new RecordAccumulator({
    batchSize: 16_384,
    lingerMs: 0,
    bufferPool: new BufferPool({ totalMemory: 32 * 1024 * 1024, poolableSize: 16_384 }),
    recordsBuilderFactory: recordBatchBuilderFactory(),
    ...(idempotent ? { transactionManager: tm } : {}),
  })
  return () => {
    for (let i = 0; i < 1000; i++) {
      accumulator.append('bench', i % 3, 0, null, value, null, completion, 0, false, 0, cluster)
    }
    for (let drained = true; drained; ) {
      drained = false
      for (const batches of accumulator.drain(cluster, [0, 1, 2], 1 << 30, 0).values()) {
        for (const batch of batches) {
          drained = true
          if (idempotent) tm.handleCompletedBatch(batch, ok)
          batch.complete(0n, -1)
          accumulator.deallocate(batch)
        }
      }
    }
  }
}

describe('1,000 appends to 3 partitions, drained and completed', () => {
  bench('idempotence off', setup(false))
  bench('idempotence on (sequences at drain, in-flight tracking)', setup(true))
})
