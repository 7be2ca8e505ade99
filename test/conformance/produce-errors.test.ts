// What every target answers to a Produce it must refuse: unknown topic or partition, a batch above the
// topic's max.message.bytes, a corrupted CRC, more than one batch or a non-zero base offset, timestamps
// out of range (with KIP-467 record errors), and transactional records without a transactional id.
import { ErrorCode } from '@x/protocol'
import { expect, it } from 'vitest'
import { describeOnEveryTarget, freshTopic } from './conformance-targets'
import { buildBatch } from './protocol-session'

describeOnEveryTarget('Produce errors', (session) => {
  it('answers UNKNOWN_TOPIC_OR_PARTITION for a partition past the last and for a topic that does not exist', async () => {
    const topic = freshTopic('partitions')
    await session().createTopic(topic, { partitions: 2 })
    const leader = await session().leader(topic, 0)
    const batch = buildBatch([{ key: 'k', value: 'v' }])
    const response = await leader.request('Produce', {
      transactionalId: null,
      acks: -1,
      timeoutMs: 5000,
      topicData: [
        { name: topic, partitionData: [{ index: 2, records: batch }] },
        { name: freshTopic('missing'), partitionData: [{ index: 0, records: batch }] },
      ],
    })
    expect(response.responses.map((t) => t.partitionResponses[0]!.errorCode)).toEqual([
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    ])
  })

  it('refuses a batch larger than max.message.bytes with MESSAGE_TOO_LARGE and keeps the log empty', async () => {
    const topic = freshTopic('too-large')
    await session().createTopic(topic, { configs: { 'max.message.bytes': '1024' } })
    const produced = await session().produce(topic, 0, buildBatch([{ key: 'k', value: 'x'.repeat(2000) }]))
    expect([produced.errorCode, produced.baseOffset]).toEqual([ErrorCode.MESSAGE_TOO_LARGE, -1n])
    const small = await session().produce(topic, 0, buildBatch([{ key: 'k', value: 'x'.repeat(100) }]))
    expect([small.errorCode, small.baseOffset]).toEqual([ErrorCode.NONE, 0n])
  })

  it('refuses a batch whose CRC32C does not match with CORRUPT_MESSAGE', async () => {
    const topic = freshTopic('crc')
    await session().createTopic(topic)
    const batch = buildBatch([{ key: 'k', value: 'value' }])
    batch[batch.length - 1] ^= 0xff
    expect((await session().produce(topic, 0, batch)).errorCode).toBe(ErrorCode.CORRUPT_MESSAGE)
  })

  it('refuses two batches for one partition, and a batch whose base offset is not 0, with INVALID_RECORD', async () => {
    const topic = freshTopic('structure')
    await session().createTopic(topic)
    const batch = buildBatch([{ key: 'k', value: 'v' }])
    const twice = new Uint8Array(batch.length * 2)
    twice.set(batch)
    twice.set(batch, batch.length)
    expect((await session().produce(topic, 0, twice)).errorCode).toBe(ErrorCode.INVALID_RECORD)
    const moved = batch.slice()
    moved[7] = 5 // base offset 5 (the CRC does not cover it)
    expect((await session().produce(topic, 0, moved)).errorCode).toBe(ErrorCode.INVALID_RECORD)
  })

  it('refuses a record timestamped hours ahead with INVALID_TIMESTAMP, naming the record (KIP-467)', async () => {
    const topic = freshTopic('timestamp')
    await session().createTopic(topic)
    const now = Date.now()
    const produced = await session().produce(
      topic,
      0,
      buildBatch([
        { key: 'k', value: 'now', timestamp: now },
        { key: 'k', value: 'later', timestamp: now + 3 * 3_600_000 },
      ]),
    )
    expect(produced.errorCode).toBe(ErrorCode.INVALID_TIMESTAMP)
    expect(produced.recordErrors.map((error) => error.batchIndex)).toEqual([1])
    expect(produced.errorMessage).toBe('One or more records have been rejected due to invalid timestamp')
    expect((await session().listOffsets(topic, 0, -1n)).offset).toBe(0n)
  })

  it('refuses transactional records without a transactional id with TRANSACTIONAL_ID_AUTHORIZATION_FAILED', async () => {
    const topic = freshTopic('no-txn-id')
    await session().createTopic(topic)
    const batch = buildBatch([{ key: 'k', value: 'v' }], {
      producerId: 1000n,
      producerEpoch: 0,
      baseSequence: 0,
      isTransactional: true,
    })
    expect((await session().produce(topic, 0, batch, { transactionalId: null })).errorCode).toBe(
      ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
    )
  })
})
