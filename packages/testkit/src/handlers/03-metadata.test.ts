// Metadata beyond the conformance suite: lookups by topic id (v10+), v0's "empty list means all topics",
// authorized operations when asked for, and a broker with auto-creation off.
import { ErrorCode } from '@x/protocol'
import { describe, expect, it } from 'vitest'
import { useCluster } from '../testing/cluster-fixture.js'

describe('Metadata', () => {
  const { cluster, connect } = useCluster({ autoCreateTopics: false, topics: ['a', 'b'] })

  it('finds a topic by id from v12 and answers UNKNOWN_TOPIC_ID for an id it does not know', async () => {
    const client = await connect()
    const topicId = cluster().topic('b')!.topicId
    const byId = await client.request('Metadata', { topics: [{ name: null, topicId }] }, { version: 12 })
    expect([byId.topics[0]!.name, byId.topics[0]!.topicId]).toEqual(['b', topicId])
    const unknown = await client.request(
      'Metadata',
      { topics: [{ name: null, topicId: 'AAAAAAAAAAAAAAAAAAAAAQ' }] },
      { version: 10 },
    )
    expect([unknown.topics[0]!.errorCode, unknown.topics[0]!.name]).toEqual([ErrorCode.UNKNOWN_TOPIC_ID, ''])
  })

  it('lists every topic for an empty list in v0 and for a null list from v1', async () => {
    const client = await connect()
    const v0 = await client.request('Metadata', { topics: [] }, { version: 0 })
    const v1 = await client.request('Metadata', { topics: null }, { version: 1 })
    const v1Empty = await client.request('Metadata', { topics: [] }, { version: 1 })
    expect(v0.topics.map((topic) => topic.name).sort()).toEqual(['a', 'b'])
    expect(v1.topics.map((topic) => topic.name).sort()).toEqual(['a', 'b'])
    expect(v1Empty.topics).toEqual([])
  })

  it('answers the authorized operations a client asks for, every operation without an authorizer', async () => {
    const client = await connect()
    const response = await client.request(
      'Metadata',
      {
        topics: [{ name: 'a' }],
        includeClusterAuthorizedOperations: true,
        includeTopicAuthorizedOperations: true,
      },
      { version: 10 },
    )
    expect(response.clusterAuthorizedOperations).toBeGreaterThan(0)
    expect(response.topics[0]!.topicAuthorizedOperations & (1 << 4)).not.toBe(0) // WRITE
  })

  it('does not create topics when the broker has auto-creation off, even if the request allows it', async () => {
    const client = await connect()
    const response = await client.request('Metadata', {
      topics: [{ name: 'c' }],
      allowAutoTopicCreation: true,
    })
    expect(response.topics[0]!.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
    expect(cluster().topic('c')).toBeUndefined()
  })
})
