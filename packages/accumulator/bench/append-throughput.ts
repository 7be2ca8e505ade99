// Appends per second and heap bytes allocated per appended 100-byte record, on one core (the main thread; no
// workers). 100-byte values, no key, 16 KiB batches, batches drained/closed (CRC32C)/completed/deallocated as
// they fill, as the sender would.
//
// Source (tsx):  node --expose-gc --import tsx packages/accumulator/bench/append-throughput.ts
// Built bundle:  node packages/accumulator/bench/run-dist.mjs   (after npx turbo run build --filter=@x/accumulator)
// Options: --rounds N (default 7), --records N per round (default 5,000,000), --only explicit|sticky
//
// appends/s is counted against the process's CPU time (user + system, so it includes V8's GC helper threads)
// as well as wall time: on a shared machine wall time also counts the time other jobs held the core. Bytes per
// record are exact: heap growth over one round plus what every GC during it collected (v8.GCProfiler), so a
// scavenge in the middle does not hide allocation.

import { loadavg } from 'node:os'
import { GCProfiler, getHeapStatistics } from 'node:v8'
import { RecordAccumulator, type RecordCompletion, recordBatchBuilderFactory } from '@x/accumulator'
import { BufferPool } from '@x/buffer-pool'
import { StaticClusterView } from '@x/partitioners'

const gc = (globalThis as { gc?: () => void }).gc
if (gc === undefined) throw new Error('run with node --expose-gc')

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`)
  return index >= 0 && index + 1 < process.argv.length ? process.argv[index + 1]! : fallback
}
const rounds = Number(option('rounds', '7'))
const recordsPerRound = Number(option('records', '5000000'))
const only = option('only', 'all')

const cluster = StaticClusterView.of('bench', 12, [0, 1, 2])
const nodes = [0, 1, 2]
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
    for (const batches of accumulator.drain(cluster, nodes, 1 << 30, 0).values()) {
      for (const batch of batches) {
        drained = true
        batch.complete(0n, -1)
        accumulator.deallocate(batch)
      }
    }
  }
}

/** Bytes allocated on the V8 heap while `fn` runs: growth of the used heap plus everything GCs collected. */
function allocatedBytes(fn: () => void): number {
  const profiler = new GCProfiler()
  profiler.start()
  const before = getHeapStatistics().used_heap_size
  fn()
  const after = getHeapStatistics().used_heap_size
  let collected = 0
  for (const { beforeGC, afterGC } of profiler.stop()?.statistics ?? []) {
    collected += beforeGC.heapStatistics.usedHeapSize - afterGC.heapStatistics.usedHeapSize
  }
  return after - before + collected
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

const fmt = (perSecond: number) => `${(perSecond / 1e6).toFixed(2)} M`

console.log(
  `node ${process.version}, ${rounds} rounds × ${recordsPerRound.toLocaleString('en')} appends, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
)
for (const [label, partition] of [
  ['explicit partition', 3],
  ['built-in sticky (-1)', -1],
] as const) {
  if (only !== 'all' && !label.startsWith(only === 'sticky' ? 'built-in' : only)) continue
  run(2_000_000, partition) // warm-up: optimized code and a warm pool
  gc()
  const perRecord = allocatedBytes(() => run(1_000_000, partition)) / 1_000_000
  const cpuRates: number[] = []
  const wallRates: number[] = []
  for (let round = 0; round < rounds; round++) {
    gc()
    const cpuBefore = process.cpuUsage()
    const wallBefore = process.hrtime.bigint()
    run(recordsPerRound, partition)
    const wallSeconds = Number(process.hrtime.bigint() - wallBefore) / 1e9
    const cpu = process.cpuUsage(cpuBefore)
    cpuRates.push(recordsPerRound / ((cpu.user + cpu.system) / 1e6))
    wallRates.push(recordsPerRound / wallSeconds)
  }
  console.log(
    `${label}: ${fmt(median(cpuRates))} appends/s per CPU-second (median; best ${fmt(Math.max(...cpuRates))}, ` +
      `worst ${fmt(Math.min(...cpuRates))}); wall clock median ${fmt(median(wallRates))} (best ${fmt(Math.max(...wallRates))}); ` +
      `${perRecord.toFixed(1)} heap bytes allocated per record`,
  )
}
console.log(
  `load average after: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
)
