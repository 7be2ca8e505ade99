// Golden bytes: __fixtures__/java-record-batches.json, written by Apache Kafka's MemoryRecordsBuilder
// (kafka-clients 4.4.0) through packages/protocol/test-vectors/RecordBatchGoldens.java. Size arithmetic follows
// Java's DefaultRecord.sizeInBytes / MemoryRecordsBuilder.hasRoomFor.
import { describe, expect, it } from 'vitest'
import { CodecRegistry } from '../compression/codec-registry.js'
import { buildOurs, javaCases } from './__fixtures__/java-cases.js'
import { RecordBatchBuilder, rewriteProducerState } from './record-batch-builder.js'
import { decodeRecordBatches, validateRecordBatch } from './record-batch-decoder.js'
import { CorruptRecordError, InvalidRecordError, RecordBatchStateError } from './record-errors.js'
import type { RecordHeader } from './record-header.js'

const codecs = CodecRegistry.default()
await codecs.prepare()
const cases = javaCases()
const bytes = (text: string) => new TextEncoder().encode(text)
const T0 = 1_700_000_000_000

describe('RecordBatchBuilder against Kafka', () => {
  for (const c of cases.filter((c) => c.compression === 'none')) {
    it(`writes the same bytes as Kafka's MemoryRecordsBuilder for "${c.name}"`, () => {
      expect(Buffer.from(buildOurs(c, { codecs })).toString('hex')).toBe(Buffer.from(c.batch).toString('hex'))
    })
  }

  for (const c of cases.filter((c) => c.compression !== 'none')) {
    it(`writes a ${c.compression} batch for "${c.name}" with Kafka's header and the same records`, () => {
      const ours = validateRecordBatch(buildOurs(c, { codecs }), { codecs })
      const theirs = validateRecordBatch(c.batch, { codecs })
      const { crc: _a, batchLength: _b, sizeInBytes: _c, records: ourRecords, ...ourHeader } = ours
      const { crc: _d, batchLength: _e, sizeInBytes: _f, records: theirRecords, ...theirHeader } = theirs
      expect(ourHeader).toEqual(theirHeader)
      expect(ourRecords).toEqual(theirRecords)
    })
  }
})

