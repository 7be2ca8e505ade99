// RecordBatchBuilder.tryAppend must behave exactly as hasRoomFor followed by append. Golden bytes:
// __fixtures__/java-record-batches.json, written by Apache Kafka's MemoryRecordsBuilder (kafka-clients 4.4.0)
// through packages/protocol/test-vectors/RecordBatchGoldens.java; the randomized cases compare against our own
// hasRoomFor + append, which the golden tests pin to Java.
import { describe, expect, it } from 'vitest'
import { CodecRegistry } from '../compression/codec-registry.js'
import type { CompressionName } from '../compression/compression-codec.js'
import { buildOurs, javaCases } from './__fixtures__/java-cases.js'
import { readInt64BE, writeInt64BE } from './big-endian.js'
import { RecordBatchBuilder } from './record-batch-builder.js'
import { InvalidRecordError } from './record-errors.js'
import type { RecordHeader } from './record-header.js'

const codecs = CodecRegistry.default()
await codecs.prepare()
const T0 = 1_700_000_000_000

function random(seed: number): () => number {
  let x = seed >>> 0
  return () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0
    return x / 0x100000000
  }
}

interface Input {
  timestamp: number
  key: Uint8Array | null
  value: Uint8Array | null
  headers: RecordHeader[] | null
}

function inputs(seed: number, count: number): Input[] {
  const next = random(seed)
  const bytesOf = (max: number) =>
    next() < 0.15 ? null : Uint8Array.from({ length: Math.floor(next() * max) }, () => (next() * 256) | 0)
  return Array.from({ length: count }, () => ({
    // Mostly close to T0, sometimes far before or after it (multi-byte varlong deltas), sometimes none (-1).
    timestamp: next() < 0.05 ? -1 : T0 + Math.floor((next() - 0.3) * (next() < 0.1 ? 1e10 : 200)),
    key: bytesOf(40),
    value: bytesOf(next() < 0.1 ? 3000 : 150),
    headers:
      next() < 0.7
        ? null
        : Array.from({ length: 1 + Math.floor(next() * 3) }, (_, i) => ({
            key: i === 0 ? 'trace-id' : `h${i}-é`,
            value: bytesOf(20),
          })),
  }))
}

describe('RecordBatchBuilder.tryAppend', () => {
  for (const c of javaCases().filter((c) => c.compression === 'none')) {
    it(`writes Kafka's bytes for "${c.name}"`, () => {
      const ours = buildOurs(c, { codecs, appendWith: 'tryAppend' })
      expect(Buffer.from(ours).toString('hex')).toBe(Buffer.from(c.batch).toString('hex'))
    })
  }

  for (const compression of ['none', 'lz4', 'gzip'] as CompressionName[]) {
    it(`takes and refuses the same records as hasRoomFor + append, byte for byte (${compression})`, () => {
      for (let seed = 1; seed <= 40; seed++) {
        const options = {
          compression,
          codecs,
          writeLimit: 200 + seed * 97,
          estimatedCompressionRatio: compression === 'none' ? 1 : 0.3 + seed / 100,
        }
        const a = new RecordBatchBuilder(new Uint8Array(8192), options)
        const b = new RecordBatchBuilder(new Uint8Array(8192), options)
        for (const r of inputs(seed, 300)) {
          const room = a.hasRoomFor(r.timestamp, r.key, r.value, r.headers)
          const expected = room ? a.append(r.timestamp, r.key, r.value, r.headers) : -1
          expect(b.tryAppend(r.timestamp, r.key, r.value, r.headers)).toBe(expected)
          expect(b.estimatedSizeInBytes).toBe(a.estimatedSizeInBytes)
          expect(b.isFull()).toBe(a.isFull())
        }
        expect(b.recordCount).toBe(a.recordCount)
        expect(Buffer.from(b.close()).equals(Buffer.from(a.close()))).toBe(true)
      }
    })
  }

  it('always takes the first record, refuses everything once closed, and changes nothing on refusal', () => {
    const builder = new RecordBatchBuilder(new Uint8Array(4096), { writeLimit: 100 })
    expect(builder.tryAppend(T0, null, new Uint8Array(1000), null)).toBe(0) // over writeLimit, still taken
    const size = builder.estimatedSizeInBytes
    expect(builder.tryAppend(T0, null, new Uint8Array(1), null)).toBe(-1)
    expect(builder.recordCount).toBe(1)
    expect(builder.estimatedSizeInBytes).toBe(size)
    builder.close()
    expect(builder.tryAppend(T0, null, null, null)).toBe(-1)
  })

  it('rejects an invalid timestamp even when the record would not fit', () => {
    const builder = new RecordBatchBuilder(new Uint8Array(4096), { writeLimit: 100 })
    builder.tryAppend(T0, null, new Uint8Array(1000), null)
    for (const bad of [Number.NaN, 1.5, -2, 2 ** 53]) {
      expect(() => builder.tryAppend(bad, null, null, null)).toThrow(InvalidRecordError)
    }
    expect(builder.recordCount).toBe(1)
  })
})

describe('writeInt64BE', () => {
  it('writes int64 two’s complement big-endian as DataView does, in and beyond the safe-integer range', () => {
    const values = [
      0n,
      -1n,
      1n,
      255n,
      -256n,
      2n ** 31n,
      -(2n ** 31n),
      2n ** 32n + 5n,
      BigInt(Number.MAX_SAFE_INTEGER),
      BigInt(Number.MIN_SAFE_INTEGER),
      BigInt(Number.MAX_SAFE_INTEGER) + 1n,
      BigInt(Number.MIN_SAFE_INTEGER) - 1n,
      2n ** 63n - 1n,
      -(2n ** 63n),
      0x0123456789abcdefn,
    ]
    for (const value of values) {
      const ours = new Uint8Array(10)
      writeInt64BE(ours, 1, value)
      const expected = new Uint8Array(10)
      new DataView(expected.buffer).setBigInt64(1, value)
      expect(Buffer.from(ours).toString('hex')).toBe(Buffer.from(expected).toString('hex'))
      expect(readInt64BE(ours, 1)).toBe(value)
    }
  })
})
