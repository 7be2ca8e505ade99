// Keyless placement inside append, after Java's RecordAccumulatorTest: testUniformBuiltInPartitioner,
// testAdaptiveBuiltInPartitioner, testBuiltInPartitionerFractionalBatches, testStickyBatches (abortOnNewBatch).
import { type ClusterView, type Partitioner, UNKNOWN_PARTITION } from '@x/partitioners'
import { describe, expect, it } from 'vitest'
import type { RecordAppendResult } from './results.js'
import { CompletionRecorder, cluster, createAccumulator, TOPIC } from './test-support.test-helper.js'

/** Java's SequentialPartitioner: the accumulator's random source yields 0, 1, 2, ... as partition picks. */
function sequentialRandom() {
  let next = 0
  return () => next++ / 0x80000000
}

const sync = (result: RecordAppendResult | Promise<RecordAppendResult>) => {
  if (result instanceof Promise) throw new Error('append unexpectedly waited')
  return result
}

describe('RecordAccumulator keyless placement', () => {
  it('sticks to a partition until batch.size bytes went there and its batch is full, then moves uniformly', () => {
    const batchSize = 1024
    const { accumulator } = createAccumulator({
      batchSize,
      totalMemory: 1024 * 1024,
      lingerMs: 0,
      random: sequentialRandom(),
    })
    const append = (value: Uint8Array) =>
      sync(
        accumulator.append(
          TOPIC,
          UNKNOWN_PARTITION,
          0,
          null,
          value,
          null,
          new CompletionRecorder().next(),
          1000,
          false,
          0,
          cluster,
        ),
      ).partition
    expect(append(new Uint8Array(5))).toBe(0)
    const large = new Uint8Array(batchSize)
    // Over the sticky limit, but the batch is incomplete: the switch waits.
    expect(append(large)).toBe(0)
    expect(append(large)).toBe(1)
    expect(append(large)).toBe(2)
    expect(append(large)).toBe(0)
  })

  it('weights partitions by queue length when adaptive, and avoids leaders that cannot drain', () => {
    const batchSize = 128
    const { accumulator } = createAccumulator({
      batchSize,
      totalMemory: 1024 * 1024,
      lingerMs: 0,
      retryBackoffMs: 0,
      retryBackoffMaxMs: 0,
      adaptivePartitioning: true,
      partitionerAvailabilityTimeoutMs: 100,
      random: sequentialRandom(),
    })
    const large = new Uint8Array(batchSize)
    const queueSizes = [1, 7, 2]
    queueSizes.forEach((size, partition) => {
      for (let i = 0; i < size; i++) {
        accumulator.append(
          TOPIC,
          partition,
          0,
          null,
          large,
          null,
          new CompletionRecorder().next(),
          1000,
          false,
          0,
          cluster,
        )
      }
    })
    accumulator.ready(cluster, 0) // builds the load stats
    const append = () =>
      sync(
        accumulator.append(
          TOPIC,
          UNKNOWN_PARTITION,
          0,
          null,
          large,
          null,
          new CompletionRecorder().next(),
          1000,
          false,
          0,
          cluster,
        ),
      ).partition
    append() // primes the sticky partition so every later append switches
    const cycles = 2
    const frequencies = [0, 0, 0]
    const rangeEnd = accumulator.builtInPartitioner(TOPIC)!.loadStatsRangeEnd()
    for (let i = 0; i < rangeEnd * cycles; i++) frequencies[append()]!++
    expect(frequencies).toEqual(queueSizes.map((size) => (8 - size) * cycles))

    // Node 0 (partitions 0, 1) had data ready but has not drained for 200 ms > 100 ms: only partition 2 remains.
    accumulator.updateNodeLatencyStats(0, -200, true)
    accumulator.updateNodeLatencyStats(0, 0, false)
    accumulator.ready(cluster, 0)
    append()
    for (let i = 0; i < 10; i++) expect(append()).toBe(2)
  })

  it('avoids fractional batches: with linger, the partition switches at a batch boundary', () => {
    const batchSize = 512
    const { accumulator } = createAccumulator({ batchSize, totalMemory: 1024 * 1024, lingerMs: 10 })
    const value = new Uint8Array(32)
    let now = 0
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < Math.floor((batchSize * 2) / 3 / value.length); i++) {
        accumulator.append(
          TOPIC,
          UNKNOWN_PARTITION,
          0,
          null,
          value,
          null,
          new CompletionRecorder().next(),
          1000,
          false,
          now,
          cluster,
        )
      }
      now += 10
      const nodes = accumulator.ready(cluster, now).readyNodes
      expect(nodes.size).toBe(1)
      const batches = [...accumulator.drain(cluster, nodes, Number.MAX_SAFE_INTEGER, now).values()].flat()
      expect(batches).toHaveLength(1)
      const size = batches[0]!.records().byteLength
      expect(size).toBeGreaterThan(batchSize / 2)
      expect(size).toBeLessThan(batchSize)
    }
  })

  it('with abortOnNewBatch, asks a custom sticky partitioner again instead of opening a batch', () => {
    /** A custom sticky partitioner in the Java 3.x style: moves on when told a batch is full. */
    class StickyCustomPartitioner implements Partitioner {
      current = 0
      partition(
        _topic: string,
        _key: unknown,
        _keyBytes: Uint8Array | null,
        _value: unknown,
        _valueBytes: Uint8Array | null,
        view: ClusterView,
      ): number {
        return this.current % (view.partitionCount(TOPIC) ?? 1)
      }
      onNewBatch(): void {
        this.current++
      }
    }
    const { accumulator } = createAccumulator({ batchSize: 256, totalMemory: 64 * 1024 })
    const partitioner = new StickyCustomPartitioner()
    const value = new Uint8Array(50)
    const placed: number[] = []
    for (let i = 0; i < 12; i++) {
      let partition = partitioner.partition(TOPIC, null, null, null, value, cluster)
      let result = sync(
        accumulator.append(
          TOPIC,
          partition,
          0,
          null,
          value,
          null,
          new CompletionRecorder().next(),
          1000,
          true,
          0,
          cluster,
        ),
      )
      if (result.abortForNewBatch) {
        partitioner.onNewBatch?.()
        partition = partitioner.partition(TOPIC, null, null, null, value, cluster)
        result = sync(
          accumulator.append(
            TOPIC,
            partition,
            0,
            null,
            value,
            null,
            new CompletionRecorder().next(),
            1000,
            false,
            0,
            cluster,
          ),
        )
      }
      placed.push(result.partition)
    }
    // Three 50-byte records fill a 256-byte batch; each new batch goes to the next partition.
    expect(placed).toEqual([1, 1, 1, 2, 2, 2, 0, 0, 0, 1, 1, 1])
    expect(accumulator.batchesFor(TOPIC, 1)).toHaveLength(2)
  })
})
