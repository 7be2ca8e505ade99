// Broker and leadership faults: a broker going down (refused connections, closed ones, leaders elected
// elsewhere, ISR and min.insync.replicas), coming back, coordinators moving with it, and leader moves
// with and without KIP-951 leader hints in Produce and Fetch responses.
import { ErrorCode } from '@x/protocol'
import { describe, expect, it } from 'vitest'
import { tcpTransport } from '../network/tcp-transport.js'
import { batchOf, fetchRequest, produceRequest, useCluster } from '../testing/cluster-fixture.js'
import { KafkaWireClient } from '../wire-client/kafka-wire-client.js'

describe('broker down and up', () => {
  const { cluster, connect } = useCluster({
    brokers: 3,
    topics: [{ name: 't', partitions: 1, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } }],
  })

  it('refuses connections over TCP and in memory, closes open ones, and elects a live replica with a new epoch', async () => {
    const leader = cluster().topic('t')!.partitions[0]!.leader
    const broker = cluster().brokers.find((b) => b.id === leader)!
    const open = await connect(leader)
    const closed = new Promise((resolve) =>
      open
        .request('Metadata', { topics: null })
        .then(() => open.request('Metadata', { topics: null }))
        .catch(resolve),
    )
    await cluster().faults.brokerDown(leader)
    await closed
    await expect(KafkaWireClient.connect({ host: broker.host, port: broker.port })).rejects.toMatchObject({
      code: 'CONNECTION_REFUSED',
    })
    await expect(cluster().transport.connect({ host: broker.host, port: broker.port })).rejects.toMatchObject(
      { code: 'CONNECTION_REFUSED' },
    )
    const partition = cluster().topic('t')!.partitions[0]!
    expect(partition.leader).not.toBe(leader)
    expect(partition.leaderEpoch).toBe(1)
    expect(partition.isr).not.toContain(leader)
    expect(cluster().bootstrapServers.split(',')).toHaveLength(2)

    const survivor = await connect(partition.leader)
    const metadata = await survivor.request('Metadata', { topics: [{ name: 't' }] })
    expect(metadata.brokers.map((b) => b.nodeId)).not.toContain(leader)
    expect(metadata.topics[0]!.partitions[0]!.offlineReplicas).toEqual([leader])

    await cluster().faults.brokerUp(leader)
    const back = await KafkaWireClient.connect({
      host: broker.host,
      port: broker.port,
      transport: tcpTransport,
    })
    expect((await back.apiVersions()).errorCode).toBe(ErrorCode.NONE)
    back.close()
    expect(cluster().topic('t')!.partitions[0]!.isr).toHaveLength(3)
  })

  it('refuses acks=-1 with NOT_ENOUGH_REPLICAS below min.insync.replicas, and accepts acks=1', async () => {
    const partition = cluster().topic('t')!.partitions[0]!
    const followers = partition.replicas.filter((id) => id !== partition.leader)
    await cluster().faults.brokerDown(followers[0]!)
    const client = await connect(partition.leader)
    const produce = async (acks: number) =>
      (await client.request('Produce', produceRequest('t', 0, batchOf(['v']), { acks }))).responses[0]!
        .partitionResponses[0]!.errorCode
    expect(await produce(-1)).toBe(ErrorCode.NONE)
    await cluster().faults.brokerDown(followers[1]!)
    expect(await produce(-1)).toBe(ErrorCode.NOT_ENOUGH_REPLICAS)
    expect(await produce(1)).toBe(ErrorCode.NONE)
    expect(cluster().records('t', 0)).toHaveLength(2)
  })

  it('leaves partitions without a leader when no replica is up, answering LEADER_NOT_AVAILABLE in Metadata', async () => {
    cluster().createTopic({ name: 'single', replicationFactor: 1 })
    const leader = cluster().topic('single')!.partitions[0]!.leader
    await cluster().faults.brokerDown(leader)
    const other = cluster().brokers.find((b) => b.isUp)!
    const client = await connect(other.id)
    const metadata = await client.request('Metadata', { topics: [{ name: 'single' }] })
    expect(metadata.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.LEADER_NOT_AVAILABLE)
    expect(metadata.topics[0]!.partitions[0]!.leaderId).toBe(-1)
    await cluster().faults.brokerUp(leader)
    expect(cluster().topic('single')!.partitions[0]!.leader).toBe(leader)
  })

  it('moves a coordinator off a broker that goes down and back when it returns; the stand-in then answers NOT_COORDINATOR', async () => {
    const findFrom = async (brokerId: number) => {
      const client = await connect(brokerId)
      const response = await client.request('FindCoordinator', { keyType: 1, coordinatorKeys: ['txn-a'] })
      return response.coordinators[0]!.nodeId
    }
    const coordinator = await findFrom(1)
    const other = [1, 2, 3].find((id) => id !== coordinator)!
    await cluster().faults.brokerDown(coordinator)
    const standIn = await findFrom(other)
    expect(standIn).not.toBe(coordinator)
    const onStandIn = await connect(standIn)
    const init = () =>
      onStandIn.request('InitProducerId', { transactionalId: 'txn-a', transactionTimeoutMs: 60_000 })
    expect((await init()).errorCode).toBe(ErrorCode.NONE)
    await cluster().faults.brokerUp(coordinator)
    expect(await findFrom(other)).toBe(coordinator)
    expect((await init()).errorCode).toBe(ErrorCode.NOT_COORDINATOR)
  })
})

