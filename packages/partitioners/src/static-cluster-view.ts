import type { ClusterView } from './cluster-view.js'
import type { TopicPartition } from './topic-partition.js'

/** One partition of a `StaticClusterView`: `leader` is a node id, or `undefined` for a partition without one. */
export interface StaticPartition {
  readonly topic: string
  readonly partition: number
  readonly leader: number | undefined
  readonly leaderEpoch?: number
}

/**
 * A `ClusterView` over a fixed list of partitions, with every answer precomputed. For tests, tools and
 * examples; the producer uses `@x/sender`'s live metadata instead. `partitionsForNode` keeps the order of
 * the list given.
 */
export class StaticClusterView implements ClusterView {
  private readonly counts = new Map<string, number>()
  private readonly available = new Map<string, number[]>()
  private readonly leaders = new Map<string, (number | undefined)[]>()
  private readonly epochs = new Map<string, (number | undefined)[]>()
  private readonly byNode = new Map<number, TopicPartition[]>()

  constructor(partitions: readonly StaticPartition[]) {
    for (const { topic, partition, leader, leaderEpoch } of partitions) {
      this.counts.set(topic, Math.max(this.counts.get(topic) ?? 0, partition + 1))
      const leaders = this.leaders.get(topic) ?? []
      leaders[partition] = leader
      this.leaders.set(topic, leaders)
      const epochs = this.epochs.get(topic) ?? []
      epochs[partition] = leaderEpoch
      this.epochs.set(topic, epochs)
      if (leader !== undefined) {
        const list = this.byNode.get(leader) ?? []
        list.push({ topic, partition })
        this.byNode.set(leader, list)
      }
    }
    for (const [topic, leaders] of this.leaders) {
      const ids: number[] = []
      for (let partition = 0; partition < leaders.length; partition++) {
        if (leaders[partition] !== undefined) ids.push(partition)
      }
      this.available.set(topic, ids)
    }
  }

  /** A topic of `count` partitions whose leaders are `leaders[partition % leaders.length]`. */
  static of(topic: string, count: number, leaders: readonly number[] = [0]): StaticClusterView {
    const partitions: StaticPartition[] = []
    for (let partition = 0; partition < count; partition++) {
      partitions.push({ topic, partition, leader: leaders[partition % leaders.length] })
    }
    return new StaticClusterView(partitions)
  }

  partitionCount(topic: string): number | undefined {
    return this.counts.get(topic)
  }

  availablePartitions(topic: string): readonly number[] {
    return this.available.get(topic) ?? []
  }

  leaderFor(topic: string, partition: number): number | undefined {
    return this.leaders.get(topic)?.[partition]
  }

  leaderEpochFor(topic: string, partition: number): number | undefined {
    return this.epochs.get(topic)?.[partition]
  }

  partitionsForNode(nodeId: number): readonly TopicPartition[] {
    return this.byNode.get(nodeId) ?? []
  }
}
