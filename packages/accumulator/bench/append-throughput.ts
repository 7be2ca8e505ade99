// Appends per second and heap bytes allocated per appended 100-byte record, on one core.
// Run from the repo root: node --expose-gc --import tsx packages/accumulator/bench/append-throughput.ts

import { RecordAccumulator, type RecordCompletion, recordBatchBuilderFactory } from '@x/accumulator'
import { BufferPool } from '@x/buffer-pool'
import { StaticClusterView } from '@x/partitioners'

const gc = (globalThis as { gc?: () => void }).gc
if (gc === undefined) throw new Error('run with node --expose-gc')

const cluster = StaticClusterView.of('bench', 12, [0, 1, 2])
const value = new Uint8Array(100).fill(42)
const completion: RecordCompletion = { onCompletion() {} }
const pool = new BufferPool({ totalMemory: 32 * 1024 * 1024, poolableSize: 16_384 })
const accumulator = new RecordAccumulator({
  batchSize: 16_384,
  lingerMs: 0,
  bufferPool: pool,
  recordsBuilderFactory: recordBatchBuilderFactory(),
})

function run(records: number, partition: number): void {
  for (let i = 0; i < records; i++) {
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
    if ((i & 0x3fff) === 0x3fff) drainAll()
  }
  drainAll()
}

/** As the sender would: drain (one batch per partition per pass) until empty, complete, free the memory. */
function drainAll(): void {
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

for (const [label, partition] of [
  ['explicit partition', 3],
  ['built-in sticky (-1)', -1],
] as const) {
  run(2_000_000, partition) // warm-up
  const records = 10_000_000
  gc()
  const heapBefore = process.memoryUsage().heapUsed
  // Count allocation without GC noise: sample heap growth over a short run with no collection expected.
  const sample = 200_000
  run(sample, partition)
  const allocatedPerRecord = (process.memoryUsage().heapUsed - heapBefore) / sample
  gc()
  const start = process.hrtime.bigint()
  run(records, partition)
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  console.log(
    `${label}: ${(records / seconds / 1e6).toFixed(2)} M appends/s, ~${allocatedPerRecord.toFixed(1)} heap bytes allocated per record`,
  )
}
