// send() per second and heap bytes allocated per record on the synchronous path, without a network: the
// producer's SendPath over a real RecordAccumulator and BufferPool, batches drained, closed (CRC32C),
// completed and deallocated as they fill — what the sender does, minus the socket. 100-byte values, no key,
// 16 KiB batches, bytes serializer, no interceptors. The ways of sending:
//   send(record, callback)   Java's style (what the side-by-side suite's x-send does); its result is ignored
//   send(record)             the promise kept only for the chunk's last record, awaited in bulk
//   Promise.all(1,000 sends) every promise subscribed (KafkaJS-style code)
//   sendBatch(1,000)         one promise per call
// The record object is made per send, as a caller would (about 48 of the bytes per record).
//
//   node --expose-gc --import tsx packages/producer/bench/send-path-throughput.ts [--records N] [--rounds N]
//     [--only callback|promise|all|batch]
//
// Rates are per CPU-second of this process (user + system, so V8's GC threads count) and per wall second.
import { loadavg } from 'node:os'
import { GCProfiler, getHeapStatistics } from 'node:v8'
import { RecordAccumulator, recordBatchBuilderFactory } from '@x/accumulator'
import { BufferPool } from '@x/buffer-pool'
import { StaticClusterView } from '@x/partitioners'
import { resolveProducerConfig } from '../src/options/resolve-producer-config.js'
import type { RecordMetadata } from '../src/record/record-metadata.js'
import type { CompletionContext } from '../src/send/pending-record.js'
import { SendPath } from '../src/send/send-path.js'

const gc = (globalThis as { gc?: () => void }).gc
if (gc === undefined) throw new Error('run with node --expose-gc')
const option = (name: string, fallback: string) => {
  const index = process.argv.indexOf(`--${name}`)
  return index >= 0 ? process.argv[index + 1]! : fallback
}
const rounds = Number(option('rounds', '5'))
const recordsPerRound = Number(option('records', '2000000'))
const only = option('only', '')

const cluster = StaticClusterView.of('bench', 12, [0, 1, 2])
const nodes = [0, 1, 2]
const { config } = resolveProducerConfig<Uint8Array, Uint8Array>({ bootstrapServers: 'h:1', lingerMs: 0 })
const accumulator = new RecordAccumulator({
  batchSize: config.batchSize,
  lingerMs: 0,
  bufferPool: new BufferPool({ totalMemory: config.bufferMemory, poolableSize: config.batchSize }),
  recordsBuilderFactory: recordBatchBuilderFactory(),
})
const context: CompletionContext = { interceptors: undefined, reportCallbackError() {}, recordError() {} }
const sendPath = new SendPath<Uint8Array, Uint8Array>({
  config,
  accumulator,
  context,
  interceptors: undefined,
  metadata: { clusterIfReady: () => cluster, waitForCluster: async () => cluster },
  wakeup() {},
})
const value = new Uint8Array(100).fill(42)
let offset = 0n

function drainAll(): void {
  for (let drained = true; drained; ) {
    drained = false
    for (const batches of accumulator.drain(cluster, nodes, 1 << 30, 0).values()) {
      for (const batch of batches) {
        drained = true
        batch.complete(offset, -1)
        offset += BigInt(batch.recordCount)
        accumulator.deallocate(batch)
      }
    }
  }
}

type Runner = (records: number, partition: number | undefined) => Promise<void>

// sendBatch: 1,000 records per call, one promise per call.
const runBatches: Runner = async (records, partition) => {
  let last: Promise<unknown> | undefined
  for (let i = 0; i < records; i += 1000) {
    const batch = new Array(1000)
    for (let j = 0; j < 1000; j++) batch[j] = { topic: 'bench', partition, value }
    last = sendPath.sendBatch(batch)
    if ((i & 0x3fff) >= 0x3fff - 999 || i + 1000 >= records) {
      drainAll()
      await last
    }
  }
  drainAll()
  await last
}

