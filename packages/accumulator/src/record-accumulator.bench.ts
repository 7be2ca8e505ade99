// Run: npx vitest bench --run --project accumulator
// One iteration = 1,000 appends of a 100-byte record (no key, no headers) into 16 KiB batches; full batches are
// drained, completed and deallocated as the sender would, so memory keeps flowing. Multiply hz by 1,000 for
// appends per second. bench/append-throughput.ts measures the same loop with bytes allocated per record.
import { BufferPool } from '@x/buffer-pool'
import { StaticClusterView, UNKNOWN_PARTITION } from '@x/partitioners'
import { bench, describe } from 'vitest'
import { RecordAccumulator } from './record-accumulator.js'
import { recordBatchBuilderFactory } from './record-batch-builder-factory.js'
import type { RecordCompletion } from './record-completion.js'

const cluster = StaticClusterView.of('bench', 12, [0, 1, 2])
const value = new Uint8Array(100).fill(42)
const completion: RecordCompletion = { onCompletion() {} }

function setup() {
  const pool = new BufferPool({ totalMemory: 32 * 1024 * 1024, poolableSize: 16_384 })
  const accumulator = new RecordAccumulator({
    batchSize: 16_384,
    lingerMs: 0,
    bufferPool: pool,
    recordsBuilderFactory: recordBatchBuilderFactory(),
  })
  let appended = 0
  return (partition: number) => {
    for (let i = 0; i < 1000; i++) {
      accumulator.append(
        'bench',
        partition,
        1_700_000_000_000,
        null,
        value,
        null,
        completion,
        60_000,
        false,
        0,
        cluster,
      )
    }
    appended += 1000
    if (appended % 16_000 === 0) {
      for (let drained = true; drained; ) {
        drained = false
        for (const batches of accumulator.drain(cluster, [0, 1, 2], 1 << 30, 0).values()) {
          for (const batch of batches) {
            drained = true
            batch.complete(0n, -1)
            accumulator.deallocate(batch)
          }
        }
      }
    }
  }
}

describe('RecordAccumulator.append, 100-byte records (x1000 per iteration)', () => {
  const keyed = setup()
  bench('explicit partition', () => keyed(3))
  const sticky = setup()
  bench('built-in sticky partitioner (partition -1)', () => sticky(UNKNOWN_PARTITION))
})
