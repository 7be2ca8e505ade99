// Shared wiring of the sender's integration tests: the real stack (BufferPool → RecordAccumulator → Sender)
// without the producer façade, and a loop that appends records the way a producer would.
import { RecordAccumulator, recordBatchBuilderFactory } from '@x/accumulator'
import { BufferPool } from '@x/buffer-pool'
import { type CreateSenderOptions, createSender, type SenderStack } from '@x/sender'

export interface RealStack extends SenderStack {
  readonly accumulator: RecordAccumulator
  readonly pool: BufferPool
}

export function createRealStack(
  bootstrapServers: string,
  options: Partial<Omit<CreateSenderOptions, 'bootstrapServers' | 'accumulator'>> & {
    batchSize?: number
    lingerMs?: number
    totalMemory?: number
    deliveryTimeoutMs?: number
  } = {},
): RealStack {
  const batchSize = options.batchSize ?? 16_384
  const pool = new BufferPool({
    totalMemory: options.totalMemory ?? 32 * 1024 * 1024,
    poolableSize: batchSize,
  })
  const accumulator = new RecordAccumulator({
    batchSize,
    lingerMs: options.lingerMs ?? 5,
    deliveryTimeoutMs: options.deliveryTimeoutMs ?? 120_000,
    bufferPool: pool,
    recordsBuilderFactory: recordBatchBuilderFactory(),
  })
  const stack = createSender({ ...options, bootstrapServers, accumulator })
  stack.sender.start()
  return { ...stack, accumulator, pool }
}

/** Per-record bookkeeping in flat arrays: how often each record completed, its partition, offset, error. */
export class Ledger {
  readonly completions: Uint8Array
  readonly partitions: Int16Array
  readonly offsets: Float64Array
  readonly errors = new Map<number, Error>()
  completed = 0

  constructor(readonly size: number) {
    this.completions = new Uint8Array(size)
    this.partitions = new Int16Array(size).fill(-1)
    this.offsets = new Float64Array(size).fill(-1)
  }

  /** The completion for record `id` (one small object per record, as a producer's promise would be). */
  completion(id: number) {
    return new LedgerCompletion(this, id)
  }

  whenAllCompleted(): Promise<void> {
    return new Promise((resolve) => {
      const check = () => (this.completed >= this.size ? resolve() : setTimeout(check, 20))
      check()
    })
  }
}

class LedgerCompletion {
  constructor(
    private readonly ledger: Ledger,
    private readonly id: number,
  ) {}

  onCompletion(
    batch: { partition: number; baseOffset: bigint },
    index: number,
    error: Error | undefined,
  ): void {
    const ledger = this.ledger
    if (ledger.completions[this.id] !== 255) ledger.completions[this.id]!++
    ledger.completed++
    ledger.partitions[this.id] = batch.partition
    if (error !== undefined) ledger.errors.set(this.id, error)
    else ledger.offsets[this.id] = batch.baseOffset < 0n ? -1 : Number(batch.baseOffset) + index
  }
}

const encoder = new TextEncoder()

export const recordKey = (id: number) => `key-${id}`
export const recordValue = (id: number) => `value-${id}-${'x'.repeat(40)}`

/**
 * Appends records `from`..`to`-1 as fast as memory allows: synchronous appends while the pool has memory,
 * awaiting only when an append has to wait, and yielding to the event loop every `yieldEvery` records so the
 * sender's passes and socket I/O interleave with the appends (a producer's callers would yield too).
 */
export async function appendRange(
  stack: RealStack,
  topic: string,
  ledger: Ledger,
  from: number,
  to: number,
  partitionOf: (id: number) => number,
  yieldEvery = 2_000,
): Promise<void> {
  for (let id = from; id < to; id++) {
    if ((id - from) % yieldEvery === yieldEvery - 1) await new Promise((resolve) => setImmediate(resolve))
    const cluster = stack.metadata.fetch()
    const result = stack.accumulator.append(
      topic,
      partitionOf(id),
      Date.now(),
      encoder.encode(recordKey(id)),
      encoder.encode(recordValue(id)),
      null,
      ledger.completion(id),
      60_000,
      false,
      Date.now(),
      cluster,
    )
    if (result instanceof Promise) await result
  }
}
