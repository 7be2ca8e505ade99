// Scenarios of Java's RecordAccumulatorTest (apache/kafka clients/src/test/.../producer/internals/):
// testFull, testAppendLarge*, testLinger, testPartialDrain, testNextReadyCheckDelay, testDrainBatches,
// testMutedPartitions, testDrainWithANodeThatDoesntHostAnyPartitions. Time is stepped by hand (nowMs).
import { StaticClusterView } from '@x/partitioners'
import { describe, expect, it } from 'vitest'
import {
  CompletionRecorder,
  cluster,
  createAccumulator,
  expectedNumAppends,
  KEY,
  RECORD_BATCH_OVERHEAD,
  recordsOf,
  TOPIC,
  text,
  VALUE,
} from './test-support.test-helper.js'

const MAX = Number.MAX_SAFE_INTEGER

describe('RecordAccumulator ready and drain', () => {
  it('keeps a partition unready until its batch is full, then drains the full batch intact', () => {
    const batchSize = 1025
    const { accumulator } = createAccumulator({
      batchSize: batchSize + RECORD_BATCH_OVERHEAD,
      totalMemory: 10 * batchSize,
    })
    const completions = new CompletionRecorder()
    const appends = expectedNumAppends(batchSize)
    for (let i = 0; i < appends; i++) {
      const result = accumulator.append(
        TOPIC,
        0,
        0,
        KEY,
        VALUE,
        null,
        completions.next(),
        1000,
        false,
        0,
        cluster,
      )
      expect(result).not.toBeInstanceOf(Promise)
      expect(accumulator.batchesFor(TOPIC, 0)).toHaveLength(1)
      expect(accumulator.ready(cluster, 0).readyNodes.size).toBe(0)
    }
    // This one does not fit: a second batch opens and the first is closed for appends.
    accumulator.append(TOPIC, 0, 0, KEY, VALUE, null, completions.next(), 1000, false, 0, cluster)
    expect(accumulator.batchesFor(TOPIC, 0)).toHaveLength(2)
    expect(accumulator.ready(cluster, 0).readyNodes).toEqual(new Set([0]))

    const drained = accumulator.drain(cluster, [0], MAX, 0).get(0)!
    expect(drained).toHaveLength(1)
    const records = recordsOf(drained[0]!)
    expect(records).toHaveLength(appends)
    for (const record of records) {
      expect(text(record.key)).toBe('key')
      expect(text(record.value)).toBe('value')
    }
  })

  it('gives a record larger than batch.size a batch of its own that is ready at once', () => {
    const batchSize = 512
    const { accumulator } = createAccumulator({ batchSize: batchSize + RECORD_BATCH_OVERHEAD, lingerMs: 0 })
    const large = new Uint8Array(2 * batchSize).fill(7)
    accumulator.append(
      TOPIC,
      0,
      0,
      KEY,
      large,
      null,
      new CompletionRecorder().next(),
      1000,
      false,
      0,
      cluster,
    )
    expect(accumulator.ready(cluster, 0).readyNodes).toEqual(new Set([0]))
    const [batch] = accumulator.drain(cluster, [0], MAX, 0).get(0)!
    const [record] = recordsOf(batch!)
    expect(record!.offset).toBe(0n)
    expect(record!.value).toEqual(large)
    expect(record!.timestamp).toBe(0)
  })

  it('makes a batch ready once linger.ms has passed', () => {
    const { accumulator } = createAccumulator({ batchSize: 1024 + RECORD_BATCH_OVERHEAD, lingerMs: 10 })
    accumulator.append(
      TOPIC,
      0,
      0,
      KEY,
      VALUE,
      null,
      new CompletionRecorder().next(),
      1000,
      false,
      0,
      cluster,
    )
    expect(accumulator.ready(cluster, 9).readyNodes.size).toBe(0)
    expect(accumulator.ready(cluster, 10).readyNodes).toEqual(new Set([0]))
    const drained = accumulator.drain(cluster, [0], MAX, 10).get(0)!
    expect(drained).toHaveLength(1)
    expect(recordsOf(drained[0]!).map((record) => text(record.value))).toEqual(['value'])
  })

  it('drains no more than max.request.size per node', () => {
    const { accumulator } = createAccumulator({ batchSize: 1024 + RECORD_BATCH_OVERHEAD })
    const appends = Math.floor(1024 / 15) + 1
    for (const partition of [0, 1]) {
      for (let i = 0; i < appends; i++) {
        accumulator.append(
          TOPIC,
          partition,
          0,
          KEY,
          VALUE,
          null,
          new CompletionRecorder().next(),
          1000,
          false,
          0,
          cluster,
        )
      }
    }
    expect(accumulator.ready(cluster, 0).readyNodes).toEqual(new Set([0]))
    expect(accumulator.drain(cluster, [0], 1024, 0).get(0)).toHaveLength(1)
  })

  it('reports the time until the next partition may become ready', () => {
    const batchSize = 1025
    const { accumulator } = createAccumulator({ batchSize: batchSize + RECORD_BATCH_OVERHEAD, lingerMs: 10 })
    const appends = expectedNumAppends(batchSize)
    const append = (partition: number, nowMs: number) =>
      accumulator.append(
        TOPIC,
        partition,
        0,
        KEY,
        VALUE,
        null,
        new CompletionRecorder().next(),
        1000,
        false,
        nowMs,
        cluster,
      )
    for (let i = 0; i < appends; i++) append(0, 0)
    let result = accumulator.ready(cluster, 0)
    expect(result.readyNodes.size).toBe(0)
    expect(result.nextReadyCheckDelayMs).toBe(10)

    for (let i = 0; i < appends; i++) append(2, 5)
    result = accumulator.ready(cluster, 5)
    expect(result.readyNodes.size).toBe(0)
    expect(result.nextReadyCheckDelayMs).toBe(5) // node 0's batch, half its linger left

    for (let i = 0; i < appends + 1; i++) append(1, 5)
    result = accumulator.ready(cluster, 5)
    expect(result.readyNodes).toEqual(new Set([0]))
    expect(result.nextReadyCheckDelayMs).toBeLessThanOrEqual(10)
    expect(accumulator.ready(cluster, 5).unknownLeaderTopics.size).toBe(0)
  })

  it('rotates the drain over a node’s partitions so none starves, skipping muted ones', () => {
    const four = new StaticClusterView([
      { topic: TOPIC, partition: 0, leader: 0 },
      { topic: TOPIC, partition: 2, leader: 1 },
      { topic: TOPIC, partition: 1, leader: 0 },
      { topic: TOPIC, partition: 3, leader: 1 },
    ])
    const batchSize = VALUE.length + RECORD_BATCH_OVERHEAD
    const { accumulator } = createAccumulator({ batchSize, totalMemory: 100 * batchSize, lingerMs: 10 })
    const append = (...partitions: number[]) => {
      for (const partition of partitions) {
        accumulator.append(
          TOPIC,
          partition,
          0,
          KEY,
          VALUE,
          null,
          new CompletionRecorder().next(),
          1000,
          false,
          0,
          four,
        )
      }
    }
    const drained = (maxSize: number) =>
      [...accumulator.drain(four, [0, 1], maxSize, 0).values()].flat().map((batch) => batch.partition)

    append(0, 1, 2, 3)
    expect(drained(batchSize)).toEqual([0, 2]) // one batch per node fits the request
    append(0, 2)
    expect(drained(batchSize)).toEqual([1, 3]) // each node resumes after the partition it drained last
    expect(drained(batchSize)).toEqual([0, 2])
    append(1, 2, 3)
    accumulator.mutePartition(TOPIC, 3)
    expect(drained(batchSize)).toEqual([1, 2])
    append(0, 1, 2)
    accumulator.unmutePartition(TOPIC, 3)
    expect(drained(MAX).sort()).toEqual([0, 1, 2, 3])
  })

  it('neither readies nor drains a muted partition', () => {
    const batchSize = 1025
    const { accumulator } = createAccumulator({ batchSize: batchSize + RECORD_BATCH_OVERHEAD })
    for (let i = 0; i <= expectedNumAppends(batchSize); i++) {
      accumulator.append(
        TOPIC,
        0,
        0,
        KEY,
        VALUE,
        null,
        new CompletionRecorder().next(),
        1000,
        false,
        0,
        cluster,
      )
    }
    accumulator.mutePartition(TOPIC, 0)
    expect(accumulator.ready(cluster, 0).readyNodes.size).toBe(0)
    accumulator.unmutePartition(TOPIC, 0)
    const ready = accumulator.ready(cluster, 0).readyNodes
    expect(ready.size).toBe(1)
    accumulator.mutePartition(TOPIC, 0)
    expect(accumulator.drain(cluster, ready, MAX, 0).get(0)).toEqual([])
    accumulator.unmutePartition(TOPIC, 0)
    expect(accumulator.drain(cluster, ready, MAX, 0).get(0)).toHaveLength(1)
  })

  it('drains nothing for a node that leads no partition, and names topics without a leader', () => {
    const leaderless = new StaticClusterView([{ topic: TOPIC, partition: 0, leader: undefined }])
    const { accumulator } = createAccumulator({ batchSize: 128 })
    accumulator.append(
      TOPIC,
      0,
      0,
      KEY,
      VALUE,
      null,
      new CompletionRecorder().next(),
      1000,
      false,
      0,
      leaderless,
    )
    expect(accumulator.drain(leaderless, [1], MAX, 100).get(1)).toEqual([])
    const result = accumulator.ready(leaderless, 100)
    expect(result.readyNodes.size).toBe(0)
    expect(result.unknownLeaderTopics).toEqual(new Set([TOPIC]))
  })
})
