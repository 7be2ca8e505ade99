// Transactions on every target, with the client-side versions of the protocol (AddPartitionsToTxn v3,
// EndTxn v4: transactions v1): the coordinator's producer id and epochs, the leader's check that a
// transactional partition was added, read_committed visibility through the last stable offset and the
// aborted-transactions list, fencing by a second InitProducerId, and the EndTxn state errors. A real
// broker writes markers asynchronously, so steps after EndTxn retry CONCURRENT_TRANSACTIONS and wait
// for the last stable offset.
import { ControlRecordType, ErrorCode } from '@x/protocol'
import type { KafkaWireClient } from '@x/testkit'
import { expect, it } from 'vitest'
import { describeOnEveryTarget, freshTopic } from './conformance-targets'
import { buildBatch, eventually, type ProtocolSession } from './protocol-session'

interface Txn {
  transactionalId: string
  producerId: bigint
  producerEpoch: number
  coordinator: KafkaWireClient
}

async function begin(session: ProtocolSession, transactionalId: string): Promise<Txn> {
  const { errorCode, producerId, producerEpoch } = await session.initProducerId(transactionalId)
  expect(errorCode).toBe(ErrorCode.NONE)
  return {
    transactionalId,
    producerId,
    producerEpoch,
    coordinator: await session.coordinator(1, transactionalId),
  }
}

/** AddPartitionsToTxn v3, retried while a previous transaction's markers are still being written. */
async function addPartitions(
  txn: Txn,
  topic: string,
  partitions: number[],
  epoch = txn.producerEpoch,
): Promise<number[]> {
  return eventually('AddPartitionsToTxn', async () => {
    const response = await txn.coordinator.request(
      'AddPartitionsToTxn',
      {
        v3AndBelowTransactionalId: txn.transactionalId,
        v3AndBelowProducerId: txn.producerId,
        v3AndBelowProducerEpoch: epoch,
        v3AndBelowTopics: [{ name: topic, partitions }],
      },
      { version: 3 },
    )
    // in request order (a broker may list partitions in any order)
    const results = response.resultsByTopicV3AndBelow[0]!.resultsByPartition
    const codes = partitions.map(
      (index) => results.find((result) => result.partitionIndex === index)!.partitionErrorCode,
    )
    return codes.includes(ErrorCode.CONCURRENT_TRANSACTIONS) ? undefined : codes
  })
}

async function endTxn(
  txn: Txn,
  committed: boolean,
  options: { epoch?: number; version?: number } = {},
): Promise<number> {
  return eventually('EndTxn', async () => {
    const response = await txn.coordinator.request(
      'EndTxn',
      {
        transactionalId: txn.transactionalId,
        producerId: txn.producerId,
        producerEpoch: options.epoch ?? txn.producerEpoch,
        committed,
      },
      { version: options.version ?? 4 },
    )
    return response.errorCode === ErrorCode.CONCURRENT_TRANSACTIONS ? undefined : response.errorCode
  })
}

function transactionalBatch(
  txn: Txn,
  sequence: number,
  values: string[],
  epoch = txn.producerEpoch,
): Uint8Array {
  return buildBatch(
    values.map((value) => ({ key: 'k', value })),
    { producerId: txn.producerId, producerEpoch: epoch, baseSequence: sequence, isTransactional: true },
  )
}

const text = (bytes: Uint8Array | null) => (bytes === null ? null : new TextDecoder().decode(bytes))

