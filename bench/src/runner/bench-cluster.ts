import { readFileSync } from 'node:fs'
import { KafkaCluster, listLatestOffsets, protocolRequest, waitForTopic } from '@x/kafka-harness'
import {
  createTopicsApi,
  deleteTopicsApi,
  readCreateTopicsResponse,
  readDeleteTopicsResponse,
  writeCreateTopicsRequest,
  writeDeleteTopicsRequest,
} from '@x/protocol'

/** Broker heap for the benchmark cluster: larger than the harness's test default, so broker GC stays out of the way. */
const BROKER_HEAP = '1g'

/**
 * The one Kafka cluster (3 nodes, or 1 with `--nodes 1`) every client of a suite run produces to: started by the harness (real Apache
 * Kafka from Maven Central, KRaft, loopback), or an already running one loaded from its state file.
 */
export class BenchCluster {
  private topicCount = 0

  private constructor(
    readonly cluster: KafkaCluster,
    private readonly owned: boolean,
  ) {}

  static async start(log: (line: string) => void, nodes = 3): Promise<BenchCluster> {
    const cluster = await KafkaCluster.start({
      nodes,
      name: 'bench',
      reapWithOwner: true,
      jvmOptions: [
        '-Xms256m',
        `-Xmx${BROKER_HEAP}`,
        '-XX:+UseG1GC',
        '-XX:MaxGCPauseMillis=20',
        '-XX:+ExitOnOutOfMemoryError',
        '-Djava.awt.headless=true',
      ],
      log,
    })
    return new BenchCluster(cluster, true)
  }

  static load(stateFile: string): BenchCluster {
    return new BenchCluster(KafkaCluster.load(stateFile), false)
  }

  get bootstrapServers(): string[] {
    return this.cluster.bootstrapServers.split(',')
  }

  private firstBroker() {
    const [host, port] = this.bootstrapServers[0]!.split(':')
    return { host: host!, port: Number(port) }
  }

  /** Replication factor of every topic: 3, or the node count when the cluster is smaller. */
  get replicationFactor(): number {
    return Math.min(3, this.cluster.snapshot().nodes.length)
  }

  /** Creates a fresh topic (replication factor 3, or 1 on one node) and waits until every leader takes writes. */
  async createTopic(prefix: string, partitions: number): Promise<string> {
    const topic = `bench-${prefix}-${process.pid}-${++this.topicCount}-${Date.now().toString(36)}`
    const response = await protocolRequest(this.firstBroker(), {
      api: createTopicsApi,
      apiVersion: 5,
      body: {
        topics: [
          {
            name: topic,
            numPartitions: partitions,
            replicationFactor: this.replicationFactor,
            assignments: [],
            configs: [],
          },
        ],
        timeoutMs: 30_000,
      },
      write: writeCreateTopicsRequest,
      read: readCreateTopicsResponse,
      timeoutMs: 40_000,
    })
    const result = response.topics[0]
    if (result?.errorCode !== 0) {
      throw new Error(`CreateTopics ${topic}: error ${result?.errorCode} ${result?.errorMessage ?? ''}`)
    }
    await waitForTopic(this.cluster, topic, partitions, 60_000)
    return topic
  }

  /**
   * Records the brokers hold in `topic`: the sum of every partition's latest offset, asked of its leader.
   * Checks each client's own count (and is the only count kcat gives).
   */
  async countRecords(topic: string): Promise<number> {
    const metadata = await this.cluster.metadata([topic])
    const partitions = metadata.topics.find((t) => t.name === topic)?.partitions ?? []
    const byLeader = new Map<number, number[]>()
    for (const p of partitions) byLeader.set(p.leader, [...(byLeader.get(p.leader) ?? []), p.partition])
    let total = 0n
    for (const [leader, list] of byLeader) {
      const port = Number(this.cluster.brokerAddress(leader).split(':')[1])
      for (const listed of await listLatestOffsets({ host: '127.0.0.1', port }, topic, list)) {
        if (listed.errorCode !== 0) throw new Error(`ListOffsets ${topic}: error ${listed.errorCode}`)
        total += listed.offset
      }
    }
    return Number(total)
  }

  /**
   * `countRecords` once it reaches `expected`, or what it shows after `timeoutMs`: with acks=1 a leader
   * acknowledges before its followers copy the records, and ListOffsets shows the high watermark, which
   * moves only once they have.
   */
  async waitForRecords(topic: string, expected: number, timeoutMs = 20_000): Promise<number> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const count = await this.countRecords(topic)
      if (count >= expected || Date.now() > deadline) return count
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }

  /** Deletes a run's topic so the brokers' disks and page cache start each run alike. */
  async deleteTopic(topic: string): Promise<void> {
    const response = await protocolRequest(this.firstBroker(), {
      api: deleteTopicsApi,
      apiVersion: 4,
      body: { topicNames: [topic], timeoutMs: 30_000 },
      write: writeDeleteTopicsRequest,
      read: readDeleteTopicsResponse,
      timeoutMs: 40_000,
    })
    const code = response.responses[0]?.errorCode ?? -1
    if (code !== 0) throw new Error(`DeleteTopics ${topic}: error ${code}`)
  }

  /** CPU seconds (user + system) the broker JVMs have used so far, from /proc/<pid>/stat. */
  brokerCpuSeconds(): number {
    const ticks = 100 // USER_HZ on Linux
    let total = 0
    for (const node of this.cluster.snapshot().nodes) {
      if (node.pid === null) continue
      try {
        const stat = readFileSync(`/proc/${node.pid}/stat`, 'utf8')
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
        total += (Number(fields[11]) + Number(fields[12])) / ticks
      } catch {
        // a node that died shows up as a failed run; its CPU is simply not counted
      }
    }
    return total
  }

  stop(): void {
    if (this.owned) this.cluster.stop()
  }
}
