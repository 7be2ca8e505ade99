// The side-effect-free peek paths `KafkaProducer.explain` relies on: a peek changes no choice and predicts
// the next one exactly.
import { describe, expect, it } from 'vitest'
import { BuiltInPartitioner } from './built-in-partitioner.js'
import { RoundRobinPartitioner } from './round-robin-partitioner.js'
import { StaticClusterView } from './static-cluster-view.js'

const cluster = StaticClusterView.of('A', 7, [1, 2, 3])

/** A seeded LCG, so the draws are arbitrary but repeatable. */
function seeded(seed: number) {
  let state = seed
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0
    return state >>> 1
  }
}

describe('BuiltInPartitioner peeks', () => {
  it('predicts the first choice and the following switches without making them', () => {
    const partitioner = new BuiltInPartitioner('A', { stickyBatchSize: 10, random: seeded(42) })
    expect(partitioner.peekStickyPartitionInfo()).toBeUndefined()
    const predicted = partitioner.peekNextPartition(cluster)
    expect(partitioner.peekNextPartition(cluster)).toBe(predicted) // peeking twice changes nothing
    expect(partitioner.peekStickyPartitionInfo()).toBeUndefined()
    let info = partitioner.peekCurrentPartitionInfo(cluster)
    expect(info.partition).toBe(predicted)
    for (let switches = 0; switches < 50; switches++) {
      const next = partitioner.peekNextPartition(cluster)
      partitioner.updatePartitionInfo(info, 10, cluster)
      info = partitioner.peekCurrentPartitionInfo(cluster)
      expect(info.partition).toBe(next)
    }
  })

  it('draws the same sequence of random numbers whether or not anyone peeks', () => {
    const plain = new BuiltInPartitioner('A', { stickyBatchSize: 1, random: seeded(7) })
    const peeked = new BuiltInPartitioner('A', { stickyBatchSize: 1, random: seeded(7) })
    let a = plain.peekCurrentPartitionInfo(cluster)
    let b = peeked.peekCurrentPartitionInfo(cluster)
    for (let i = 0; i < 100; i++) {
      if (i % 3 === 0) peeked.peekNextPartition(cluster)
      plain.updatePartitionInfo(a, 1, cluster)
      peeked.updatePartitionInfo(b, 1, cluster)
      a = plain.peekCurrentPartitionInfo(cluster)
      b = peeked.peekCurrentPartitionInfo(cluster)
      expect(b.partition).toBe(a.partition)
    }
  })
})

describe('RoundRobinPartitioner.peek', () => {
  it('returns what partition() returns next, without moving the counter', () => {
    const partitioner = new RoundRobinPartitioner()
    for (let i = 0; i < 20; i++) {
      const peeked = partitioner.peek('A', null, null, null, null, cluster)
      expect(partitioner.peek('A', null, null, null, null, cluster)).toBe(peeked)
      expect(partitioner.partition('A', null, null, null, null, cluster)).toBe(peeked)
    }
  })
})
