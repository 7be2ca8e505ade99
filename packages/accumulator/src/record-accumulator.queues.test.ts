// The per-partition queue lookup: partitions are found by index on the append path, while ready/drain keep
// iterating the queues in the order they were created (as Java's per-topic map of deques does).
import { StaticClusterView } from '@x/partitioners'
import { describe, expect, it } from 'vitest'
import type { RecordAppendResult } from './results.js'
import { CompletionRecorder, createAccumulator, recordsOf, TOPIC, text } from './test-support.test-helper.js'

const bytes = (s: string) => new TextEncoder().encode(s)

describe('RecordAccumulator partition queues', () => {
  it('appends to each partition its own records whatever the order partitions are first seen in', () => {
    const cluster = StaticClusterView.of(TOPIC, 8, [0])
    const { accumulator } = createAccumulator({ batchSize: 1024, totalMemory: 64 * 1024 })
    const completions = new CompletionRecorder()
    const order = [5, 0, 7, 2, 5, 0, 7, 2, 3]
    order.forEach((partition, i) => {
      const result = accumulator.append(
        TOPIC,
        partition,
        0,
        null,
        bytes(`p${partition}-${i}`),
        null,
        completions.next(),
        0,
        false,
        0,
        cluster,
      ) as RecordAppendResult
      expect(result.partition).toBe(partition)
    })
    for (const partition of [0, 2, 3, 5, 7]) {
      const [batch] = accumulator.batchesFor(TOPIC, partition)
      expect(batch!.partition).toBe(partition)
      batch!.close()
      expect(recordsOf(batch!).map((r) => text(r.value))).toEqual(
        order.flatMap((p, i) => (p === partition ? [`p${p}-${i}`] : [])),
      )
    }
    expect(accumulator.batchesFor(TOPIC, 1)).toEqual([])
  })

  it('drains the partitions of a node in the order the cluster lists them, not the order their queues were created', () => {
    const cluster = StaticClusterView.of(TOPIC, 4, [0])
    const { accumulator } = createAccumulator({ batchSize: 1024, totalMemory: 64 * 1024 })
    const completions = new CompletionRecorder()
    for (const partition of [3, 1, 0, 2]) {
      accumulator.append(
        TOPIC,
        partition,
        0,
        null,
        bytes('v'),
        null,
        completions.next(),
        0,
        false,
        0,
        cluster,
      )
    }
    const drained = accumulator.drain(cluster, [0], Number.MAX_SAFE_INTEGER, 0).get(0)!
    expect(drained.map((batch) => batch.partition)).toEqual([0, 1, 2, 3])
  })

  it('keeps working for partition ids too large to index, and after a forced close starts afresh', () => {
    const huge = 100_000
    const cluster = StaticClusterView.of(TOPIC, huge + 1, [0])
    const { accumulator } = createAccumulator({ batchSize: 1024, totalMemory: 64 * 1024 })
    const completions = new CompletionRecorder()
    for (let i = 0; i < 3; i++) {
      accumulator.append(TOPIC, huge, 0, null, bytes(`v${i}`), null, completions.next(), 0, false, 0, cluster)
    }
    const batches = accumulator.batchesFor(TOPIC, huge)
    expect(batches).toHaveLength(1)
    expect(batches[0]!.recordCount).toBe(3)
    accumulator.mutePartition(TOPIC, huge)
    expect(accumulator.ready(cluster, 1_000).readyNodes.size).toBe(0)
    accumulator.unmutePartition(TOPIC, huge)
    expect([...accumulator.ready(cluster, 1_000).readyNodes]).toEqual([0])

    accumulator.abortIncompleteBatches()
    expect(completions.calls).toHaveLength(3)
    expect(accumulator.batchesFor(TOPIC, huge)).toEqual([])
  })
})