describeOnEveryTarget('Transactions', (session) => {
  it('refuses a transactional batch for a partition not in the transaction: INVALID_TXN_STATE, TRANSACTION_ABORTABLE from Produce v11', async () => {
    const topic = freshTopic('not-added')
    await session().createTopic(topic)
    const txn = await begin(session(), `${topic}-txn`)
    const batch = transactionalBatch(txn, 0, ['v'])
    const v10 = await session().produce(topic, 0, batch, {
      transactionalId: txn.transactionalId,
      version: 10,
    })
    expect(v10.errorCode).toBe(ErrorCode.INVALID_TXN_STATE)
    const v11 = await session().produce(topic, 0, batch, {
      transactionalId: txn.transactionalId,
      version: 11,
    })
    expect(v11.errorCode).toBe(ErrorCode.TRANSACTION_ABORTABLE)
    expect((await session().listOffsets(topic, 0, -1n)).offset).toBe(0n)
  })

  it('hides an open transaction from read_committed until COMMIT, then serves it with its COMMIT marker', async () => {
    const topic = freshTopic('commit')
    await session().createTopic(topic)
    await session().produce(topic, 0, buildBatch([{ key: 'k', value: 'before' }]))
    const txn = await begin(session(), `${topic}-txn`)
    expect(await addPartitions(txn, topic, [0])).toEqual([ErrorCode.NONE])
    const produced = await session().produce(topic, 0, transactionalBatch(txn, 0, ['t1', 't2']), {
      transactionalId: txn.transactionalId,
    })
    expect([produced.errorCode, produced.baseOffset]).toEqual([ErrorCode.NONE, 1n])

    expect((await session().listOffsets(topic, 0, -1n, 'read_committed')).offset).toBe(1n)
    expect((await session().listOffsets(topic, 0, -1n)).offset).toBe(3n)
    const open = await session().fetch(topic, 0, 0n, { isolation: 'read_committed' })
    expect([open.partition.highWatermark, open.partition.lastStableOffset]).toEqual([3n, 1n])
    expect(open.batches.flatMap((batch) => batch.records.map((record) => text(record.value)))).toEqual([
      'before',
    ])
    expect(open.partition.abortedTransactions).toEqual([])
    const uncommitted = await session().fetch(topic, 0, 0n)
    expect(uncommitted.batches.flatMap((batch) => batch.records.map((record) => text(record.value)))).toEqual(
      ['before', 't1', 't2'],
    )

    expect(await endTxn(txn, true)).toBe(ErrorCode.NONE)
    const committed = await eventually('the last stable offset to pass the marker', async () => {
      const read = await session().fetch(topic, 0, 0n, { isolation: 'read_committed' })
      return read.partition.lastStableOffset === 4n ? read : undefined
    })
    const [plain, data, marker] = committed.batches
    expect(text(plain!.records[0]!.value)).toBe('before')
    expect(data!.isTransactional).toBe(true)
    expect(data!.producerId).toBe(txn.producerId)
    expect(data!.records.map((record) => text(record.value))).toEqual(['t1', 't2'])
    expect(marker!.isControlBatch).toBe(true)
    expect(marker!.baseOffset).toBe(3n)
    expect(marker!.records[0]!.controlType).toBe(ControlRecordType.COMMIT)
    expect(committed.partition.abortedTransactions).toEqual([])
    expect(await endTxn(txn, true)).toBe(ErrorCode.NONE)
    expect(await endTxn(txn, false)).toBe(ErrorCode.INVALID_TXN_STATE)
  })

  it('lists an aborted transaction for read_committed fetches, with its producer and first offset', async () => {
    const topic = freshTopic('abort')
    await session().createTopic(topic)
    const txn = await begin(session(), `${topic}-txn`)
    expect(await addPartitions(txn, topic, [0])).toEqual([ErrorCode.NONE])
    await session().produce(topic, 0, transactionalBatch(txn, 0, ['doomed']), {
      transactionalId: txn.transactionalId,
    })
    expect(await endTxn(txn, false)).toBe(ErrorCode.NONE)
    const aborted = await eventually('the abort marker', async () => {
      const read = await session().fetch(topic, 0, 0n, { isolation: 'read_committed' })
      return read.partition.lastStableOffset === 2n ? read : undefined
    })
    expect(aborted.partition.abortedTransactions).toEqual([{ producerId: txn.producerId, firstOffset: 0n }])
    expect(aborted.batches.map((batch) => [batch.baseOffset, batch.isControlBatch])).toEqual([
      [0n, false],
      [1n, true],
    ])
    expect(aborted.batches[1]!.records[0]!.controlType).toBe(ControlRecordType.ABORT)
    const uncommitted = await session().fetch(topic, 0, 0n)
    expect(uncommitted.partition.abortedTransactions).toBeNull()
  })

  it('fences the first producer when a second calls InitProducerId during its transaction', async () => {
    const topic = freshTopic('fence')
    await session().createTopic(topic)
    const first = await begin(session(), `${topic}-txn`)
    expect(first.producerEpoch).toBe(0)
    expect(await addPartitions(first, topic, [0])).toEqual([ErrorCode.NONE])
    await session().produce(topic, 0, transactionalBatch(first, 0, ['zombie']), {
      transactionalId: first.transactionalId,
    })

    const interrupted = await session().initProducerId(first.transactionalId, { retry: false })
    expect(interrupted.errorCode).toBe(ErrorCode.CONCURRENT_TRANSACTIONS)
    const second = await session().initProducerId(first.transactionalId)
    expect([second.errorCode, second.producerId, second.producerEpoch]).toEqual([
      ErrorCode.NONE,
      first.producerId,
      2,
    ])

    const zombie = await session().produce(topic, 0, transactionalBatch(first, 1, ['late']), {
      transactionalId: first.transactionalId,
    })
    expect(zombie.errorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH)
    expect(await endTxn(first, true)).toBe(ErrorCode.PRODUCER_FENCED)
    expect(await endTxn(first, true, { version: 1 })).toBe(ErrorCode.INVALID_PRODUCER_EPOCH)

    const read = await eventually('the abort marker', async () => {
      const fetched = await session().fetch(topic, 0, 0n, { isolation: 'read_committed' })
      return fetched.partition.lastStableOffset === 2n ? fetched : undefined
    })
    expect(read.partition.abortedTransactions).toEqual([{ producerId: first.producerId, firstOffset: 0n }])
    expect(read.batches.at(-1)!.records[0]!.controlType).toBe(ControlRecordType.ABORT)
  })

  it('refuses EndTxn on an empty transaction with INVALID_TXN_STATE', async () => {
    const txn = await begin(session(), `${freshTopic('empty')}-txn`)
    expect(await endTxn(txn, true)).toBe(ErrorCode.INVALID_TXN_STATE)
    expect(await endTxn(txn, false)).toBe(ErrorCode.INVALID_TXN_STATE)
  })

  it('answers AddPartitionsToTxn with UNKNOWN_TOPIC_OR_PARTITION for unknown partitions and OPERATION_NOT_ATTEMPTED for the rest', async () => {
    const topic = freshTopic('add-unknown')
    await session().createTopic(topic)
    const txn = await begin(session(), `${topic}-txn`)
    expect(await addPartitions(txn, topic, [0, 5])).toEqual([
      ErrorCode.OPERATION_NOT_ATTEMPTED,
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    ])
  })

  it('answers a wrong producer id with INVALID_PRODUCER_ID_MAPPING and a too long timeout with INVALID_TRANSACTION_TIMEOUT', async () => {
    const topic = freshTopic('mapping')
    await session().createTopic(topic)
    const txn = await begin(session(), `${topic}-txn`)
    expect(await endTxn({ ...txn, producerId: txn.producerId + 1000n }, true)).toBe(
      ErrorCode.INVALID_PRODUCER_ID_MAPPING,
    )
    const tooLong = await txn.coordinator.request('InitProducerId', {
      transactionalId: txn.transactionalId,
      transactionTimeoutMs: 3_600_000,
      producerId: -1n,
      producerEpoch: -1,
    })
    expect(tooLong.errorCode).toBe(ErrorCode.INVALID_TRANSACTION_TIMEOUT)
  })

  it('accepts offsets of a group added to the transaction (AddOffsetsToTxn, TxnOffsetCommit) and commits them', async () => {
    const topic = freshTopic('offsets')
    await session().createTopic(topic)
    const txn = await begin(session(), `${topic}-txn`)
    const group = `${topic}-group`
    const added = await txn.coordinator.request('AddOffsetsToTxn', {
      transactionalId: txn.transactionalId,
      producerId: txn.producerId,
      producerEpoch: txn.producerEpoch,
      groupId: group,
    })
    expect(added.errorCode).toBe(ErrorCode.NONE)
    const missing = freshTopic('nowhere')
    // a real broker's group coordinator may still be loading a fresh offsets partition
    const codes = await eventually('TxnOffsetCommit', async () => {
      const groupCoordinator = await session().coordinator(0, group)
      const response = await groupCoordinator.request('TxnOffsetCommit', {
        transactionalId: txn.transactionalId,
        groupId: group,
        producerId: txn.producerId,
        producerEpoch: txn.producerEpoch,
        topics: [
          { name: topic, partitions: [{ partitionIndex: 0, committedOffset: 7n, committedMetadata: null }] },
          {
            name: missing,
            partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: null }],
          },
        ],
      })
      const byName = (name: string) => response.topics.find((t) => t.name === name)!.partitions[0]!.errorCode
      const result = [byName(topic), byName(missing)]
      const retriable: number[] = [ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, ErrorCode.NOT_COORDINATOR]
      return result.some((code) => retriable.includes(code)) ? undefined : result
    })
    expect(codes).toEqual([ErrorCode.NONE, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION])
    expect(await endTxn(txn, true)).toBe(ErrorCode.NONE)
  })
})