// Each chunk's records all complete inside drainAll(), so awaiting the chunk's last promise is only a yield:
// what is measured is send() plus settling its promise, not Promise.all's own per-element cost.
const runPromises: Runner = async (records, partition) => {
  let last: Promise<RecordMetadata> | undefined
  for (let i = 0; i < records; i++) {
    last = sendPath.send({ topic: 'bench', partition, value }, undefined)
    if ((i & 0x3fff) === 0x3fff) {
      drainAll()
      await last
    }
  }
  drainAll()
  await last
}

let failed = 0
const callback = (_metadata: RecordMetadata, error: Error | undefined) => {
  if (error !== undefined) failed++
}
const runCallbacks: Runner = async (records, partition) => {
  for (let i = 0; i < records; i++) {
    sendPath.send({ topic: 'bench', partition, value }, callback)
    if ((i & 0x3fff) === 0x3fff) {
      drainAll()
      await yieldToEventLoop()
    }
  }
  drainAll()
}

// Promise.all over each 1,000 sends, subscribed while pending; drained every 16 of them.
const runAll: Runner = async (records, partition) => {
  let pending: Promise<RecordMetadata[]>[] = []
  for (let i = 0; i < records; i += 1000) {
    const chunk = new Array<Promise<RecordMetadata>>(1000)
    for (let j = 0; j < 1000; j++) chunk[j] = sendPath.send({ topic: 'bench', partition, value }, undefined)
    pending.push(Promise.all(chunk))
    if (pending.length === 16 || i + 1000 >= records) {
      drainAll()
      await Promise.all(pending)
      pending = []
    }
  }
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

async function allocatedBytes(fn: () => Promise<void>): Promise<number> {
  const profiler = new GCProfiler()
  profiler.start()
  const before = getHeapStatistics().used_heap_size
  await fn()
  const after = getHeapStatistics().used_heap_size
  let collected = 0
  for (const { beforeGC, afterGC } of profiler.stop()?.statistics ?? [])
    collected += beforeGC.heapStatistics.usedHeapSize - afterGC.heapStatistics.usedHeapSize
  return after - before + collected
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!
const fmt = (perSecond: number) => `${(perSecond / 1e6).toFixed(2)} M`

console.log(
  `node ${process.version}, ${rounds} rounds × ${recordsPerRound} sends, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
)
const modes: [string, string, number | undefined, Runner][] = [
  ['callback', 'send(record, callback), explicit partition', 3, runCallbacks],
  ['callback', 'send(record, callback), built-in sticky', undefined, runCallbacks],
  ['promise', 'send(record), explicit partition', 3, runPromises],
  ['all', 'Promise.all(1,000 × send(record)), explicit partition', 3, runAll],
  ['batch', 'sendBatch(1,000), explicit partition', 3, runBatches],
]
for (const [mode, label, partition, runner] of modes) {
  if (only !== '' && only !== mode) continue
  await runner(1_000_000, partition)
  gc()
  const perRecord = (await allocatedBytes(() => runner(500_000, partition))) / 500_000
  const cpuRates: number[] = []
  const wallRates: number[] = []
  for (let round = 0; round < rounds; round++) {
    gc()
    const cpu = process.cpuUsage()
    const wall = process.hrtime.bigint()
    await runner(recordsPerRound, partition)
    const used = process.cpuUsage(cpu)
    cpuRates.push(recordsPerRound / ((used.user + used.system) / 1e6))
    wallRates.push(recordsPerRound / (Number(process.hrtime.bigint() - wall) / 1e9))
  }
  if (failed > 0) throw new Error(`${failed} records failed`)
  console.log(
    `${label}: ${fmt(median(cpuRates))} records/s per CPU-second (best ${fmt(Math.max(...cpuRates))}), wall ${fmt(median(wallRates))}; ${perRecord.toFixed(0)} heap bytes per record`,
  )
}
