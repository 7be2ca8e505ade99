// send() on the synchronous path, without a network: the SendPath over a real RecordAccumulator and
// BufferPool, batches drained, completed and deallocated every 1,000 records (what the sender does, minus the
// socket). 100-byte values, no key, 16 KiB batches. Run: npx vitest bench --run --project producer
// For records/s per CPU-second and heap bytes per record: packages/producer/bench/send-path-throughput.ts.
import { RecordAccumulator, recordBatchBuilderFactory } from '@x/accumulator'
import { BufferPool } from '@x/buffer-pool'
import { StaticClusterView } from '@x/partitioners'
import { bench, describe } from 'vitest'
import { ProducerInterceptors } from '../interceptors/producer-interceptors.js'
import { resolveProducerConfig } from '../options/resolve-producer-config.js'
import type { CompletionContext } from './pending-record.js'
import { SendPath } from './send-path.js'

const cluster = StaticClusterView.of('bench', 12, [0, 1, 2])
const value = new Uint8Array(100).fill(42)

function setup(withInterceptor: boolean) {
  const { config } = resolveProducerConfig<Uint8Array, Uint8Array>({ bootstrapServers: 'h:1', lingerMs: 0 })
  const accumulator = new RecordAccumulator({
    batchSize: config.batchSize,
    lingerMs: 0,
    bufferPool: new BufferPool({ totalMemory: config.bufferMemory, poolableSize: config.batchSize }),
    recordsBuilderFactory: recordBatchBuilderFactory(),
  })
  const interceptors = withInterceptor
    ? new ProducerInterceptors<Uint8Array, Uint8Array>([{ onAcknowledgement() {} }], () => {})
    : undefined
  const context: CompletionContext = { interceptors, reportCallbackError() {}, recordError() {} }
  const sendPath = new SendPath<Uint8Array, Uint8Array>({
    config,
    accumulator,
    context,
    interceptors,
    metadata: { clusterIfReady: () => cluster, waitForCluster: async () => cluster },
    wakeup() {},
  })
  const drain = () => {
    for (const batches of accumulator.drain(cluster, [0, 1, 2], 1 << 30, 0).values()) {
      for (const batch of batches) {
        batch.complete(0n, -1)
        accumulator.deallocate(batch)
      }
    }
  }
  return { sendPath, drain }
}

describe('send() of 1,000 records of 100 bytes (synchronous path)', () => {
  for (const [name, partition, withInterceptor] of [
    ['explicit partition', 3, false],
    ['built-in sticky partitioner', undefined, false],
    ['explicit partition, one interceptor', 3, true],
  ] as const) {
    const { sendPath, drain } = setup(withInterceptor)
    const record = { topic: 'bench', partition, value }
    bench(name, () => {
      for (let i = 0; i < 1000; i++) sendPath.send(record, undefined)
      drain()
    })
  }
  const { sendPath, drain } = setup(false)
  const records = new Array(1000).fill({ topic: 'bench', partition: 3, value })
  bench('sendBatch of the same 1,000', () => {
    sendPath.sendBatch(records)
    drain()
  })
})
