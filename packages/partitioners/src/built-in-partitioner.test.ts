// Scenarios follow Java's BuiltInPartitionerTest (apache/kafka clients/src/test/.../producer/internals/).
import { describe, expect, it } from 'vitest'
import { BuiltInPartitioner } from './built-in-partitioner.js'
import { StaticClusterView } from './static-cluster-view.js'

/** Java's SequentialPartitioner: "random" numbers 0, 1, 2, ... */
function sequential() {
  let next = 0
  return () => next++
}

const cluster = new StaticClusterView([
  { topic: 'A', partition: 0, leader: 0 },
  { topic: 'A', partition: 1, leader: 1 },
  { topic: 'A', partition: 2, leader: 2 },
  { topic: 'B', partition: 0, leader: 0 },
])

describe('BuiltInPartitioner', () => {
  it('sticks to one partition until the sticky batch size is produced, then switches', () => {
    const partitioner = new BuiltInPartitioner('A', { stickyBatchSize: 3, random: sequential() })
    let info = partitioner.peekCurrentPartitionInfo(cluster)
    const first = info.partition
    for (let i = 0; i < 2; i++) {
      partitioner.updatePartitionInfo(info, 1, cluster)
      info = partitioner.peekCurrentPartitionInfo(cluster)
      expect(info.partition).toBe(first)
    }
    partitioner.updatePartitionInfo(info, 1, cluster)
    expect(partitioner.isPartitionChanged(info)).toBe(true)
    expect(partitioner.peekCurrentPartitionInfo(cluster).partition).not.toBe(first)
  })

  it('keeps switching within a single-partition topic', () => {
    const partitioner = new BuiltInPartitioner('B', { stickyBatchSize: 1, random: sequential() })
    for (let i = 0; i < 10; i++) {
      const info = partitioner.peekCurrentPartitionInfo(cluster)
      expect(info.partition).toBe(0)
      partitioner.updatePartitionInfo(info, 1, cluster)
    }
  })

  it('never picks a partition without a leader, and picks among all when none has one', () => {
    const partial = new StaticClusterView([
      { topic: 'A', partition: 0, leader: 0 },
      { topic: 'A', partition: 1, leader: undefined },
      { topic: 'A', partition: 2, leader: 2 },
      { topic: 'B', partition: 0, leader: undefined },
      { topic: 'B', partition: 1, leader: 0 },
      { topic: 'C', partition: 0, leader: undefined },
    ])
    const a = new BuiltInPartitioner('A', { stickyBatchSize: 1 })
    const seen = new Set<number>()
    for (let i = 0; i < 100; i++) {
      const info = a.peekCurrentPartitionInfo(partial)
      seen.add(info.partition)
      a.updatePartitionInfo(info, 1, partial)
    }
    expect([...seen].sort()).toEqual([0, 2])

    const b = new BuiltInPartitioner('B', { stickyBatchSize: 1 })
    for (let i = 0; i < 100; i++) {
      const info = b.peekCurrentPartitionInfo(partial)
      expect(info.partition).toBe(1)
      b.updatePartitionInfo(info, 1, partial)
    }

    const c = new BuiltInPartitioner('C', { stickyBatchSize: 1 })
    expect(c.peekCurrentPartitionInfo(partial).partition).toBe(0)
  })

  it('chooses partitions with frequencies reciprocal to their queue sizes when adaptive', () => {
    const partitioner = new BuiltInPartitioner('A', { stickyBatchSize: 1, random: sequential() })
    const queueSizes = [5, 0, 3, 0, 1]
    const expected = queueSizes.map((size) => 6 - size) // 6 = max + 1
    partitioner.updatePartitionLoadStats([...queueSizes], [0, 1, 2, 3, 4], queueSizes.length)
    const five = StaticClusterView.of('A', 5, [0, 1, 2])

    const cycles = 2
    const frequencies = [0, 0, 0, 0, 0]
    for (let i = 0; i < partitioner.loadStatsRangeEnd() * cycles; i++) {
      const info = partitioner.peekCurrentPartitionInfo(five)
      frequencies[info.partition]!++
      partitioner.updatePartitionInfo(info, 1, five)
    }
    expect(frequencies).toEqual(expected.map((frequency) => frequency * cycles))
  })

  it('goes back to uniform when all queues are equal, or there are fewer than two partitions', () => {
    const partitioner = new BuiltInPartitioner('A', { stickyBatchSize: 1 })
    partitioner.updatePartitionLoadStats([2, 2, 2], [0, 1, 2], 3)
    expect(partitioner.loadStatsRangeEnd()).toBe(0)
    partitioner.updatePartitionLoadStats([4], [0], 1)
    expect(partitioner.loadStatsRangeEnd()).toBe(0)
    // Equal queues but one partition left out (slow node): still adaptive, over the remaining one.
    partitioner.updatePartitionLoadStats([2, 2, 2], [0, 2, 1], 2)
    expect(partitioner.loadStatsRangeEnd()).toBe(2)
    partitioner.updatePartitionLoadStats(null, null, 0)
    expect(partitioner.loadStatsRangeEnd()).toBe(0)
  })

  it('delays a switch while the last batch is not full, but not beyond twice the sticky batch size', () => {
    const partitioner = new BuiltInPartitioner('A', { stickyBatchSize: 10, random: sequential() })
    const info = partitioner.peekCurrentPartitionInfo(cluster)
    partitioner.updatePartitionInfo(info, 15, cluster, false)
    expect(partitioner.isPartitionChanged(info)).toBe(false)
    partitioner.updatePartitionInfo(info, 5, cluster, false)
    expect(partitioner.isPartitionChanged(info)).toBe(true)
  })

  it('requires a sticky batch size of at least 1', () => {
    expect(() => new BuiltInPartitioner('A', { stickyBatchSize: 0 })).toThrow(/batch\.size/)
    expect(() => new BuiltInPartitioner('A', { stickyBatchSize: 1 })).not.toThrow()
  })

  it('fails with a typed error when the topic has no partitions in the metadata', () => {
    const partitioner = new BuiltInPartitioner('missing', { stickyBatchSize: 1 })
    expect(() => partitioner.peekCurrentPartitionInfo(cluster)).toThrow(/no partitions in the metadata/)
  })
})
