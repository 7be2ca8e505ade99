import { runJavaTool } from './clients/java-tools.js'
import type { KafkaCluster } from './kafka-cluster.js'
import { KafkaHarnessError } from './kafka-harness-error.js'
import { tail } from './run-command.js'

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
 * broker's metadata shows a leader for every partition, so the next produce does not race the propagation.
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

/** Waits until every running, unpaused node reports `partitions` partitions of `topic`, each with a leader. */
export async function waitForTopic(
  cluster: KafkaCluster,
  topic: string,
  partitions: number,
  timeoutMs = 30_000,
) {
  await cluster.waitUntil(timeoutMs, `showing topic ${topic} with leaders`, async () => {
    for (const nodeId of cluster.nodeIds()) {
      if (!cluster.isRunning(nodeId) || cluster.isPaused(nodeId)) continue
      const metadata = await cluster.metadata([topic], nodeId)
      const found = metadata.topics.find((t) => t.name === topic)
      if (found?.errorCode !== 0 || found.partitions.length !== partitions) return false
      if (found.partitions.some((p) => p.leader < 0)) return false
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
