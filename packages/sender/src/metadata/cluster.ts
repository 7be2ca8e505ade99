import type { ClusterView, TopicPartition } from '@x/partitioners'
import type { BrokerNode } from '../network/broker-node.js'

/** One partition as metadata describes it. */
export interface PartitionMetadata {
  readonly topic: string
  readonly partition: number
  /** The leader's node id; undefined when there is none (or it is not among the known brokers). */
  readonly leader: number | undefined
  readonly leaderEpoch: number | undefined
  readonly replicas: readonly number[]
  readonly isr: readonly number[]
  readonly offlineReplicas: readonly number[]
  /** The partition's error code in the metadata response (e.g. LEADER_NOT_AVAILABLE), 0 for none. */
  readonly errorCode: number
}

/** One topic as metadata describes it; `partitions[i].partition === i`. */
export interface TopicMetadata {
  readonly name: string
  readonly topicId: string | undefined
  readonly isInternal: boolean
  readonly partitions: readonly PartitionMetadata[]
}

export interface ClusterInit {
  readonly clusterId?: string | null
  readonly controllerId?: number
  readonly nodes: readonly BrokerNode[]
  readonly topics: readonly TopicMetadata[]
  readonly unauthorizedTopics?: ReadonlySet<string>
  readonly invalidTopics?: ReadonlySet<string>
  /** True for the placeholder cluster of bootstrap addresses, before the first metadata response. */
  readonly isBootstrap?: boolean
}

interface TopicIndex {
  readonly metadata: TopicMetadata
  readonly leaders: (number | undefined)[]
  readonly epochs: (number | undefined)[]
  readonly available: number[]
}

const NONE: readonly never[] = Object.freeze([])

/**
 * An immutable snapshot of the cluster (Java `Cluster` + `MetadataSnapshot`): brokers, topics, partitions,
 * leaders and leader epochs, plus the topics the last response refused (unauthorized, invalid). Implements
 * `ClusterView` from precomputed arrays, since `ready`/`drain` ask per partition per pass and partitioners
 * per record. A partition whose leader is not among the brokers counts as leaderless, as in Java.
 */
export class Cluster implements ClusterView {
  readonly clusterId: string | null
  readonly controllerId: number
  readonly nodes: readonly BrokerNode[]
  readonly unauthorizedTopics: ReadonlySet<string>
  readonly invalidTopics: ReadonlySet<string>
  readonly isBootstrap: boolean
  private readonly nodesById = new Map<number, BrokerNode>()
  private readonly topicsByName = new Map<string, TopicIndex>()
  private readonly byNode = new Map<number, TopicPartition[]>()

  constructor(init: ClusterInit) {
    this.clusterId = init.clusterId ?? null
    this.controllerId = init.controllerId ?? -1
    this.nodes = init.nodes
    this.unauthorizedTopics = init.unauthorizedTopics ?? new Set()
    this.invalidTopics = init.invalidTopics ?? new Set()
    this.isBootstrap = init.isBootstrap ?? false
    for (const node of init.nodes) this.nodesById.set(node.id, node)
    for (const topic of init.topics) {
      const leaders: (number | undefined)[] = []
      const epochs: (number | undefined)[] = []
      const available: number[] = []
      for (const partition of topic.partitions) {
        const leader =
          partition.leader !== undefined && this.nodesById.has(partition.leader)
            ? partition.leader
            : undefined
        leaders[partition.partition] = leader
        epochs[partition.partition] = partition.leaderEpoch
        if (leader !== undefined) {
          available.push(partition.partition)
          let list = this.byNode.get(leader)
          if (list === undefined) {
            list = []
            this.byNode.set(leader, list)
          }
          list.push({ topic: topic.name, partition: partition.partition })
        }
      }
      available.sort((a, b) => a - b)
      this.topicsByName.set(topic.name, { metadata: topic, leaders, epochs, available })
    }
  }

  static empty(): Cluster {
    return new Cluster({ nodes: [], topics: [] })
  }

