import type { BrokerNode, Cluster } from '@x/sender'

/** One partition of a topic as the producer's metadata knows it (Java `PartitionInfo`). */
export interface PartitionInfo {
  readonly topic: string
  readonly partition: number
  /** The leader, or null while there is none. */
  readonly leader: BrokerNode | null
  readonly replicas: readonly BrokerNode[]
  readonly inSyncReplicas: readonly BrokerNode[]
  readonly offlineReplicas: readonly BrokerNode[]
}

/** The partitions of `topic` in `cluster`, in partition order; a replica not among the brokers is left out. */
export function partitionInfos(cluster: Cluster, topic: string): PartitionInfo[] {
  const nodes = (ids: readonly number[]) =>
    ids.map((id) => cluster.nodeById(id)).filter((node): node is BrokerNode => node !== undefined)
  return (cluster.topic(topic)?.partitions ?? []).map((partition) => ({
    topic,
    partition: partition.partition,
    leader: (partition.leader === undefined ? undefined : cluster.nodeById(partition.leader)) ?? null,
    replicas: nodes(partition.replicas),
    inSyncReplicas: nodes(partition.isr),
    offlineReplicas: nodes(partition.offlineReplicas),
  }))
}