describe('RecordBatchBuilder', () => {
  it('returns a view of the caller buffer when uncompressed', () => {
    const buffer = new Uint8Array(1024)
    const builder = new RecordBatchBuilder(buffer)
    builder.append(T0, bytes('k'), bytes('v'), null)
    const batch = builder.close()
    expect(batch.buffer).toBe(buffer.buffer)
    expect(batch.byteOffset).toBe(0)
    expect(builder.close()).toBe(batch)
    expect(builder.isClosed).toBe(true)
  })

  it('returns an empty array when closed with no records', () => {
    const builder = new RecordBatchBuilder(new Uint8Array(128))
    expect(builder.isEmpty).toBe(true)
    expect(builder.close().length).toBe(0)
  })

  it('returns offset deltas and tracks count, max timestamp and uncompressed bytes', () => {
    const builder = new RecordBatchBuilder(new Uint8Array(4096))
    const headers: RecordHeader[] = [{ key: 'h', value: bytes('x') }]
    let expectedSize = 61
    const timestamps = [T0 + 5, T0, T0 + 9, T0 + 2]
    timestamps.forEach((ts, i) => {
      expectedSize += RecordBatchBuilder.recordSizeInBytes(
        i,
        ts - timestamps[0]!,
        bytes(`k${i}`),
        bytes('v'),
        headers,
      )
      expect(builder.append(ts, bytes(`k${i}`), bytes('v'), headers)).toBe(i)
    })
    expect(builder.recordCount).toBe(4)
    expect(builder.maxTimestamp).toBe(T0 + 9)
    expect(builder.uncompressedBytes).toBe(expectedSize)
    expect(builder.estimatedSizeInBytes).toBe(expectedSize)
    const batch = builder.close()
    expect(batch.length).toBe(expectedSize)
    const [decoded] = decodeRecordBatches(batch)
    expect(decoded!.baseTimestamp).toBe(T0 + 5)
    expect(decoded!.maxTimestamp).toBe(T0 + 9)
    expect(decoded!.records.map((r) => r.timestamp)).toEqual(timestamps)
  })

  it('sizes the one-record upper bound as Java: header 61 + overhead 21 + key, value and headers', () => {
    expect(RecordBatchBuilder.estimateSizeInBytesUpperBound(bytes('abc'), bytes('hello'), null)).toBe(
      61 + 21 + (1 + 3) + (1 + 5) + 1,
    )
    expect(RecordBatchBuilder.estimateSizeInBytesUpperBound(null, null, [{ key: 'ü', value: null }])).toBe(
      61 + 21 + 1 + 1 + (1 + (1 + 2) + 1),
    )
  })

  it('always has room for the first record, then only while the estimate stays within writeLimit', () => {
    const value = new Uint8Array(100)
    const builder = new RecordBatchBuilder(new Uint8Array(4096), { writeLimit: 300 })
    expect(builder.hasRoomFor(T0, null, new Uint8Array(1000), null)).toBe(true)
    // length 2 + attributes 1 + deltas 1 + 1 + null key 1 + value (2 + 100) + header count 1
    expect(RecordBatchBuilder.recordSizeInBytes(0, 0, null, value, null)).toBe(109)
    builder.append(T0, null, value, null) // 61 + 109 = 170
    expect(builder.hasRoomFor(T0, null, value, null)).toBe(true) // 170 + 109 = 279 <= 300
    builder.append(T0, null, value, null)
    expect(builder.hasRoomFor(T0, null, value, null)).toBe(false) // 279 + 109 > 300
    expect(RecordBatchBuilder.recordSizeInBytes(2, 0, null, new Uint8Array(14), null)).toBe(21)
    expect(builder.hasRoomFor(T0, null, new Uint8Array(15), null)).toBe(false) // 279 + 22 > 300
    expect(builder.hasRoomFor(T0, null, new Uint8Array(14), null)).toBe(true) // 279 + 21 = 300
    expect(builder.isFull()).toBe(false)
    builder.append(T0, null, new Uint8Array(14), null)
    expect(builder.isFull()).toBe(true)
    expect(builder.hasRoomFor(T0, null, null, null)).toBe(false)
  })

  it('estimates compressed size with the ratio estimate times 1.05, in float as Java does', () => {
    const builder = new RecordBatchBuilder(new Uint8Array(4096), {
      compression: 'gzip',
      codecs,
      estimatedCompressionRatio: 0.5,
      writeLimit: 200,
    })
    const value = new Uint8Array(191)
    expect(RecordBatchBuilder.recordSizeInBytes(0, 0, null, value, null)).toBe(200)
    builder.append(T0, null, value, null)
    expect(builder.uncompressedBytes).toBe(261)
    // float32: 200 * 0.5 * 1.05f = 104.99999 → 104 (double maths would give 105)
    expect(builder.estimatedSizeInBytes).toBe(61 + 104)
    expect(builder.hasRoomFor(T0, null, new Uint8Array(28), null)).toBe(true) // 165 + 35 = 200
    expect(builder.hasRoomFor(T0, null, new Uint8Array(29), null)).toBe(false)
    builder.estimatedCompressionRatio = 0.25
    expect(builder.estimatedSizeInBytes).toBe(61 + 52)
  })

  it('reports the achieved compression ratio of the records section after close', () => {
    const builder = new RecordBatchBuilder(new Uint8Array(8192), { compression: 'lz4', codecs })
    for (let i = 0; i < 50; i++) builder.append(T0, null, bytes('the same text again and again '), null)
    expect(builder.compressionRatio).toBe(1)
    const batch = builder.close()
    expect(builder.compressionRatio).toBe(Math.fround((batch.length - 61) / (builder.uncompressedBytes - 61)))
    expect(builder.compressionRatio).toBeLessThan(0.2)
  })

  it('spills into a heap buffer when compressed records outgrow the caller buffer, leaving it to the caller', () => {
    const pooled = new Uint8Array(512)
    const builder = new RecordBatchBuilder(pooled, {
      compression: 'snappy',
      codecs,
      estimatedCompressionRatio: 0.2,
    })
    const value = bytes('compressible '.repeat(8))
    let appended = 0
    while (builder.hasRoomFor(T0, null, value, null)) {
      builder.append(T0 + appended, null, value, null)
      appended++
    }
    expect(builder.uncompressedBytes).toBeGreaterThan(pooled.length)
    const batch = builder.close()
    expect(batch.length).toBeLessThan(pooled.length)
    expect(batch.buffer).toBe(pooled.buffer) // compressed, it fits back into the pooled buffer
    const decoded = validateRecordBatch(batch, { codecs })
    expect(decoded.records).toHaveLength(appended)
    expect(
      decoded.records.every((r, i) => r.timestamp === T0 + i && Buffer.from(r.value!).equals(value)),
    ).toBe(true)
  })

  it('grows past a caller buffer too small for an uncompressed record instead of failing', () => {
    const builder = new RecordBatchBuilder(new Uint8Array(64))
    builder.append(T0, null, new Uint8Array(500).fill(7), null)
    const decoded = validateRecordBatch(builder.close())
    expect(decoded.records[0]!.value).toEqual(new Uint8Array(500).fill(7))
  })

  it('writes header keys as UTF-8, surrogate pairs as four bytes and lone surrogates as U+FFFD', () => {
    const builder = new RecordBatchBuilder(new Uint8Array(512))
    const keys = ['ascii', 'é', '€', '🙂', 'a\ud800b', '\udc00']
    builder.append(
      T0,
      null,
      null,
      keys.map((key) => ({ key, value: null })),
    )
    const [record] = validateRecordBatch(builder.close()).records
    expect(record!.headers.map((h) => h.key)).toEqual(['ascii', 'é', '€', '🙂', 'a\ufffdb', '\ufffd'])
  })

  it('writes timestamps whose delta needs more than 32 bits and the -1 "no timestamp"', () => {
    const builder = new RecordBatchBuilder(new Uint8Array(512))
    builder.append(T0, null, null, null)
    builder.append(T0 + 5_000_000_000, null, null, null)
    builder.append(-1, null, null, null)
    const decoded = validateRecordBatch(builder.close())
    expect(decoded.records.map((r) => r.timestamp)).toEqual([T0, T0 + 5_000_000_000, -1])
    expect(decoded.maxTimestamp).toBe(T0 + 5_000_000_000)
  })

  it('rejects timestamps that are not integer milliseconds >= -1', () => {
    const builder = new RecordBatchBuilder(new Uint8Array(512))
    for (const ts of [-2, 1.5, Number.NaN, 2 ** 60]) {
      expect(() => builder.append(ts, null, null, null)).toThrow(InvalidRecordError)
    }
    expect(builder.recordCount).toBe(0)
  })

  it('refuses appends and producer-state changes once closed', () => {
    const builder = new RecordBatchBuilder(new Uint8Array(512))
    builder.append(T0, null, null, null)
    builder.close()
    expect(() => builder.append(T0, null, null, null)).toThrow(RecordBatchStateError)
    expect(() => builder.setProducerState(1n, 0, 0, false)).toThrow(RecordBatchStateError)
    expect(builder.hasRoomFor(T0, null, null, null)).toBe(false)
  })

  it('refuses to close with inconsistent producer state, as Java validateProducerState does', () => {
    const make = () => {
      const b = new RecordBatchBuilder(new Uint8Array(512))
      b.append(T0, null, null, null)
      return b
    }
    const transactionalNoId = make()
    transactionalNoId.setProducerState(-1n, -1, -1, true)
    expect(() => transactionalNoId.close()).toThrow(/transactional batch without a producer id/)
    const noEpoch = make()
    noEpoch.setProducerState(5n, -1, 0, false)
    expect(() => noEpoch.close()).toThrow(/producer epoch/)
    const noSequence = make()
    noSequence.setProducerState(5n, 0, -1, false)
    expect(() => noSequence.close()).toThrow(/base sequence/)
  })

  it('rejects a buffer smaller than the batch header', () => {
    expect(() => new RecordBatchBuilder(new Uint8Array(60))).toThrow(/at least 61/)
  })
})

