// Golden bytes: __fixtures__/java-record-batches.json, written by Apache Kafka's MemoryRecordsBuilder
// (kafka-clients 4.4.0) via packages/protocol/test-vectors/RecordBatchGoldens.java. Java's snappy batches are
// xerial-framed (snappy-java's SnappyOutputStream); its lz4 batches are Kafka LZ4 frames; zstd from zstd-jni.
import { describe, expect, it } from 'vitest'
import { CodecRegistry } from '../compression/codec-registry.js'
import { crc32cRange } from '../crc32c/crc32c.js'
import { CONTROL_CASE, javaCases } from './__fixtures__/java-cases.js'
import { ControlRecordType, parseEndTransactionMarker } from './control-record.js'
import { RecordBatchBuilder } from './record-batch-builder.js'
import { decodeRecordBatches, decodeRecordBatchHeader, validateRecordBatch } from './record-batch-decoder.js'
import { CorruptRecordError } from './record-errors.js'
import type { RecordHeader } from './record-header.js'

const codecs = CodecRegistry.default()
await codecs.prepare()
const cases = javaCases()
const byName = (name: string) => cases.find((c) => c.name === name)!
const T0 = 1_700_000_000_000

const hex = (bytes: Uint8Array | null) => (bytes === null ? null : Buffer.from(bytes).toString('hex'))

/** A record as plain strings, for cheap comparisons and readable diffs; checks the byte type too. */
function describeRecord(r: {
  timestamp: number
  key: Uint8Array | null
  value: Uint8Array | null
  headers: RecordHeader[]
}) {
  for (const bytes of [r.key, r.value, ...r.headers.map((h) => h.value)]) {
    if (bytes !== null) expect(bytes.constructor).toBe(Uint8Array)
  }
  return `${r.timestamp} ${hex(r.key)} ${hex(r.value)} ${r.headers.map((h) => `${h.key}=${hex(h.value)}`).join(',')}`
}

/** Sets a 32-bit field and recomputes the CRC, so only the field is wrong. */
function patchInt32(batch: Uint8Array, offset: number, value: number): Uint8Array {
  const copy = batch.slice()
  new DataView(copy.buffer).setInt32(offset, value)
  new DataView(copy.buffer).setUint32(17, crc32cRange(copy, 21, copy.length))
  return copy
}

function smallBatch(records = 3): Uint8Array {
  const builder = new RecordBatchBuilder(new Uint8Array(1024))
  for (let i = 0; i < records; i++) builder.append(T0 + i, new Uint8Array([i]), new Uint8Array([i, i]), null)
  return builder.close().slice()
}

describe('decodeRecordBatches on Kafka-written batches', () => {
  for (const c of cases) {
    it(`decodes "${c.name}" (${c.compression}) to the records Kafka was given`, () => {
      const [batch, ...rest] = decodeRecordBatches(c.batch, { codecs })
      expect(rest).toHaveLength(0)
      expect(batch!.compression).toBe(c.compression)
      expect(batch!.magic).toBe(2)
      expect(batch!.baseOffset).toBe(c.baseOffset)
      expect(batch!.partitionLeaderEpoch).toBe(c.partitionLeaderEpoch)
      expect(batch!.producerId).toBe(c.rewrite?.producerId ?? c.producerId)
      expect(batch!.producerEpoch).toBe(c.rewrite?.producerEpoch ?? c.producerEpoch)
      expect(batch!.baseSequence).toBe(c.rewrite?.baseSequence ?? c.baseSequence)
      expect(batch!.isTransactional).toBe(c.rewrite?.isTransactional ?? c.isTransactional)
      expect(batch!.isControlBatch).toBe(c.isControlBatch)
      expect(batch!.timestampType).toBe('CreateTime')
      expect(batch!.sizeInBytes).toBe(c.batch.length)
      if (c.isControlBatch) return
      expect(batch!.recordCount).toBe(c.records.length)
      expect(batch!.lastOffsetDelta).toBe(c.records.length - 1)
      expect(batch!.baseTimestamp).toBe(c.records[0]!.timestamp)
      expect(batch!.maxTimestamp).toBe(Math.max(...c.records.map((r) => r.timestamp)))
      expect(batch!.records.map(describeRecord)).toEqual(c.records.map(describeRecord))
      expect(batch!.records.map((r) => r.offset)).toEqual(c.records.map((_, i) => c.baseOffset + BigInt(i)))
    })
  }

  it('reads the xerial framing Java writes for snappy, in several chunks', () => {
    const c = byName('bulk-snappy')
    expect(Buffer.from(c.batch.subarray(61, 69)).toString('latin1')).toBe('\x82SNAPPY\x00')
    expect(decodeRecordBatches(c.batch, { codecs })[0]!.records).toHaveLength(1000)
  })

  it('decodes a COMMIT control batch and its end transaction marker', () => {
    const [batch] = decodeRecordBatches(byName('control-commit').batch)
    const [record] = batch!.records
    expect(record!.controlType).toBe(ControlRecordType.COMMIT)
    expect(record!.timestamp).toBe(CONTROL_CASE.timestamp)
    expect(parseEndTransactionMarker(record!.value)).toEqual({ version: 0, coordinatorEpoch: 4 })
  })

  it('numbers record sequences from the base sequence, wrapping from 2^31 - 1 to 0', () => {
    const [batch] = decodeRecordBatches(byName('sequence-wraps').batch)
    expect(batch!.records.map((r) => r.sequence)).toEqual([2147483645, 2147483646, 2147483647, 0, 1, 2])
    const [plain] = decodeRecordBatches(byName('mixed-none').batch)
    expect(plain!.records.every((r) => r.sequence === -1)).toBe(true)
  })
})

