// Metadata and CreateTopics on every target: a created topic's partitions and leaders, what an unknown or
// illegal topic name gets, auto-creation, and the CreateTopics validation errors.
import { ErrorCode, ZERO_UUID } from '@x/protocol'
import { expect, it } from 'vitest'
import { describeOnEveryTarget, freshTopic } from './conformance-targets'
import { eventually } from './protocol-session'

describeOnEveryTarget('Metadata and CreateTopics', (session) => {
  it('describes a created topic: every partition with a leader among the brokers, and a topic id', async () => {
    const topic = freshTopic('metadata')
    expect(await session().createTopic(topic, { partitions: 3 })).toBe(ErrorCode.NONE)
    const metadata = await session().metadata([topic])
    const described = metadata.topics[0]!
    expect(described.errorCode).toBe(ErrorCode.NONE)
    expect(described.name).toBe(topic)
    expect(described.topicId).not.toBe(ZERO_UUID)
    expect(described.isInternal).toBe(false)
    expect(described.partitions.map((p) => p.partitionIndex).sort()).toEqual([0, 1, 2])
    const brokerIds = metadata.brokers.map((broker) => broker.nodeId)
    for (const partition of described.partitions) {
      expect(partition.errorCode).toBe(ErrorCode.NONE)
      expect(brokerIds).toContain(partition.leaderId)
      expect(partition.replicaNodes).toContain(partition.leaderId)
      expect(partition.isrNodes).toContain(partition.leaderId)
      expect(partition.leaderEpoch).toBeGreaterThanOrEqual(0)
    }
    expect(brokerIds).toContain(metadata.controllerId)
    expect(metadata.clusterId).not.toBeNull()
  })

  it('answers UNKNOWN_TOPIC_OR_PARTITION for an unknown topic when the request does not allow auto-creation', async () => {
    const topic = freshTopic('unknown')
    const metadata = await session().metadata([topic], false)
    expect(metadata.topics[0]!.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
    expect(metadata.topics[0]!.partitions).toEqual([])
    expect((await session().metadata([topic], false)).topics[0]!.errorCode).toBe(
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    )
  })

  it('auto-creates an unknown topic when allowed: UNKNOWN_TOPIC_OR_PARTITION first, then one partition', async () => {
    const topic = freshTopic('auto')
    const first = await session().metadata([topic], true)
    expect(first.topics[0]!.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
    const created = await eventually(`${topic} to be created`, async () => {
      const found = (await session().metadata([topic], false)).topics[0]!
      return found.errorCode === ErrorCode.NONE && found.partitions[0]!.leaderId >= 0 ? found : undefined
    })
    expect(created.partitions).toHaveLength(1)
  })

  it('answers INVALID_TOPIC_EXCEPTION for an illegal topic name, even when auto-creation is allowed', async () => {
    const metadata = await session().metadata(['not a topic name'], true)
    expect(metadata.topics[0]!.errorCode).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION)
  })

  it('refuses a second CreateTopics of the same name with TOPIC_ALREADY_EXISTS', async () => {
    const topic = freshTopic('twice')
    expect(await session().createTopic(topic)).toBe(ErrorCode.NONE)
    expect(await session().createTopic(topic)).toBe(ErrorCode.TOPIC_ALREADY_EXISTS)
  })

  it('refuses zero partitions with INVALID_PARTITIONS and an unknown config with INVALID_CONFIG', async () => {
    expect(await session().createTopic(freshTopic('zero'), { partitions: 0 })).toBe(
      ErrorCode.INVALID_PARTITIONS,
    )
    expect(await session().createTopic(freshTopic('config'), { configs: { 'no.such.config': '1' } })).toBe(
      ErrorCode.INVALID_CONFIG,
    )
  })
})