describe('rewriteProducerState', () => {
  it('patches producer id, epoch, sequence and the transactional flag, and recomputes the CRC', () => {
    const builder = new RecordBatchBuilder(new Uint8Array(512), { compression: 'zstd', codecs })
    builder.append(T0, bytes('k'), bytes('v'), null)
    builder.setProducerState(10n, 1, 7, false)
    const batch = builder.close()
    rewriteProducerState(batch, 10n, 2, 0, true)
    const decoded = validateRecordBatch(batch, { codecs })
    expect(decoded.producerId).toBe(10n)
    expect(decoded.producerEpoch).toBe(2)
    expect(decoded.baseSequence).toBe(0)
    expect(decoded.isTransactional).toBe(true)
    expect(decoded.compression).toBe('zstd')
  })

  it('refuses bytes that are not one whole RecordBatch v2', () => {
    expect(() => rewriteProducerState(new Uint8Array(10), 1n, 0, 0, false)).toThrow(CorruptRecordError)
    const builder = new RecordBatchBuilder(new Uint8Array(512))
    builder.append(T0, null, null, null)
    const batch = builder.close()
    expect(() => rewriteProducerState(batch.subarray(0, batch.length - 1), 1n, 0, 0, false)).toThrow(
      /header says/,
    )
  })
})
