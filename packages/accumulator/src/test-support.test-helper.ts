// Shared fixtures of the accumulator tests: a hand-stepped pool timer, a recording completion, the cluster of
// Java's RecordAccumulatorTest (tp0, tp1 on node 0; tp2 on node 1) and an accumulator factory.
import { BufferPool, type BufferPoolTimer } from '@x/buffer-pool'
import { StaticClusterView } from '@x/partitioners'
import { decodeRecordBatches, RECORD_BATCH_OVERHEAD, recordSizeInBytes } from '@x/protocol'
import type { ProducerBatch } from './producer-batch.js'
import { RecordAccumulator, type RecordAccumulatorOptions } from './record-accumulator.js'
import { recordBatchBuilderFactory } from './record-batch-builder-factory.js'
import type { RecordCompletion } from './record-completion.js'

export const TOPIC = 'test'
export const KEY = new TextEncoder().encode('key')
export const VALUE = new TextEncoder().encode('value')
export { RECORD_BATCH_OVERHEAD }

export const cluster = new StaticClusterView([
  { topic: TOPIC, partition: 0, leader: 0 },
  { topic: TOPIC, partition: 1, leader: 0 },
  { topic: TOPIC, partition: 2, leader: 1 },
])

export class ManualTimer implements BufferPoolTimer {
  private nowMs = 0
  private next = 1
  private readonly pending = new Map<number, { at: number; callback: () => void }>()
  now(): number {
    return this.nowMs
  }
  setTimeout(callback: () => void, delayMs: number): unknown {
    this.pending.set(this.next, { at: this.nowMs + delayMs, callback })
    return this.next++
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number)
  }
  advance(ms: number): void {
    this.nowMs += ms
    for (const [id, timer] of [...this.pending].sort((a, b) => a[1].at - b[1].at)) {
      if (timer.at > this.nowMs) continue
      this.pending.delete(id)
      timer.callback()
    }
  }
}

/** Records every completion call; `calls` must end up with exactly one entry per appended record. */
export class CompletionRecorder {
  readonly calls: { id: number; batch: ProducerBatch; index: number; error: Error | undefined }[] = []
  private nextId = 0
  /** A fresh completion object, as the producer makes one per send. */
  next(): RecordCompletion & { id: number } {
    const id = this.nextId++
    const calls = this.calls
    return {
      id,
      onCompletion(batch, index, error) {
        calls.push({ id, batch, index, error })
      },
    }
  }
  callsFor(id: number) {
    return this.calls.filter((call) => call.id === id)
  }
}

export function createAccumulator(
  options: Partial<RecordAccumulatorOptions> & {
    batchSize: number
    totalMemory?: number
    timer?: ManualTimer
  },
) {
  const timer = options.timer ?? new ManualTimer()
  const pool =
    options.bufferPool ??
    new BufferPool({ totalMemory: options.totalMemory ?? 10 * 1024, poolableSize: options.batchSize, timer })
  const accumulator = new RecordAccumulator({
    lingerMs: 10,
    deliveryTimeoutMs: 3200,
    retryBackoffMs: 100,
    retryBackoffMaxMs: 1000,
    random: () => 0.5, // backoff jitter factor exactly 1
    recordsBuilderFactory: recordBatchBuilderFactory(),
    clock: () => timer.now(),
    ...options,
    bufferPool: pool,
  })
  return { accumulator, pool, timer }
}

/** Java's `expectedNumAppends`: how many key/value records fit in `batchSize` bytes of records. */
export function expectedNumAppends(batchSize: number, key: Uint8Array | null = KEY): number {
  let size = 0
  for (let offsetDelta = 0; ; offsetDelta++) {
    const recordSize = recordSizeInBytes(offsetDelta, 0, key, VALUE, null)
    if (size + recordSize > batchSize) return offsetDelta
    size += recordSize
  }
}

/** Decodes a drained batch's records. */
export function recordsOf(batch: ProducerBatch) {
  const [decoded] = decodeRecordBatches(batch.records())
  return decoded!.records
}

export const text = (bytes: Uint8Array | null) => (bytes === null ? null : new TextDecoder().decode(bytes))
