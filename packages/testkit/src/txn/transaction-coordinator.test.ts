// The transaction coordinator beyond the conformance suite: EndTxn v5 (transactions v2) bumping the
// epoch, epoch exhaustion allocating a new producer id, KIP-360 InitProducerId retries, and
// transactional offsets becoming the group's committed offsets.
import { ErrorCode } from '@x/protocol'
import { describe, expect, it } from 'vitest'
import { batchOf, produceRequest, useCluster } from '../testing/cluster-fixture.js'
import type { KafkaWireClient } from '../wire-client/kafka-wire-client.js'

async function init(client: KafkaWireClient, transactionalId: string, producerId = -1n, producerEpoch = -1) {
  return client.request('InitProducerId', {
    transactionalId,
    transactionTimeoutMs: 60_000,
    producerId,
    producerEpoch,
  })
}

async function addPartition(
  client: KafkaWireClient,
  transactionalId: string,
  producerId: bigint,
  producerEpoch: number,
) {
  const response = await client.request(
    'AddPartitionsToTxn',
    {
      v3AndBelowTransactionalId: transactionalId,
      v3AndBelowProducerId: producerId,
      v3AndBelowProducerEpoch: producerEpoch,
      v3AndBelowTopics: [{ name: 't', partitions: [0] }],
    },
    { version: 3 },
  )
  return response.resultsByTopicV3AndBelow[0]!.resultsByPartition[0]!.partitionErrorCode
}

describe('TransactionCoordinator', () => {
  const { cluster, connect } = useCluster({ topics: ['t'] })

  it('bumps the epoch at the end of each transaction with EndTxn v5, and fences writes of the old epoch', async () => {
    const client = await connect()
    const { producerId, producerEpoch } = await init(client, 'tv2')
    expect(await addPartition(client, 'tv2', producerId, producerEpoch)).toBe(ErrorCode.NONE)
    const batch = batchOf(['in txn'], { producerId, producerEpoch, baseSequence: 0, isTransactional: true })
    await client.request('Produce', produceRequest('t', 0, batch, { transactionalId: 'tv2' }))
    const ended = await client.request(
      'EndTxn',
      { transactionalId: 'tv2', producerId, producerEpoch, committed: true },
      { version: 5 },
    )
    expect([ended.errorCode, ended.producerId, ended.producerEpoch]).toEqual([
      ErrorCode.NONE,
      producerId,
      producerEpoch + 1,
    ])
    const retried = await client.request(
      'EndTxn',
      { transactionalId: 'tv2', producerId, producerEpoch, committed: true },
      { version: 5 },
    )
    expect([retried.errorCode, retried.producerEpoch]).toEqual([ErrorCode.NONE, producerEpoch + 1])
    const marker = cluster().batches('t', 0).at(-1)!
    expect([marker.isControlBatch, marker.producerEpoch]).toEqual([true, producerEpoch + 1])
    expect(await addPartition(client, 'tv2', producerId, producerEpoch)).toBe(ErrorCode.PRODUCER_FENCED)
    expect(await addPartition(client, 'tv2', producerId, producerEpoch + 1)).toBe(ErrorCode.NONE)
  })

  it('answers a retried InitProducerId (KIP-360, same id and previous epoch) with the epoch it already gave', async () => {
    const client = await connect()
    const first = await init(client, 'retry')
    const bumped = await init(client, 'retry', first.producerId, first.producerEpoch)
    expect(bumped.producerEpoch).toBe(first.producerEpoch + 1)
    const again = await init(client, 'retry', first.producerId, first.producerEpoch)
    expect([again.errorCode, again.producerEpoch]).toEqual([ErrorCode.NONE, bumped.producerEpoch])
    expect((await init(client, 'retry', first.producerId + 1n, 0)).errorCode).toBe(ErrorCode.PRODUCER_FENCED)
  })

  it('allocates a new producer id when the epoch is exhausted', async () => {
    const client = await connect()
    let current = await init(client, 'exhaust')
    const firstId = current.producerId
    for (let i = 0; i < 32_768 && current.producerId === firstId; i++) current = await init(client, 'exhaust')
    expect(current.producerId).not.toBe(firstId)
    expect(current.producerEpoch).toBe(0)
  }, 60_000)

  it('makes TxnOffsetCommit offsets the group committed offsets on COMMIT only', async () => {
    const client = await connect()
    const { producerId, producerEpoch } = await init(client, 'offsets')
    await client.request('AddOffsetsToTxn', {
      transactionalId: 'offsets',
      producerId,
      producerEpoch,
      groupId: 'g',
    })
    const commit = (offset: bigint) =>
      client.request('TxnOffsetCommit', {
        transactionalId: 'offsets',
        groupId: 'g',
        producerId,
        producerEpoch,
        topics: [
          {
            name: 't',
            partitions: [{ partitionIndex: 0, committedOffset: offset, committedMetadata: null }],
          },
        ],
      })
    await commit(5n)
    expect(cluster().committedOffsets('g').size).toBe(0)
    await client.request('EndTxn', { transactionalId: 'offsets', producerId, producerEpoch, committed: true })
    expect([...cluster().committedOffsets('g')]).toEqual([['t-0', 5n]])
    await client.request('AddOffsetsToTxn', {
      transactionalId: 'offsets',
      producerId,
      producerEpoch,
      groupId: 'g',
    })
    await commit(9n)
    await client.request('EndTxn', {
      transactionalId: 'offsets',
      producerId,
      producerEpoch,
      committed: false,
    })
    expect([...cluster().committedOffsets('g')]).toEqual([['t-0', 5n]])
  })
})
