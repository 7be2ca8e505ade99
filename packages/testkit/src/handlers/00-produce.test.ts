// Produce checks beyond the conformance suite (which pins the ones a real broker shows on one node):
// leadership, acks, compacted topics, LogAppendTime, segment size, zstd before v7, acks=0 errors, the
// pre-KIP-360 unknown-producer policy and expired producer state, non-transactional writes inside a
// transaction, and record validation being optional for throughput runs.
import { ErrorCode } from '@x/protocol'
import { describe, expect, it } from 'vitest'
import { ManualClock } from '../clock.js'
import { batchOf, produceRequest, text, useCluster } from '../testing/cluster-fixture.js'

const codeOf = (response: { responses: { partitionResponses: { errorCode: number }[] }[] }) =>
  response.responses[0]!.partitionResponses[0]!.errorCode

describe('Produce on a three-broker cluster', () => {
  const { cluster, connect } = useCluster({ brokers: 3, topics: [{ name: 't', replicationFactor: 2 }] })

  it('answers NOT_LEADER_OR_FOLLOWER on a broker that does not lead the partition', async () => {
    const leader = cluster().topic('t')!.partitions[0]!.leader
    const other = await connect(cluster().brokers.find((b) => b.id !== leader)!.id)
    expect(codeOf(await other.request('Produce', produceRequest('t', 0, batchOf(['x']))))).toBe(
      ErrorCode.NOT_LEADER_OR_FOLLOWER,
    )
  })

  it('refuses acks other than -1, 0 and 1 with INVALID_REQUIRED_ACKS', async () => {
    const client = await connect(cluster().topic('t')!.partitions[0]!.leader)
    expect(codeOf(await client.request('Produce', produceRequest('t', 0, batchOf(['x']), { acks: 2 })))).toBe(
      ErrorCode.INVALID_REQUIRED_ACKS,
    )
  })

  it('closes the connection instead of answering when an acks=0 produce fails', async () => {
    const client = await connect(cluster().topic('t')!.partitions[0]!.leader)
    client.send('Produce', produceRequest('t', 7, batchOf(['x']), { acks: 0 }))
    await expect(client.request('Metadata', { topics: null })).rejects.toMatchObject({
      code: 'CONNECTION_CLOSED',
    })
  })
})

