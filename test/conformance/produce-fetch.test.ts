// Produce then read back on every target: each compression codec through Fetch, offsets through
// ListOffsets (earliest, latest, by timestamp, max timestamp), and acks=0. Batches are written by
// @x/protocol's RecordBatchBuilder; what comes back is decoded with its decoder (CRC checked).
import { type CompressionName, ErrorCode } from '@x/protocol'
import { expect, it } from 'vitest'
import { describeOnEveryTarget, freshTopic } from './conformance-targets'
import { buildBatch, eventually, type TestRecord } from './protocol-session'

const text = (bytes: Uint8Array | null) => (bytes === null ? null : new TextDecoder().decode(bytes))
const CODECS: CompressionName[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd']

describeOnEveryTarget('Produce and read back', (session) => {
  it.each(CODECS)(
    'reads back a %s batch with Fetch: keys, values, nulls, headers and timestamps',
    async (codec) => {
      const topic = freshTopic(`codec-${codec}`)
      await session().createTopic(topic)
      const now = Date.now()
      const records: TestRecord[] = [
        {
          key: 'k1',
          value: 'v1',
          timestamp: now,
          headers: [{ key: 'trace', value: new TextEncoder().encode('abc') }],
        },
        { key: null, value: 'no key', timestamp: now + 1, headers: [{ key: 'nil', value: null }] },
        { key: 'tombstone', value: null, timestamp: now + 2 },
        { key: new Uint8Array([0, 255, 1]), value: 'x'.repeat(3000), timestamp: now + 3 },
      ]
      const produced = await session().produce(topic, 0, buildBatch(records, { compression: codec }))
      expect(produced.errorCode).toBe(ErrorCode.NONE)
      expect(produced.baseOffset).toBe(0n)
      expect(produced.logAppendTimeMs).toBe(-1n)

      const { partition, batches } = await session().fetch(topic, 0, 0n)
      expect(partition.errorCode).toBe(ErrorCode.NONE)
      expect(partition.highWatermark).toBe(4n)
      expect(partition.lastStableOffset).toBe(4n)
      expect(partition.logStartOffset).toBe(0n)
      expect(batches).toHaveLength(1)
      expect(batches[0]!.compression).toBe(codec)
      const read = batches[0]!.records
      expect(read.map((record) => record.offset)).toEqual([0n, 1n, 2n, 3n])
      expect(read.map((record) => text(record.key))).toEqual([
        'k1',
        null,
        'tombstone',
        text(new Uint8Array([0, 255, 1])),
      ])
      expect(Array.from(read[3]!.key!)).toEqual([0, 255, 1])
      expect(read.map((record) => text(record.value))).toEqual(['v1', 'no key', null, 'x'.repeat(3000)])
      expect(read.map((record) => record.timestamp)).toEqual([now, now + 1, now + 2, now + 3])
      expect(read[0]!.headers.map((header) => [header.key, text(header.value)])).toEqual([['trace', 'abc']])
      expect(read[1]!.headers.map((header) => [header.key, header.value])).toEqual([['nil', null]])
    },
  )

  it('assigns consecutive offsets and answers ListOffsets for earliest, latest, a timestamp and the max timestamp', async () => {
    const topic = freshTopic('offsets')
    await session().createTopic(topic)
    const now = Date.now()
    const first = await session().produce(
      topic,
      0,
      buildBatch([
        { key: 'a', value: '0', timestamp: now - 2000 },
        { key: 'a', value: '1', timestamp: now - 1000 },
      ]),
    )
    const second = await session().produce(
      topic,
      0,
      buildBatch([
        { key: 'a', value: '2', timestamp: now + 5000 },
        { key: 'a', value: '3', timestamp: now },
      ]),
    )
    expect([first.baseOffset, second.baseOffset]).toEqual([0n, 2n])

    const earliest = await session().listOffsets(topic, 0, -2n)
    expect([earliest.errorCode, earliest.offset]).toEqual([ErrorCode.NONE, 0n])
    const latest = await session().listOffsets(topic, 0, -1n)
    expect([latest.errorCode, latest.offset]).toEqual([ErrorCode.NONE, 4n])
    const byTimestamp = await session().listOffsets(topic, 0, BigInt(now - 1500))
    expect([byTimestamp.offset, byTimestamp.timestamp]).toEqual([1n, BigInt(now - 1000)])
    const maxTimestamp = await session().listOffsets(topic, 0, -3n)
    expect([maxTimestamp.offset, maxTimestamp.timestamp]).toEqual([2n, BigInt(now + 5000)])
    const future = await session().listOffsets(topic, 0, BigInt(now + 60_000))
    expect([future.errorCode, future.offset, future.timestamp]).toEqual([ErrorCode.NONE, -1n, -1n])

    const fromMiddle = await session().fetch(topic, 0, 2n)
    expect(fromMiddle.batches.map((batch) => batch.baseOffset)).toEqual([2n])
    const atEnd = await session().fetch(topic, 0, 4n)
    expect([atEnd.partition.errorCode, atEnd.batches.length]).toEqual([ErrorCode.NONE, 0])
    const beyond = await session().fetch(topic, 0, 5n)
    expect(beyond.partition.errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE)
  })

  it('sends no response to acks=0 and still appends the batch', async () => {
    const topic = freshTopic('acks0')
    await session().createTopic(topic)
    const leader = await session().leader(topic, 0)
    leader.send('Produce', {
      transactionalId: null,
      acks: 0,
      timeoutMs: 1000,
      topicData: [
        {
          name: topic,
          partitionData: [{ index: 0, records: buildBatch([{ key: 'k', value: 'fire and forget' }]) }],
        },
      ],
    })
    const latest = await eventually('the acks=0 batch', async () => {
      const offsets = await session().listOffsets(topic, 0, -1n)
      return offsets.offset === 1n ? offsets : undefined
    })
    expect(latest.errorCode).toBe(ErrorCode.NONE)
    const { batches } = await session().fetch(topic, 0, 0n)
    expect(text(batches[0]!.records[0]!.value)).toBe('fire and forget')
  })
})