  /** The placeholder before any metadata: only the bootstrap addresses, no topics. */
  static bootstrap(nodes: readonly BrokerNode[]): Cluster {
    return new Cluster({ nodes, topics: [], isBootstrap: true })
  }

  nodeById(id: number): BrokerNode | undefined {
    return this.nodesById.get(id)
  }

  topic(name: string): TopicMetadata | undefined {
    return this.topicsByName.get(name)?.metadata
  }

  topicNames(): string[] {
    return [...this.topicsByName.keys()]
  }

  partition(topic: string, partition: number): PartitionMetadata | undefined {
    return this.topicsByName.get(topic)?.metadata.partitions[partition]
  }

  partitionCount(topic: string): number | undefined {
    return this.topicsByName.get(topic)?.metadata.partitions.length
  }

  availablePartitions(topic: string): readonly number[] {
    return this.topicsByName.get(topic)?.available ?? NONE
  }

  leaderFor(topic: string, partition: number): number | undefined {
    return this.topicsByName.get(topic)?.leaders[partition]
  }

  leaderEpochFor(topic: string, partition: number): number | undefined {
    return this.topicsByName.get(topic)?.epochs[partition]
  }

  partitionsForNode(nodeId: number): readonly TopicPartition[] {
    return this.byNode.get(nodeId) ?? NONE
  }

  /**
   * A copy with new leaders for some partitions (KIP-951 hints from Produce responses), merging `nodes` into
   * the brokers. Returns the partitions actually updated: a hint is skipped when it is not newer than the
   * known epoch, its leader's address is unknown, or the partition is not in this snapshot (Java
   * `Metadata.updatePartitionLeadership`).
   */
  withPartitionLeaders(
    hints: readonly { topic: string; partition: number; leaderId: number; leaderEpoch: number }[],
    nodes: readonly BrokerNode[],
  ): { cluster: Cluster; updated: TopicPartition[] } {
    const mergedNodes = new Map<number, BrokerNode>()
    for (const node of nodes) mergedNodes.set(node.id, node)
    for (const node of this.nodes) if (!mergedNodes.has(node.id)) mergedNodes.set(node.id, node)
    const changes = new Map<string, Map<number, { leaderId: number; leaderEpoch: number }>>()
    const updated: TopicPartition[] = []
    for (const hint of hints) {
      const current = this.partition(hint.topic, hint.partition)
      if (current === undefined) continue
      if (hint.leaderId < 0 || hint.leaderEpoch < 0) continue
      if (current.leaderEpoch !== undefined && hint.leaderEpoch <= current.leaderEpoch) continue
      if (!mergedNodes.has(hint.leaderId)) continue
      let topicChanges = changes.get(hint.topic)
      if (topicChanges === undefined) {
        topicChanges = new Map()
        changes.set(hint.topic, topicChanges)
      }
      topicChanges.set(hint.partition, hint)
      updated.push({ topic: hint.topic, partition: hint.partition })
    }
    if (updated.length === 0) return { cluster: this, updated }
    const topics: TopicMetadata[] = []
    for (const { metadata } of this.topicsByName.values()) {
      const topicChanges = changes.get(metadata.name)
      if (topicChanges === undefined) {
        topics.push(metadata)
        continue
      }
      topics.push({
        ...metadata,
        partitions: metadata.partitions.map((partition) => {
          const change = topicChanges.get(partition.partition)
          return change === undefined
            ? partition
            : { ...partition, leader: change.leaderId, leaderEpoch: change.leaderEpoch, errorCode: 0 }
        }),
      })
    }
    return {
      cluster: new Cluster({
        clusterId: this.clusterId,
        controllerId: this.controllerId,
        nodes: [...mergedNodes.values()],
        topics,
        unauthorizedTopics: this.unauthorizedTopics,
        invalidTopics: this.invalidTopics,
      }),
      updated,
    }
  }

  toString(): string {
    const topics = [...this.topicsByName.values()]
      .map(({ metadata, leaders }) => `${metadata.name}[${leaders.map((l) => l ?? '-').join(',')}]`)
      .join(' ')
    return `Cluster(nodes=${this.nodes.map((n) => n.id).join(',')}, topics=${topics})`
  }
}
