import { KafkaError } from '@x/protocol'
import type { ClusterView } from './cluster-view.js'
import { murmur2, toPositive } from './murmur2.js'

/** The partition the built-in partitioner currently sticks to, and how many bytes went there so far. */
export class StickyPartitionInfo {
  producedBytes = 0
  constructor(readonly partition: number) {}
}

/** Cumulative frequency table built from queue sizes (KIP-794), over `length` entries of the arrays. */
interface PartitionLoadStats {
  readonly cumulativeFrequencyTable: Int32Array | number[]
  readonly partitionIds: Int32Array | number[]
  readonly length: number
}

export interface BuiltInPartitionerOptions {
  /** Bytes to produce to one partition before switching: `batch.size` (at least 1). */
  stickyBatchSize: number
  /** Non-negative random integers (Java `toPositive(ThreadLocalRandom.nextInt())`); injectable for tests. */
  random?: () => number
}

const defaultRandom = () => (Math.random() * 0x80000000) >>> 0

/**
 * Keyless placement for one topic (Java `BuiltInPartitioner`, KIP-794 "strictly uniform sticky"): records stick
 * to one partition until about `batch.size` bytes went there, then switch to another. The next partition is
 * uniform over partitions with a leader, or — when adaptive partitioning fed load stats through
 * `updatePartitionLoadStats` — weighted towards partitions with shorter queues, leaving out partitions whose
 * leader has not drained for `partitioner.availability.timeout.ms`.
 *
 * The `RecordAccumulator` drives it: `peekCurrentPartitionInfo` before an append, `updatePartitionInfo` after
 * it, `updatePartitionLoadStats` in `ready`. One instance per topic. Single-threaded, so Java's race checks
 * reduce to "did the accumulator switch the partition meanwhile" (`isPartitionChanged`).
 *
 * @see https://cwiki.apache.org/confluence/display/KAFKA/KIP-794%3A+Strictly+Uniform+Sticky+Partitioner
 */
export class BuiltInPartitioner {
  readonly topic: string
  readonly stickyBatchSize: number
  private readonly random: () => number
  private loadStats: PartitionLoadStats | undefined
  private sticky: StickyPartitionInfo | undefined
  /** A random number drawn by a peek and not used yet: the next switch uses it, so a peek predicts it. */
  private peekedRandom = -1

  constructor(topic: string, options: BuiltInPartitionerOptions) {
    if (!Number.isInteger(options.stickyBatchSize) || options.stickyBatchSize < 1) {
      throw new KafkaError({
        code: 'INVALID_ARGUMENT',
        message: `BuiltInPartitioner: stickyBatchSize (batch.size) must be an integer >= 1, got ${options.stickyBatchSize}.`,
      })
    }
    this.topic = topic
    this.stickyBatchSize = options.stickyBatchSize
    this.random = options.random ?? defaultRandom
  }

  /** Java's `BuiltInPartitioner.partitionForKey`: `toPositive(murmur2(key)) % numPartitions`. */
  static partitionForKey(keyBytes: Uint8Array, numPartitions: number): number {
    return toPositive(murmur2(keyBytes)) % numPartitions
  }

  /** The partition to append the next keyless record to, choosing one if there is none yet. */
  peekCurrentPartitionInfo(cluster: ClusterView): StickyPartitionInfo {
    if (this.sticky === undefined) this.sticky = new StickyPartitionInfo(this.nextPartition(cluster))
    return this.sticky
  }

  /**
   * Side-effect free (for `explain`): the sticky partition a keyless record would go to now, without choosing
   * one when there is none yet. `undefined` then: `peekNextPartition` says which one would be chosen.
   */
  peekStickyPartitionInfo(): Readonly<StickyPartitionInfo> | undefined {
    return this.sticky
  }

  /**
   * Side-effect free for every choice (for `explain`): the partition the next switch (or the first choice)
   * would pick with the current load stats. It draws the random number that switch will use and keeps it,
   * so the switch then picks exactly this partition (unless the metadata or load stats change meanwhile).
   */
  peekNextPartition(cluster: ClusterView): number {
    if (this.peekedRandom < 0) this.peekedRandom = this.random()
    return this.partitionFor(this.peekedRandom, cluster)
  }

