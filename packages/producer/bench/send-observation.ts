// What tracing and diagnostics_channel cost per record through KafkaProducer.send (the façade, not only the
// SendPath): send(record, callback) per CPU-second and heap bytes per record, without a network — the façade's
// per-record fields around the same SendPath, RecordAccumulator and BufferPool as send-path-throughput.ts,
// batches drained, closed, completed and deallocated as they fill. 100-byte values, explicit partition.
//   plain       nobody subscribes, tracing off (the path every producer takes by default)
//   subscribed  a no-op subscriber on x-kafka:producer:send (and ack/error)
//   traced      tracing on, an SDK BasicTracerProvider that samples every span and exports none
//
//   node --expose-gc --import tsx packages/producer/bench/send-observation.ts [--records N] [--rounds N]
//     [--only plain|subscribed|traced]
//
// `plain` runs on a checkout without tracing too (it imports nothing of src/tracing), for A/B runs.
import { subscribe } from 'node:diagnostics_channel'
import { loadavg } from 'node:os'
import { GCProfiler, getHeapStatistics } from 'node:v8'
import { RecordAccumulator, recordBatchBuilderFactory } from '@x/accumulator'
import { BufferPool } from '@x/buffer-pool'
import { StaticClusterView } from '@x/partitioners'
import { KafkaProducer } from '../src/kafka-producer.js'
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
const recordsPerRound = Number(option('records', '1000000'))
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

/** The façade around the bench's SendPath: its per-record fields as the constructor sets them. */
async function facade(mode: string): Promise<KafkaProducer<Uint8Array, Uint8Array>> {
  const producer = Object.create(KafkaProducer.prototype) as KafkaProducer<Uint8Array, Uint8Array>
  const fields: Record<string, unknown> = {
    config,
    sendPath,
    interceptors: undefined,
    closing: undefined,
    transactionManager: undefined,
  }
  if (mode !== 'plain') {
    const channels = await import('../src/tracing/producer-channels.js')
    const instrumentation = await import('../src/tracing/send-instrumentation.js')
    fields['observation'] = channels.sendChannel
    fields['telemetry'] = undefined
    if (mode === 'subscribed') {
      for (const name of [channels.SEND_CHANNEL_NAME, channels.ACK_CHANNEL_NAME, channels.ERROR_CHANNEL_NAME])
        subscribe(name, () => {})
    } else {
      const api = await import('@opentelemetry/api')
      const { BasicTracerProvider } = await import('@opentelemetry/sdk-trace-base')
      fields['observation'] = instrumentation.ALWAYS_OBSERVE
      fields['telemetry'] = new instrumentation.ProducerTelemetry({
        api,
        tracerProvider: new BasicTracerProvider(),
        meterProvider: undefined,
        propagate: true,
      })
    }
  } else {
    // The field as a producer without subscribers has it (absent on a checkout without tracing).
    try {
      fields['observation'] = (await import('../src/tracing/producer-channels.js')).sendChannel
    } catch {}
  }
  return Object.assign(producer, fields)
}

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

let failed = 0
const callback = (_metadata: RecordMetadata, error: Error | undefined) => {
  if (error !== undefined) failed++
}
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve))
async function run(producer: KafkaProducer<Uint8Array, Uint8Array>, records: number): Promise<void> {
  for (let i = 0; i < records; i++) {
    producer.send({ topic: 'bench', partition: 3, value }, callback)
    if ((i & 0x3fff) === 0x3fff) {
      drainAll()
      await yieldToEventLoop()
    }
  }
  drainAll()
}

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
// One mode per process when measuring (`--only`): a subscriber, once added, stays for the process.
for (const mode of ['plain', 'subscribed', 'traced']) {
  if (only !== '' && only !== mode) continue
  const producer = await facade(mode)
  const warm = mode === 'plain' ? 1_000_000 : 200_000
  await run(producer, warm)
  gc()
  const perRecord = (await allocatedBytes(() => run(producer, 200_000))) / 200_000
  const cpuRates: number[] = []
  for (let round = 0; round < rounds; round++) {
    gc()
    const cpu = process.cpuUsage()
    await run(producer, recordsPerRound)
    const used = process.cpuUsage(cpu)
    cpuRates.push(recordsPerRound / ((used.user + used.system) / 1e6))
  }
  if (failed > 0) throw new Error(`${failed} records failed`)
  console.log(
    `${mode}: send(record, callback) via KafkaProducer.send ${fmt(median(cpuRates))} records/s per CPU-second (best ${fmt(Math.max(...cpuRates))}); ${perRecord.toFixed(0)} heap bytes per record`,
  )
}