describe('decodeRecordBatches', () => {
  it('decodes concatenated batches and ignores a partial trailing batch, as a Fetch response may end', () => {
    const a = byName('idempotent-none').batch
    const b = byName('mixed-lz4').batch
    const all = new Uint8Array(a.length + b.length + 40)
    all.set(a)
    all.set(b, a.length)
    all.set(b.subarray(0, 40), a.length + b.length)
    const batches = decodeRecordBatches(all, { codecs })
    expect(batches.map((x) => x.compression)).toEqual(['none', 'lz4'])
    expect(decodeRecordBatches(all.subarray(0, a.length + 5))).toHaveLength(1)
    expect(decodeRecordBatches(new Uint8Array(0))).toEqual([])
  })

  it('uses the max timestamp for every record under LogAppendTime', () => {
    const batch = smallBatch()
    batch[22]! |= 0x08
    new DataView(batch.buffer).setUint32(17, crc32cRange(batch, 21, batch.length))
    const [decoded] = decodeRecordBatches(batch)
    expect(decoded!.timestampType).toBe('LogAppendTime')
    expect(decoded!.records.map((r) => r.timestamp)).toEqual([T0 + 2, T0 + 2, T0 + 2])
  })

  it('rejects a batch whose CRC does not match with CORRUPT_MESSAGE', () => {
    const batch = smallBatch()
    batch[batch.length - 2]! ^= 1 // a value byte: structurally fine, checksum wrong
    expect(() => decodeRecordBatches(batch)).toThrow(CorruptRecordError)
    try {
      decodeRecordBatches(batch)
    } catch (error) {
      expect((error as CorruptRecordError).code).toBe('CORRUPT_MESSAGE')
      expect((error as CorruptRecordError).retriable).toBe(true)
      expect((error as Error).message).toMatch(/CRC/)
    }
    expect(decodeRecordBatches(batch, { verifyCrc: false })).toHaveLength(1)
  })

  it('rejects a magic other than 2', () => {
    const batch = smallBatch()
    batch[16] = 1
    expect(() => decodeRecordBatches(batch)).toThrow(/magic 1/)
  })

  it('rejects a record count that does not match the records present', () => {
    expect(() => decodeRecordBatches(patchInt32(smallBatch(), 57, 2))).toThrow(/bytes remain after 2 records/)
    expect(() => decodeRecordBatches(patchInt32(smallBatch(), 57, 4))).toThrow(CorruptRecordError)
    expect(() => decodeRecordBatches(patchInt32(smallBatch(), 57, 1_000_000))).toThrow(/does not fit/)
  })

  it('rejects a record whose declared length disagrees with its fields', () => {
    const batch = smallBatch(1)
    // First record's length varint sits right after the header: zigzag(9) = 18; claim 10 bytes instead.
    expect(batch[61]).toBe(18)
    batch[61] = 20
    new DataView(batch.buffer).setUint32(17, crc32cRange(batch, 21, batch.length))
    expect(() => decodeRecordBatches(batch)).toThrow(CorruptRecordError)
  })

  it('reports compressed records that do not decompress as corrupt', () => {
    const c = byName('mixed-gzip')
    const batch = c.batch.slice()
    batch.fill(0x55, 70, 90)
    new DataView(batch.buffer).setUint32(17, crc32cRange(batch, 21, batch.length))
    expect(() => decodeRecordBatches(batch, { codecs })).toThrow(/gzip records do not decompress/)
  })
})

describe('validateRecordBatch', () => {
  it('returns the decoded batch when everything is consistent', () => {
    expect(validateRecordBatch(smallBatch()).records).toHaveLength(3)
  })

  it('rejects bytes that are not exactly one batch', () => {
    const batch = smallBatch()
    const longer = new Uint8Array(batch.length + 1)
    longer.set(batch)
    expect(() => validateRecordBatch(longer)).toThrow(/declares/)
    expect(() => validateRecordBatch(batch.subarray(0, 30))).toThrow(/less than the 61-byte header/)
  })

  it('rejects a lastOffsetDelta that disagrees with the record count', () => {
    expect(() => validateRecordBatch(patchInt32(smallBatch(), 23, 5))).toThrow(
      /lastOffsetDelta 5 with 3 records/,
    )
  })
})

describe('decodeRecordBatchHeader', () => {
  it('reads the header fields without touching the records', () => {
    const header = decodeRecordBatchHeader(byName('idempotent-none').batch)
    expect(header).toMatchObject({
      baseOffset: 1000n,
      partitionLeaderEpoch: 5,
      producerId: 123456789012n,
      producerEpoch: 3,
      baseSequence: 42,
      recordCount: 7,
      compression: 'none',
    })
  })
})
