import { runJavaTool } from './clients/java-tools.js'
import type { KafkaCluster } from './kafka-cluster.js'
import { KafkaHarnessError } from './kafka-harness-error.js'
import { tail } from './run-command.js'
import { listLatestOffsets } from './wire/list-offsets.js'

export interface CreateTopicOptions {
  topic: string
  partitions?: number
  /** Default: the cluster's size, at most 3. */
  replicationFactor?: number
  /** Topic configs, e.g. `{ 'min.insync.replicas': '2', 'message.timestamp.type': 'LogAppendTime' }`. */
  configs?: Record<string, string>
}

/**
 * Creates a topic with Kafka's own TopicCommand (`kafka-topics.sh --create`), then waits until every running
 * broker's metadata shows a leader for every partition and every leader answers ListOffsets for it, so the
 * next produce does not race the propagation (a fresh topic otherwise sees NOT_LEADER_OR_FOLLOWER).
 */
export async function createTopic(cluster: KafkaCluster, options: CreateTopicOptions): Promise<void> {
  const size = cluster.nodeIds().length
  const partitions = options.partitions ?? 1
  const args = [
    '--bootstrap-server',
    cluster.bootstrapServers,
    '--create',
    '--topic',
    options.topic,
    '--partitions',
    String(partitions),
    '--replication-factor',
    String(options.replicationFactor ?? Math.min(size, 3)),
  ]
  for (const [key, value] of Object.entries(options.configs ?? {})) args.push('--config', `${key}=${value}`)
  const run = await runJavaTool(cluster.tools, 'org.apache.kafka.tools.TopicCommand', args, {
    timeoutMs: 60_000,
  })
  if (run.status !== 0) {
    throw new KafkaHarnessError(
      'TOOL_FAILED',
      `TopicCommand --create ${options.topic} failed (exit ${run.status}):\n${tail(run.stdout.toString('utf8') + run.stderr)}`,
    )
  }
  await waitForTopic(cluster, options.topic, partitions)
}

/**
 * Waits until every running, unpaused node reports `partitions` partitions of `topic`, each with a leader,
 * and each leader answers ListOffsets for its partitions without error.
 */
export async function waitForTopic(
  cluster: KafkaCluster,
  topic: string,
  partitions: number,
  timeoutMs = 30_000,
) {
  await cluster.waitUntil(timeoutMs, `serving topic ${topic} from its leaders`, async () => {
    const leaders = new Map<number, number[]>()
    for (const nodeId of cluster.nodeIds()) {
      if (!cluster.isRunning(nodeId) || cluster.isPaused(nodeId)) continue
      const metadata = await cluster.metadata([topic], nodeId)
      const found = metadata.topics.find((t) => t.name === topic)
      if (found?.errorCode !== 0 || found.partitions.length !== partitions) return false
      if (found.partitions.some((p) => p.leader < 0)) return false
      for (const p of found.partitions) {
        const list = leaders.get(p.leader) ?? []
        if (!list.includes(p.partition)) list.push(p.partition)
        leaders.set(p.leader, list)
      }
    }
    for (const [leader, list] of leaders) {
      const port = Number(cluster.brokerAddress(leader).split(':')[1])
      const offsets = await listLatestOffsets({ host: '127.0.0.1', port }, topic, list)
      if (offsets.length !== list.length || offsets.some((o) => o.errorCode !== 0)) return false
    }
    return true
  })
}

/** The leader node id of one partition, as the first running node sees it (-1 while it has none). */
export async function leaderOf(cluster: KafkaCluster, topic: string, partition: number): Promise<number> {
  const metadata = await cluster.metadata([topic])
  const found = metadata.topics
    .find((t) => t.name === topic)
    ?.partitions.find((p) => p.partition === partition)
  if (!found) throw new KafkaHarnessError('PROTOCOL_ERROR', `metadata has no partition ${topic}-${partition}`)
  return found.leader
}
