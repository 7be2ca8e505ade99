// The 3-node acceptance: SIGKILL a partition leader, see another replica take over through a Metadata
// request encoded and decoded with @x/protocol's generated codecs, restart the killed node and see it rejoin
// the ISR. Also SIGSTOP/SIGCONT (a hung node).
import {
  createTopic,
  type KafkaCluster,
  parseAddress,
  probeApiVersions,
  protocolRequest,
} from '@x/kafka-harness'
import { kafkaCluster, uniqueTopic } from '@x/kafka-harness/vitest'
import { metadataApi, readMetadataResponse, writeMetadataRequest } from '@x/protocol'
import { afterEach, describe, expect, it } from 'vitest'

/** One partition as `fromNode` sees it, through a Metadata v12 request of @x/protocol's codecs. */
async function partitionState(cluster: KafkaCluster, topic: string, partition: number, fromNode: number) {
  const metadata = await protocolRequest(parseAddress(cluster.brokerAddress(fromNode)), {
    api: metadataApi,
    apiVersion: 12,
    body: { topics: [{ name: topic }], allowAutoTopicCreation: false },
    write: writeMetadataRequest,
    read: readMetadataResponse,
  })
  const found = metadata.topics
    .find((t) => t.name === topic)
    ?.partitions.find((p) => p.partitionIndex === partition)
  if (!found) throw new Error(`node ${fromNode} has no metadata for ${topic}-${partition}`)
  return {
    leader: found.leaderId,
    leaderEpoch: found.leaderEpoch,
    replicas: found.replicaNodes,
    isr: found.isrNodes,
  }
}

describe('three-node cluster', { tags: ['compat'] }, () => {
  afterEach(async () => {
    await kafkaCluster().ensureHealthy()
  })

  it('elects a new leader when the leader is SIGKILLed, and takes the restarted node back into the ISR', async () => {
    const cluster = kafkaCluster()
    const topic = uniqueTopic()
    await createTopic(cluster, { topic, partitions: 1, replicationFactor: 3 })
    const initial = await partitionState(cluster, topic, 0, 1)
    expect(initial.replicas.sort()).toEqual([1, 2, 3])
    await cluster.waitUntil(
      30_000,
      'ISR complete',
      async () => (await partitionState(cluster, topic, 0, 1)).isr.length === 3,
    )

    const oldLeader = initial.leader
    const survivor = cluster.nodeIds().find((id) => id !== oldLeader)!
    await cluster.kill(oldLeader)
    expect(cluster.isRunning(oldLeader)).toBe(false)

    let afterKill = initial
    await cluster.waitUntil(30_000, `electing a leader other than ${oldLeader}`, async () => {
      afterKill = await partitionState(cluster, topic, 0, survivor)
      return afterKill.leader >= 0 && afterKill.leader !== oldLeader && !afterKill.isr.includes(oldLeader)
    })
    expect(afterKill.leaderEpoch).toBeGreaterThan(initial.leaderEpoch)
    expect(afterKill.isr).toHaveLength(2)

    await cluster.restart(oldLeader)
    await cluster.waitUntil(60_000, `taking node ${oldLeader} back into the ISR`, async () => {
      const state = await partitionState(cluster, topic, 0, survivor)
      return state.isr.includes(oldLeader) && state.isr.length === 3
    })
    expect(cluster.isRunning(oldLeader)).toBe(true)
  })

  it('fences a SIGSTOPped leader and takes it back into the ISR after SIGCONT', async () => {
    const cluster = kafkaCluster()
    const topic = uniqueTopic()
    await createTopic(cluster, { topic, partitions: 1, replicationFactor: 3 })
    const { leader } = await partitionState(cluster, topic, 0, 1)
    const survivor = cluster.nodeIds().find((id) => id !== leader)!

    await cluster.pause(leader)
    expect(cluster.isPaused(leader)).toBe(true)
    await expect(
      probeApiVersions(
        { host: '127.0.0.1', port: Number(cluster.brokerAddress(leader).split(':')[1]) },
        1_000,
      ),
    ).rejects.toMatchObject({ code: 'TIMEOUT' })
    // a frozen broker stops heartbeating: the controller fences it after broker.session.timeout.ms (3 s here)
    await cluster.waitUntil(30_000, `moving leadership off paused node ${leader}`, async () => {
      const state = await partitionState(cluster, topic, 0, survivor)
      return state.leader >= 0 && state.leader !== leader && !state.isr.includes(leader)
    })

    await cluster.resume(leader)
    expect(cluster.isPaused(leader)).toBe(false)
    await cluster.waitUntil(60_000, `taking node ${leader} back into the ISR`, async () => {
      const state = await partitionState(cluster, topic, 0, survivor)
      return state.isr.length === 3
    })
    const probe = await probeApiVersions({
      host: '127.0.0.1',
      port: Number(cluster.brokerAddress(leader).split(':')[1]),
    })
    expect(probe.errorCode).toBe(0)
  })
})