describe('leader moves', () => {
  const { cluster, connect } = useCluster({
    brokers: 3,
    topics: [{ name: 't', partitions: 1, replicationFactor: 2 }],
  })

  async function produceToOldLeader() {
    const before = cluster().topic('t')!.partitions[0]!
    const target = before.replicas.find((id) => id !== before.leader)!
    const old = await connect(before.leader)
    return { target, old, before }
  }

  it('answers NOT_LEADER_OR_FOLLOWER with the new leader and its endpoint from Produce v10 (KIP-951)', async () => {
    const { target, old, before } = await produceToOldLeader()
    cluster().faults.moveLeader('t', 0, target)
    const response = await old.request('Produce', produceRequest('t', 0, batchOf(['x'])), { version: 11 })
    const partition = response.responses[0]!.partitionResponses[0]!
    expect(partition.errorCode).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER)
    expect(partition.currentLeader).toEqual({
      leaderId: target,
      leaderEpoch: before.leaderEpoch + 1,
      unknownTaggedFields: undefined,
    })
    const broker = cluster().brokers.find((b) => b.id === target)!
    expect(response.nodeEndpoints.map((e) => [e.nodeId, e.host, e.port])).toEqual([
      [target, broker.host, broker.port],
    ])
    const fetched = await old.request('Fetch', fetchRequest('t', 0, 0n), { version: 12 })
    expect(fetched.responses[0]!.partitions[0]!.currentLeader.leaderId).toBe(target)
    const newLeader = await connect(target)
    const written = await newLeader.request('Produce', produceRequest('t', 0, batchOf(['y'])))
    expect(written.responses[0]!.partitionResponses[0]!.errorCode).toBe(ErrorCode.NONE)
  })

  it('gives no hint before v10, nor when the move says none; a stale hint names the old leader and epoch', async () => {
    const { target, old, before } = await produceToOldLeader()
    cluster().faults.moveLeader('t', 0, target, { hint: 'none' })
    const v9 = await old.request('Produce', produceRequest('t', 0, batchOf(['x'])), { version: 9 })
    expect(v9.responses[0]!.partitionResponses[0]!.errorCode).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER)
    const none = await old.request('Produce', produceRequest('t', 0, batchOf(['x'])), { version: 11 })
    expect(none.responses[0]!.partitionResponses[0]!.currentLeader.leaderId).toBe(-1)
    expect(none.nodeEndpoints).toEqual([])
    cluster().faults.moveLeader('t', 0, before.leader, { hint: 'stale' })
    const third = await connect(target)
    const stale = await third.request('Produce', produceRequest('t', 0, batchOf(['x'])), { version: 11 })
    expect(stale.responses[0]!.partitionResponses[0]!.currentLeader).toEqual({
      leaderId: target,
      leaderEpoch: before.leaderEpoch + 1,
      unknownTaggedFields: undefined,
    })
  })
})
