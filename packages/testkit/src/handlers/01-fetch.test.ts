// Fetch beyond the conformance suite: parking until data or maxWaitMs on a manual clock, the KIP-74
// first-batch rule and byte limits, leader epochs, topic ids from v13, declined fetch sessions, and kcat
// style reading of the stored bytes.
import { decodeRecordBatches, ErrorCode } from '@x/protocol'
import { describe, expect, it } from 'vitest'
import { ManualClock } from '../clock.js'
import { batchOf, fetchRequest, produceRequest, text, useCluster } from '../testing/cluster-fixture.js'

describe('Fetch', () => {
  const clock = new ManualClock()
  const { cluster, connect } = useCluster({ clock, topics: ['t'] })

  it('parks a fetch with no data and answers it when a batch arrives', async () => {
    const consumer = await connect()
    const producer = await connect()
    const parked = consumer.request(
      'Fetch',
      fetchRequest('t', 0, 0n, { topicId: cluster().topic('t')!.topicId, maxWaitMs: 10_000 }),
    )
    await cluster().requestLog.waitFor((entry) => entry.api === 'Fetch')
    await producer.request('Produce', produceRequest('t', 0, batchOf(['arrived'])))
    const response = await parked
    const records = decodeRecordBatches(response.responses[0]!.partitions[0]!.records!).flatMap(
      (b) => b.records,
    )
    expect(records.map((record) => text(record.value))).toEqual(['arrived'])
  })

  it('answers a parked fetch empty once maxWaitMs passes on the cluster clock', async () => {
    const consumer = await connect()
    let answered = false
    const parked = consumer
      .request('Fetch', fetchRequest('t', 0, 0n, { topicId: cluster().topic('t')!.topicId, maxWaitMs: 500 }))
      .then((response) => {
        answered = true
        return response
      })
    await cluster().requestLog.waitFor((entry) => entry.api === 'Fetch')
    clock.advance(499)
    await new Promise((resolve) => setImmediate(resolve))
    expect(answered).toBe(false)
    clock.advance(1)
    const response = await parked
    expect(response.responses[0]!.partitions[0]!.records).toEqual(new Uint8Array(0))
  })

  it('returns the first batch even when it exceeds the limits, and no more than the limits after it (KIP-74)', async () => {
    const client = await connect()
    await client.request('Produce', produceRequest('t', 0, batchOf(['x'.repeat(500)])))
    await client.request('Produce', produceRequest('t', 0, batchOf(['y'.repeat(500)])))
    const small = await client.request(
      'Fetch',
      fetchRequest('t', 0, 0n, { topicId: cluster().topic('t')!.topicId, partitionMaxBytes: 10 }),
    )
    expect(decodeRecordBatches(small.responses[0]!.partitions[0]!.records!).map((b) => b.baseOffset)).toEqual(
      [0n],
    )
    const both = await client.request(
      'Fetch',
      fetchRequest('t', 0, 0n, { topicId: cluster().topic('t')!.topicId }),
    )
    expect(decodeRecordBatches(both.responses[0]!.partitions[0]!.records!).map((b) => b.baseOffset)).toEqual([
      0n,
      1n,
    ])
  })

  it('answers FENCED_LEADER_EPOCH to an older leader epoch and UNKNOWN_LEADER_EPOCH to a newer one', async () => {
    const client = await connect()
    const code = async (epoch: number) =>
      (
        await client.request(
          'Fetch',
          fetchRequest('t', 0, 0n, { topicId: cluster().topic('t')!.topicId, currentLeaderEpoch: epoch }),
        )
      ).responses[0]!.partitions[0]!.errorCode
    cluster().faults.moveLeader('t', 0, 1)
    expect(await code(0)).toBe(ErrorCode.FENCED_LEADER_EPOCH)
    expect(await code(1)).toBe(ErrorCode.NONE)
    expect(await code(2)).toBe(ErrorCode.UNKNOWN_LEADER_EPOCH)
  })

  it('finds topics by id from v13 and answers UNKNOWN_TOPIC_ID for an id it does not know', async () => {
    const client = await connect()
    await client.request('Produce', produceRequest('t', 0, batchOf(['by id'])))
    const topicId = cluster().topic('t')!.topicId
    const known = await client.request('Fetch', fetchRequest('t', 0, 0n, { topicId }), { version: 13 })
    expect(known.responses[0]!.topicId).toBe(topicId)
    expect(known.responses[0]!.partitions[0]!.highWatermark).toBe(1n)
    const unknown = await client.request(
      'Fetch',
      fetchRequest('t', 0, 0n, { topicId: 'AAAAAAAAAAAAAAAAAAAAAQ' }),
      { version: 13 },
    )
    expect(unknown.responses[0]!.partitions[0]!.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_ID)
  })

  it('declines fetch sessions: session id 0 in answers, FETCH_SESSION_ID_NOT_FOUND for an incremental fetch', async () => {
    const client = await connect()
    const full = await client.request('Fetch', {
      ...fetchRequest('t', 0, 0n, { topicId: cluster().topic('t')!.topicId }),
      sessionEpoch: 0,
    })
    expect([full.errorCode, full.sessionId]).toEqual([ErrorCode.NONE, 0])
    const incremental = await client.request('Fetch', {
      ...fetchRequest('t', 0, 0n, { topicId: cluster().topic('t')!.topicId }),
      sessionId: 42,
      sessionEpoch: 1,
    })
    expect(incremental.errorCode).toBe(ErrorCode.FETCH_SESSION_ID_NOT_FOUND)
  })
})
