// Scenarios follow Java's RoundRobinPartitionerTest (apache/kafka clients/src/test/.../producer/).
import { describe, expect, it } from 'vitest'
import { RoundRobinPartitioner } from './round-robin-partitioner.js'
import { StaticClusterView } from './static-cluster-view.js'

describe('RoundRobinPartitioner', () => {
  it('cycles over the partitions that have a leader and skips the others', () => {
    const cluster = new StaticClusterView([
      { topic: 'test', partition: 0, leader: undefined },
      { topic: 'test', partition: 1, leader: 1 },
      { topic: 'test', partition: 2, leader: undefined },
      { topic: 'test', partition: 3, leader: 0 },
      { topic: 'test', partition: 4, leader: 2 },
    ])
    const partitioner = new RoundRobinPartitioner()
    const counts = new Map<number, number>()
    for (let i = 0; i < 30; i++) {
      const partition = partitioner.partition('test', null, null, null, null, cluster)
      counts.set(partition, (counts.get(partition) ?? 0) + 1)
    }
    expect(Object.fromEntries(counts)).toEqual({ 1: 10, 3: 10, 4: 10 })
  })

  it('ignores keys and keeps one counter per topic', () => {
    const cluster = new StaticClusterView([
      ...[0, 1, 2].map((partition) => ({ topic: 'a', partition, leader: 0 })),
      ...[0, 1].map((partition) => ({ topic: 'b', partition, leader: 0 })),
    ])
    const partitioner = new RoundRobinPartitioner()
    const key = new Uint8Array([1, 2, 3])
    const placed = ['a', 'b', 'a', 'b', 'a', 'b', 'a'].map((topic) =>
      partitioner.partition(topic, 'k', key, 'v', null, cluster),
    )
    expect(placed).toEqual([0, 0, 1, 1, 2, 0, 0])
  })

  it('falls back to all partitions when none has a leader', () => {
    const cluster = new StaticClusterView(
      [0, 1, 2].map((partition) => ({ topic: 't', partition, leader: undefined })),
    )
    const partitioner = new RoundRobinPartitioner()
    expect([0, 1, 2, 3].map(() => partitioner.partition('t', null, null, null, null, cluster))).toEqual([
      0, 1, 2, 0,
    ])
  })
})
