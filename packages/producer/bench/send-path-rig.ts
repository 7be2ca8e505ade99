// The rig shared by the no-network send-path benches: a SendPath over a real RecordAccumulator and BufferPool
// (Java defaults, linger 0, 12 partitions on 3 nodes), a drain that closes, completes and deallocates every
// batch as the sender would minus the socket, and the measuring helpers (heap bytes allocated, medians).
import { loadavg } from 'node:os'
import { GCProfiler, getHeapStatistics } from 'node:v8'
import { RecordAccumulator, recordBatchBuilderFactory } from '@x/accumulator'
import { BufferPool } from '@x/buffer-pool'
import { StaticClusterView } from '@x/partitioners'
import { resolveProducerConfig } from '../src/options/resolve-producer-config.js'
import type { RecordMetadata } from '../src/record/record-metadata.js'
import type { CompletionContext } from '../src/send/pending-record.js'
import { SendPath } from '../src/send/send-path.js'

const maybeGc = (globalThis as { gc?: () => void }).gc
if (maybeGc === undefined) throw new Error('run with node --expose-gc')
export const gc: () => void = maybeGc

/** `--name value` from the command line, or the fallback. */
export function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`)
  return index >= 0 ? process.argv[index + 1]! : fallback
}

export const cluster = StaticClusterView.of('bench', 12, [0, 1, 2])
const nodes = [0, 1, 2]
export const { config } = resolveProducerConfig<Uint8Array, Uint8Array>({
  bootstrapServers: 'h:1',
  lingerMs: 0,
})
export const accumulator = new RecordAccumulator({
  batchSize: config.batchSize,
  lingerMs: 0,
  bufferPool: new BufferPool({ totalMemory: config.bufferMemory, poolableSize: config.batchSize }),
  recordsBuilderFactory: recordBatchBuilderFactory(),
})
const context: CompletionContext = { interceptors: undefined, reportCallbackError() {}, recordError() {} }
export const sendPath = new SendPath<Uint8Array, Uint8Array>({
  config,
  accumulator,
  context,
  interceptors: undefined,
  metadata: { clusterIfReady: () => cluster, waitForCluster: async () => cluster },
  wakeup() {},
})

/** The 100-byte value every bench sends. */
export const value = new Uint8Array(100).fill(42)

let offset = 0n
/** Drains every batch and completes it as a broker's acknowledgement would, returning its memory. */
export function drainAll(): void {
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

let failed = 0
/** The send callback of every bench: counts failures, which `assertNoFailures` turns into an error. */
export const callback = (_metadata: RecordMetadata, error: Error | undefined): void => {
  if (error !== undefined) failed++
}
export function assertNoFailures(): void {
  if (failed > 0) throw new Error(`${failed} records failed`)
}

export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Bytes the V8 heap allocated while `fn` ran: the growth of the used heap plus what GC freed meanwhile. */
export async function allocatedBytes(fn: () => Promise<void>): Promise<number> {
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

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!
export const fmt = (perSecond: number) => `${(perSecond / 1e6).toFixed(2)} M`

export function printHeader(rounds: number, recordsPerRound: number): void {
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')
  console.log(`node ${process.version}, ${rounds} rounds × ${recordsPerRound} sends, load ${load}`)
}
