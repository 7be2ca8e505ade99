// Fixtures of the send-path tests: a metadata whose topics appear when the test says so, and a hand-driven
// "sender" that drains the accumulator and completes batches as a broker response would.
import { type ProducerBatch, RecordAccumulator, recordBatchBuilderFactory } from '@x/accumulator'
import { BufferPool } from '@x/buffer-pool'
import { type ClusterView, StaticClusterView } from '@x/partitioners'
import { TimeoutError } from '@x/sender'
import type { ProducerInterceptor } from '../interceptors/producer-interceptor.js'
import { ProducerInterceptors } from '../interceptors/producer-interceptors.js'
import type { ProducerConfig } from '../options/producer-config.js'
import { resolveProducerConfig } from '../options/resolve-producer-config.js'
import type { RecordMetadata } from '../record/record-metadata.js'
import type { CompletionContext } from './pending-record.js'
import { SendPath, type SendPathMetadata } from './send-path.js'

/** Topics become known when `publish` is called; waits time out after `maxWaitMs` of real time. */
export class FakeMetadata implements SendPathMetadata {
  cluster: ClusterView
  waits = 0
  private readonly waiters: (() => void)[] = []

  constructor(cluster: ClusterView = new StaticClusterView([])) {
    this.cluster = cluster
  }

  publish(cluster: ClusterView): void {
    this.cluster = cluster
    for (const wake of this.waiters.splice(0)) wake()
  }

  clusterIfReady(topic: string, partition: number): ClusterView | undefined {
    const count = this.cluster.partitionCount(topic)
    return count !== undefined && partition < count ? this.cluster : undefined
  }

  waitForCluster(topic: string, partition: number, _nowMs: number, maxWaitMs: number): Promise<ClusterView> {
    this.waits++
    return new Promise((resolve, reject) => {
      const check = () => {
        const ready = this.clusterIfReady(topic, partition)
        if (ready === undefined) return false
        clearTimeout(timer)
        resolve(ready)
        return true
      }
      const timer = setTimeout(
        () =>
          reject(
            new TimeoutError({
              timeout: 'max.block.ms',
              timeoutMs: maxWaitMs,
              message: `Topic ${topic} not present in metadata after ${maxWaitMs} ms.`,
            }),
          ),
        maxWaitMs,
      )
      const onPublish = () => {
        if (!check()) this.waiters.push(onPublish)
      }
      this.waiters.push(onPublish)
    })
  }
}

export interface Harness<K, V> {
  config: ProducerConfig<K, V>
  accumulator: RecordAccumulator
  metadata: FakeMetadata
  sendPath: SendPath<K, V>
  wakeups: number
  callbackErrors: unknown[]
  interceptorErrors: unknown[]
  recordErrors: number
  /** Drains every ready batch and completes it with consecutive offsets from `nextOffset` (a broker's reply). */
  respond(options?: { logAppendTime?: number; acks0?: boolean; error?: Error }): ProducerBatch[]
}

export function harness<K = Uint8Array | string, V = Uint8Array | string>(
  options: object = {},
  cluster: ClusterView = StaticClusterView.of('orders', 4, [1, 2]),
  interceptors: ProducerInterceptor<K, V>[] = [],
): Harness<K, V> {
  const { config } = resolveProducerConfig<K, V>({ bootstrapServers: 'h:1', ...options })
  const accumulator = new RecordAccumulator({
    batchSize: config.batchSize,
    lingerMs: config.lingerMs,
    bufferPool: new BufferPool({ totalMemory: config.bufferMemory, poolableSize: config.batchSize }),
    recordsBuilderFactory: recordBatchBuilderFactory({ compression: config.compressionType }),
  })
  const metadata = new FakeMetadata(cluster)
  const state = {
    config,
    accumulator,
    metadata,
    wakeups: 0,
    callbackErrors: [] as unknown[],
    interceptorErrors: [] as unknown[],
    recordErrors: 0,
  }
  const chain =
    interceptors.length === 0
      ? undefined
      : new ProducerInterceptors<K, V>(interceptors, (_hook, error) => state.interceptorErrors.push(error))
  const context: CompletionContext = {
    interceptors: chain,
    reportCallbackError: (error: unknown, _metadata: RecordMetadata) => state.callbackErrors.push(error),
    recordError: () => {
      state.recordErrors++
    },
  }
  let nextOffset = 0n
  const sendPath = new SendPath<K, V>({
    config,
    accumulator,
    metadata,
    context,
    interceptors: chain,
    wakeup: () => {
      state.wakeups++
    },
  })
  const respond: Harness<K, V>['respond'] = (reply = {}) => {
    const done: ProducerBatch[] = []
    const now = Date.now() + 1_000_000
    const view = metadata.cluster
    const { readyNodes } = accumulator.ready(view, now)
    for (const batches of accumulator.drain(view, readyNodes, config.maxRequestSize, now).values()) {
      for (const batch of batches) {
        if (reply.error !== undefined) batch.completeExceptionally(reply.error)
        else {
          batch.complete(reply.acks0 ? -1n : nextOffset, reply.logAppendTime ?? -1)
          nextOffset += BigInt(batch.recordCount)
        }
        accumulator.deallocate(batch)
        done.push(batch)
      }
    }
    return done
  }
  return Object.assign(state, { sendPath, respond })
}
