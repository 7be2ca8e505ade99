import { type Cluster, type Metadata, TimeoutError } from '@x/sender'
import type { SendPathMetadata } from './send-path.js'

/** How often a record re-marks its topic as in use: `metadata.max.idle.ms` is at least 5 s, so 1 s is plenty. */
const TOUCH_INTERVAL_MS = 1000

/**
 * The send path's view of `@x/sender`'s `Metadata` (Java `ProducerMetadata` as `KafkaProducer` uses it), plus
 * a start-up gate: until `ready` settles (a compression codec that loads asynchronously, e.g. zstd from
 * WebAssembly on Node 20) every send takes the waiting path, bounded by `max.block.ms` like a metadata wait.
 */
export class MetadataAccess implements SendPathMetadata {
  private gate: Promise<void> | undefined
  private lastTopic: string | undefined
  private lastTouchMs = 0

  constructor(
    private readonly metadata: Metadata,
    /** `max.block.ms`, named in timeout messages even when a send waited behind another and had less. */
    private readonly maxBlockMs: number,
    ready: Promise<void> | undefined,
    /** Told how long each wait took, in nanoseconds (`metadata-wait-time-ns-total`). */
    private readonly onWaited: (nanoseconds: number) => void = () => {},
  ) {
    if (ready !== undefined) {
      this.gate = ready
      ready.then(
        () => {
          this.gate = undefined
        },
        () => {},
      )
    }
  }

  clusterIfReady(topic: string, partition: number, nowMs: number): Cluster | undefined {
    if (this.gate !== undefined) return undefined
    // Java calls metadata.add(topic) on every send; once a second per topic keeps the topic just as alive.
    if (topic !== this.lastTopic || nowMs - this.lastTouchMs >= TOUCH_INTERVAL_MS) {
      this.metadata.add(topic, nowMs)
      this.lastTopic = topic
      this.lastTouchMs = nowMs
    }
    const cluster = this.metadata.fetch()
    const count = cluster.partitionCount(topic)
    return count !== undefined && partition < count ? cluster : undefined
  }

  async waitForCluster(topic: string, partition: number, nowMs: number, maxWaitMs: number): Promise<Cluster> {
    const start = process.hrtime.bigint()
    try {
      if (this.gate !== undefined) await this.gate
      return await this.metadata.waitOnMetadata(
        topic,
        partition < 0 ? undefined : partition,
        maxWaitMs,
        nowMs,
      )
    } catch (error) {
      if (TimeoutError.isInstance(error) && error.timeout === 'max.block.ms')
        throw this.timeoutError(topic, partition, error)
      throw error
    } finally {
      this.onWaited(Number(process.hrtime.bigint() - start))
    }
  }

  /** Java's messages, with the configured `max.block.ms` (Java also rethrows with the original value). */
  private timeoutError(topic: string, partition: number, cause: TimeoutError): TimeoutError {
    const count = this.metadata.fetch().partitionCount(topic)
    const message =
      partition >= 0 && count !== undefined
        ? `Partition ${partition} of topic ${topic} with partition count ${count} is not present in metadata after ${this.maxBlockMs} ms.`
        : `Topic ${topic} not present in metadata after ${this.maxBlockMs} ms.`
    return new TimeoutError({ timeout: 'max.block.ms', timeoutMs: this.maxBlockMs, message, cause })
  }
}
