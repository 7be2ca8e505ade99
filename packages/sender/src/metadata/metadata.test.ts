// Metadata semantics after Java's Metadata/ProducerMetadata: responses built with @x/protocol's MetadataResponse
// types by hand (leader epochs, errors), waits, expiry, and KIP-951 leader hints.
import { ErrorCode, type MetadataResponse } from '@x/protocol'
import { ManualClock } from '@x/testkit'
import { describe, expect, it } from 'vitest'
import { TimeoutError } from '../errors/timeout-error.js'
import { Cluster } from './cluster.js'
import { Metadata } from './metadata.js'

function response(
  topics: { name: string; errorCode?: number; leaders: number[]; epochs?: number[] }[],
  brokers = [1, 2, 3],
): MetadataResponse {
  return {
    throttleTimeMs: 0,
    brokers: brokers.map((id) => ({ nodeId: id, host: `b${id}`, port: 9092, rack: null })),
    clusterId: 'c',
    controllerId: 1,
    clusterAuthorizedOperations: 0,
    topics: topics.map((topic) => ({
      errorCode: topic.errorCode ?? 0,
      name: topic.name,
      topicId: 'AAAAAAAAAAAAAAAAAAAAAQ',
      isInternal: false,
      topicAuthorizedOperations: 0,
      partitions: topic.leaders.map((leader, index) => ({
        errorCode: 0,
        partitionIndex: index,
        leaderId: leader,
        leaderEpoch: topic.epochs?.[index] ?? 0,
        replicaNodes: brokers,
        isrNodes: brokers,
        offlineReplicas: [],
      })),
    })),
  }
}