  /** True when `info` is no longer the current sticky partition (the accumulator switched meanwhile). */
  isPartitionChanged(info: StickyPartitionInfo | undefined): boolean {
    return info !== undefined && this.sticky !== info
  }

  /**
   * Counts `appendedBytes` against the sticky partition and switches once `stickyBatchSize` bytes went there.
   * With `enableSwitch` false (the partition's last batch is not full yet) the switch waits, to avoid
   * leaving a fractional batch behind, until twice `stickyBatchSize` (Java's cap for pathological cases).
   */
  updatePartitionInfo(
    info: StickyPartitionInfo | undefined,
    appendedBytes: number,
    cluster: ClusterView,
    enableSwitch = true,
  ): void {
    if (info === undefined) return
    info.producedBytes += appendedBytes
    const produced = info.producedBytes
    if ((produced >= this.stickyBatchSize && enableSwitch) || produced >= this.stickyBatchSize * 2) {
      this.sticky = new StickyPartitionInfo(this.nextPartition(cluster))
    }
  }

  /**
   * Feeds queue sizes for adaptive partitioning (KIP-794). `queueSizes[i]` is the number of batches queued for
   * partition `partitionIds[i]`; only the first `length` entries count (partitions on slow nodes were left
   * out). `queueSizes` is turned into a cumulative frequency table in place, so pass a scratch array.
   * `null`, fewer than 2 partitions, or all sizes equal with none left out switch back to uniform.
   */
  updatePartitionLoadStats(
    queueSizes: Int32Array | number[] | null,
    partitionIds: Int32Array | number[] | null,
    length: number,
  ): void {
    if (queueSizes === null || partitionIds === null || length < 1 || queueSizes.length < 2) {
      this.loadStats = undefined
      return
    }
    let maxSizePlus1 = queueSizes[0]!
    let allEqual = true
    for (let i = 1; i < length; i++) {
      const size = queueSizes[i]!
      if (size !== maxSizePlus1) allEqual = false
      if (size > maxSizePlus1) maxSizePlus1 = size
    }
    maxSizePlus1++
    if (allEqual && length === queueSizes.length) {
      this.loadStats = undefined
      return
    }
    // Invert (shorter queue = higher frequency) and fold into a running sum: e.g. sizes 0 3 1 → 4 1 3 → 4 5 8.
    // A uniform random number in [0, 8) then picks index 0 for 0-3, 1 for 4 and 2 for 5-7.
    queueSizes[0] = maxSizePlus1 - queueSizes[0]!
    for (let i = 1; i < length; i++) queueSizes[i] = maxSizePlus1 - queueSizes[i]! + queueSizes[i - 1]!
    this.loadStats = { cumulativeFrequencyTable: queueSizes, partitionIds, length }
  }

  /** Test hook (Java `loadStatsRangeEnd`): the sum of all frequencies, or 0 when not adaptive. */
  loadStatsRangeEnd(): number {
    const stats = this.loadStats
    return stats === undefined ? 0 : stats.cumulativeFrequencyTable[stats.length - 1]!
  }

  private nextPartition(cluster: ClusterView): number {
    let random = this.peekedRandom
    if (random < 0) random = this.random()
    else this.peekedRandom = -1
    return this.partitionFor(random, cluster)
  }

  private partitionFor(random: number, cluster: ClusterView): number {
    const stats = this.loadStats
    if (stats === undefined) {
      const available = cluster.availablePartitions(this.topic)
      if (available.length > 0) return available[random % available.length]!
      // No partition has a leader: pick among all, the batch waits in its queue for one.
      const count = cluster.partitionCount(this.topic)
      if (count === undefined || count < 1) {
        throw new KafkaError({
          code: 'UNKNOWN_TOPIC_OR_PARTITION',
          retriable: true,
          message: `Topic ${this.topic} has no partitions in the metadata; wait for metadata before appending.`,
        })
      }
      return random % count
    }
    const table = stats.cumulativeFrequencyTable
    const weighted = random % table[stats.length - 1]!
    // The first entry strictly greater than `weighted` (the table is strictly increasing).
    let low = 0
    let high = stats.length - 1
    while (low < high) {
      const middle = (low + high) >>> 1
      if (table[middle]! > weighted) high = middle
      else low = middle + 1
    }
    return stats.partitionIds[low]!
  }
}