describe('Produce validation', () => {
  const clock = new ManualClock()
  const { cluster, connect } = useCluster({ clock })

  async function produce(
    topic: string,
    records: Uint8Array,
    options: { version?: number; transactionalId?: string } = {},
  ) {
    const client = await connect()
    const response = await client.request('Produce', produceRequest(topic, 0, records, options), {
      version: options.version,
    })
    return response.responses[0]!.partitionResponses[0]!
  }

  it('refuses a null key on a compacted topic with INVALID_RECORD, naming the record', async () => {
    cluster().createTopic({ name: 'compacted', configs: { 'cleanup.policy': 'compact' } })
    const result = await produce(
      'compacted',
      batchOf([
        { key: 'k', value: 'a' },
        { key: null, value: 'b' },
      ]),
    )
    expect(result.errorCode).toBe(ErrorCode.INVALID_RECORD)
    expect(result.recordErrors.map((error) => error.batchIndex)).toEqual([1])
  })

  it('stamps batches with the broker time on a LogAppendTime topic and keeps the CRC valid', async () => {
    cluster().createTopic({ name: 'stamped', configs: { 'message.timestamp.type': 'LogAppendTime' } })
    const result = await produce('stamped', batchOf([{ value: 'a', timestamp: clock.now() - 5000 }]))
    expect([result.errorCode, result.logAppendTimeMs]).toEqual([ErrorCode.NONE, BigInt(clock.now())])
    const [batch] = cluster().batches('stamped', 0) // decoding checks the CRC
    expect(batch!.timestampType).toBe('LogAppendTime')
    expect(batch!.records[0]!.timestamp).toBe(clock.now())
  })

  it('refuses a batch larger than segment.bytes with RECORD_LIST_TOO_LARGE', async () => {
    cluster().createTopic({ name: 'tiny-segments', configs: { 'segment.bytes': '100' } })
    expect((await produce('tiny-segments', batchOf(['x'.repeat(200)]))).errorCode).toBe(
      ErrorCode.RECORD_LIST_TOO_LARGE,
    )
  })

  it('refuses zstd before Produce v7 with UNSUPPORTED_COMPRESSION_TYPE', async () => {
    cluster().createTopic('zstd')
    const batch = batchOf(['compressed'], { compression: 'zstd' })
    expect((await produce('zstd', batch, { version: 6 })).errorCode).toBe(
      ErrorCode.UNSUPPORTED_COMPRESSION_TYPE,
    )
    expect((await produce('zstd', batch, { version: 7 })).errorCode).toBe(ErrorCode.NONE)
  })

  it('refuses a non-transactional batch while the producer has a transaction open in the partition', async () => {
    cluster().createTopic('mixed')
    const client = await connect()
    const init = await client.request('InitProducerId', {
      transactionalId: 'mixed-txn',
      transactionTimeoutMs: 60_000,
    })
    const producerId = init.producerId
    await client.request(
      'AddPartitionsToTxn',
      {
        v3AndBelowTransactionalId: 'mixed-txn',
        v3AndBelowProducerId: producerId,
        v3AndBelowProducerEpoch: 0,
        v3AndBelowTopics: [{ name: 'mixed', partitions: [0] }],
      },
      { version: 3 },
    )
    const inTxn = await produce(
      'mixed',
      batchOf(['t'], { producerId, baseSequence: 0, isTransactional: true }),
      { transactionalId: 'mixed-txn' },
    )
    expect(inTxn.errorCode).toBe(ErrorCode.NONE)
    const outside = await produce('mixed', batchOf(['plain'], { producerId, baseSequence: 1 }))
    expect(outside.errorCode).toBe(ErrorCode.INVALID_TXN_STATE)
  })
})

describe('Produce without record validation', () => {
  const { cluster, connect } = useCluster({
    validateRecords: false,
    topics: [{ name: 'fast', configs: { 'cleanup.policy': 'compact' } }],
  })

  it('appends what a full validation would refuse, but still checks the CRC', async () => {
    const client = await connect()
    expect(
      codeOf(
        await client.request('Produce', produceRequest('fast', 0, batchOf([{ key: null, value: 'no key' }]))),
      ),
    ).toBe(ErrorCode.NONE)
    const corrupt = batchOf(['x'])
    corrupt[corrupt.length - 1] ^= 1
    expect(codeOf(await client.request('Produce', produceRequest('fast', 0, corrupt)))).toBe(
      ErrorCode.CORRUPT_MESSAGE,
    )
    expect(
      cluster()
        .records('fast', 0)
        .map((record) => text(record.value)),
    ).toEqual(['no key'])
  })
})

describe('Producer state expiry', () => {
  const { cluster, connect } = useCluster({ unknownProducerId: 'reject', topics: ['t'] })

  it('answers UNKNOWN_PRODUCER_ID to a producer without state that does not start at 0, as brokers before KIP-360 did', async () => {
    const client = await connect()
    const { producerId } = await client.request('InitProducerId', {
      transactionalId: null,
      transactionTimeoutMs: 1000,
    })
    const send = async (sequence: number) =>
      codeOf(
        await client.request(
          'Produce',
          produceRequest('t', 0, batchOf([`s${sequence}`], { producerId, baseSequence: sequence })),
        ),
      )
    expect(await send(3)).toBe(ErrorCode.UNKNOWN_PRODUCER_ID)
    expect(await send(0)).toBe(ErrorCode.NONE)
    expect(await send(1)).toBe(ErrorCode.NONE)
    cluster().expireProducerId(producerId)
    expect(await send(2)).toBe(ErrorCode.UNKNOWN_PRODUCER_ID)
    expect(
      cluster()
        .records('t', 0)
        .map((record) => record.sequence),
    ).toEqual([0, 1])
  })
})