describe('Metadata', () => {
  it('answers waitOnMetadata synchronously once the topic is known', () => {
    const clock = new ManualClock(1_000_000)
    const metadata = new Metadata({ clock })
    metadata.add('t', clock.now())
    metadata.update(response([{ name: 't', leaders: [1, 2] }]), metadata.currentRequestVersion, clock.now())
    const cluster = metadata.waitOnMetadata('t', 1, 1000, clock.now())
    expect(cluster).toBeInstanceOf(Cluster)
    expect((cluster as Cluster).leaderFor('t', 1)).toBe(2)
  })

  it('fails a wait with "Topic X not present in metadata after N ms." after max.block.ms', async () => {
    const clock = new ManualClock(1_000_000)
    const metadata = new Metadata({ clock })
    const wait = metadata.waitOnMetadata('missing', undefined, 500, clock.now())
    expect(wait).toBeInstanceOf(Promise)
    const settled = (wait as Promise<Cluster>).catch((error: unknown) => error)
    expect(metadata.updateRequested).toBe(true)
    await clock.advanceAsync(500)
    const error = await settled
    expect(TimeoutError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({
      timeout: 'max.block.ms',
      message: 'Topic missing not present in metadata after 500 ms.',
    })
  })

  it('names the partition count when the partition asked for does not exist', async () => {
    const clock = new ManualClock(1_000_000)
    const metadata = new Metadata({ clock })
    metadata.add('t', clock.now())
    metadata.update(response([{ name: 't', leaders: [1, 2] }]), metadata.currentRequestVersion, clock.now())
    const settled = (metadata.waitOnMetadata('t', 5, 100, clock.now()) as Promise<Cluster>).catch(
      (e: unknown) => e,
    )
    await clock.advanceAsync(100)
    expect((await settled) as Error).toMatchObject({
      message: 'Partition 5 of topic t with partition count 2 is not present in metadata after 100 ms.',
    })
  })

  it('resolves a pending wait on the update that brings the topic, and rejects one for an unauthorized topic', async () => {
    const clock = new ManualClock(1_000_000)
    const metadata = new Metadata({ clock })
    const wait = metadata.waitOnMetadata('t', 0, 10_000, clock.now()) as Promise<Cluster>
    const denied = (metadata.waitOnMetadata('secret', 0, 10_000, clock.now()) as Promise<Cluster>).catch(
      (e) => e,
    )
    metadata.update(
      response([
        { name: 't', leaders: [3] },
        { name: 'secret', errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED, leaders: [] },
      ]),
      metadata.currentRequestVersion,
      clock.now(),
    )
    expect((await wait).leaderFor('t', 0)).toBe(3)
    expect(await denied).toMatchObject({
      code: 'TOPIC_AUTHORIZATION_FAILED',
      message: expect.stringContaining('[secret]'),
    })
  })

  it('ignores partition metadata with an older leader epoch than already seen', () => {
    const metadata = new Metadata({ clock: new ManualClock(1_000_000) })
    metadata.add('t', 0)
    metadata.update(response([{ name: 't', leaders: [2], epochs: [5] }]), metadata.currentRequestVersion, 0)
    metadata.update(response([{ name: 't', leaders: [1], epochs: [4] }]), metadata.currentRequestVersion, 1)
    expect(metadata.leaderFor('t', 0)).toBe(2)
    expect(metadata.leaderEpochFor('t', 0)).toBe(5)
    metadata.update(response([{ name: 't', leaders: [3], epochs: [6] }]), metadata.currentRequestVersion, 2)
    expect(metadata.leaderFor('t', 0)).toBe(3)
  })

  it('applies a newer leader hint at once and ignores a stale one (KIP-951)', () => {
    const metadata = new Metadata({ clock: new ManualClock(1_000_000) })
    metadata.add('t', 0)
    metadata.update(
      response([{ name: 't', leaders: [1, 1], epochs: [3, 3] }]),
      metadata.currentRequestVersion,
      0,
    )
    const newNode = { id: 4, host: 'b4', port: 9092, rack: null }
    const updated = metadata.updatePartitionLeadership(
      [
        { topic: 't', partition: 0, leaderId: 4, leaderEpoch: 4 },
        { topic: 't', partition: 1, leaderId: 2, leaderEpoch: 3 },
      ],
      [newNode],
    )
    expect(updated).toEqual([{ topic: 't', partition: 0 }])
    expect(metadata.leaderFor('t', 0)).toBe(4)
    expect(metadata.fetch().nodeById(4)).toEqual(newNode)
    expect(metadata.leaderFor('t', 1)).toBe(1)
    expect(metadata.partitionsForNode(4)).toEqual([{ topic: 't', partition: 0 }])
  })

  it('refreshes after metadata.max.age.ms, and at once when requested once the retry backoff passed', () => {
    const metadata = new Metadata({
      clock: new ManualClock(1_000_000),
      metadataMaxAgeMs: 10_000,
      retryBackoffMs: 100,
      random: () => 0.5,
    })
    const t = 1_000_000
    expect(metadata.timeToNextUpdate(t)).toBe(0)
    metadata.update(response([]), metadata.currentRequestVersion, t)
    expect(metadata.timeToNextUpdate(t)).toBe(10_000)
    expect(metadata.timeToNextUpdate(t + 10_000)).toBe(0)
    metadata.requestUpdate()
    expect(metadata.timeToNextUpdate(t + 50)).toBe(50)
    expect(metadata.timeToNextUpdate(t + 100)).toBe(0)
  })

  it('stops tracking a topic not used for metadata.max.idle.ms', () => {
    const metadata = new Metadata({ clock: new ManualClock(1_000_000), metadataMaxIdleMs: 1_000 })
    metadata.add('busy', 0)
    metadata.add('idle', 0)
    metadata.add('busy', 900)
    expect(metadata.topicsToRequest(1_500)).toEqual(['busy'])
    expect(metadata.topicsToRequest(2_000)).toEqual([])
  })

  it('treats a partition whose leader is not among the brokers as leaderless', () => {
    const metadata = new Metadata({ clock: new ManualClock(1_000_000) })
    metadata.add('t', 0)
    metadata.update(response([{ name: 't', leaders: [1, 9, -1] }], [1]), metadata.currentRequestVersion, 0)
    expect(metadata.availablePartitions('t')).toEqual([0])
    expect(metadata.leaderFor('t', 1)).toBeUndefined()
    expect(metadata.leaderFor('t', 2)).toBeUndefined()
    expect(metadata.partitionCount('t')).toBe(3)
  })
})
