// Byte layouts from the Kafka protocol guide's "Protocol Primitive Types" (big-endian integers, int16-length
// STRING, int32-length BYTES, COMPACT_* with unsigned-varint length + 1, UUID as 16 bytes).
import { describe, expect, it } from 'vitest'
import { ProtocolEncodeError } from '../errors/protocol-encode-error.js'
import { Writer } from './writer.js'

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')
const written = (write: (writer: Writer) => void, capacity?: number) => {
  const writer = new Writer(capacity)
  write(writer)
  return hex(writer.toUint8Array())
}

describe('Writer', () => {
  it('writes fixed-width integers big-endian', () => {
    expect(written((w) => w.writeInt8(-2))).toBe('fe')
    expect(written((w) => w.writeInt16(-2))).toBe('fffe')
    expect(written((w) => w.writeUInt16(65_535))).toBe('ffff')
    expect(written((w) => w.writeInt32(0x01020304))).toBe('01020304')
    expect(written((w) => w.writeUInt32(4_294_967_295))).toBe('ffffffff')
    expect(written((w) => w.writeInt64(-2n))).toBe('fffffffffffffffe')
    expect(written((w) => w.writeInt64(9_223_372_036_854_775_807n))).toBe('7fffffffffffffff')
    expect(written((w) => w.writeInt64(-9_223_372_036_854_775_808n))).toBe('8000000000000000')
    expect(written((w) => w.writeFloat64(1.5))).toBe('3ff8000000000000')
    expect(written((w) => w.writeBoolean(true))).toBe('01')
    expect(written((w) => w.writeBoolean(false))).toBe('00')
  })

  it('writes varints, zigzag varints and varlongs', () => {
    expect(written((w) => w.writeUnsignedVarint(300))).toBe('ac02')
    expect(written((w) => w.writeUnsignedVarint(4_294_967_295))).toBe('ffffffff0f')
    expect(written((w) => w.writeVarint(-1))).toBe('01')
    expect(written((w) => w.writeVarint(-2_147_483_648))).toBe('ffffffff0f')
    expect(written((w) => w.writeVarlong(-9_223_372_036_854_775_808n))).toBe('ffffffffffffffffff01')
  })

  it('writes classic and compact strings, null as -1 and 0', () => {
    expect(written((w) => w.writeString('abc'))).toBe('0003616263')
    expect(written((w) => w.writeNullableString(null))).toBe('ffff')
    expect(written((w) => w.writeCompactString('abc'))).toBe('04616263')
    expect(written((w) => w.writeCompactNullableString(null))).toBe('00')
    expect(written((w) => w.writeString(''))).toBe('0000')
    expect(written((w) => w.writeCompactString(''))).toBe('01')
  })

  it('writes strings as UTF-8 with their byte length, surrogate pairs included', () => {
    // "é" is c3 a9, "€" e2 82 ac, "😀" (a surrogate pair) f0 9f 98 80
    expect(written((w) => w.writeString('é€😀'))).toBe('0009c3a9e282acf09f9880')
    expect(written((w) => w.writeCompactString('é€😀'))).toBe('0ac3a9e282acf09f9880')
    const long = `${'x'.repeat(100)}ü`
    expect(written((w) => w.writeString(long))).toBe(`0066${'78'.repeat(100)}c3bc`)
  })

  it('refuses a string longer than 32767 UTF-8 bytes', () => {
    expect(() => new Writer().writeString('é'.repeat(16_384))).toThrow(ProtocolEncodeError)
    expect(() => new Writer().writeCompactString('x'.repeat(32_768))).toThrow(/at most 32767/)
  })

  it('writes classic and compact bytes, null as -1 and 0', () => {
    const bytes = new Uint8Array([1, 2, 3])
    expect(written((w) => w.writeBytes(bytes))).toBe('00000003010203')
    expect(written((w) => w.writeNullableBytes(null))).toBe('ffffffff')
    expect(written((w) => w.writeCompactBytes(bytes))).toBe('04010203')
    expect(written((w) => w.writeCompactNullableBytes(null))).toBe('00')
  })

  it('writes array lengths: int32 with -1 for null, compact length + 1 with 0 for null', () => {
    expect(written((w) => w.writeArrayLength(2))).toBe('00000002')
    expect(written((w) => w.writeArrayLength(-1))).toBe('ffffffff')
    expect(written((w) => w.writeCompactArrayLength(2))).toBe('03')
    expect(written((w) => w.writeCompactArrayLength(-1))).toBe('00')
  })

  it('writes a UUID as its 16 bytes (Java Uuid.fromString("pR2Jc9wXRd2tNbXsoGn6Qw"))', () => {
    expect(written((w) => w.writeUuid('pR2Jc9wXRd2tNbXsoGn6Qw'))).toBe('a51d8973dc1745ddad35b5eca069fa43')
    expect(written((w) => w.writeUuid('AAAAAAAAAAAAAAAAAAAAAA'))).toBe('00'.repeat(16))
  })

  it('appends a records payload by reference: the chunk is the caller view itself', () => {
    const pooled = new Uint8Array(4096)
    const batch = pooled.subarray(100, 1100).fill(7)
    const writer = new Writer()
    writer.writeInt16(1)
    writer.writeRecords(batch)
    writer.writeInt16(2)
    const chunks = writer.toChunks()
    expect(chunks).toHaveLength(3)
    expect(chunks[1]).toBe(batch)
    expect(hex(chunks[0]!)).toBe('0001000003e8')
    expect(hex(chunks[2]!)).toBe('0002')
    expect(writer.byteLength).toBe(2 + 4 + 1000 + 2)
  })

  it('writes compact records and null records', () => {
    const batch = new Uint8Array([9, 9])
    expect(written((w) => w.writeCompactRecords(batch))).toBe('030909')
    expect(written((w) => w.writeCompactRecords(null))).toBe('00')
    expect(written((w) => w.writeRecords(null))).toBe('ffffffff')
  })

  it('grows past its initial capacity without moving bytes already handed out', () => {
    const writer = new Writer(8)
    writer.writeInt32(1)
    const mark = writer.reserveInt32()
    const first = writer.toChunks().slice()
    for (let i = 0; i < 100; i++) writer.writeInt32(i)
    writer.patchInt32(mark, 0x0a0b0c0d)
    expect(hex(first[0]!)).toBe('000000010a0b0c0d')
    const all = writer.toUint8Array()
    expect(all.length).toBe(408)
    expect(hex(all.subarray(0, 12))).toBe('000000010a0b0c0d00000000')
    expect(hex(all.subarray(404))).toBe('00000063')
  })

  it('back-patches a reserved length prefix once the size is known', () => {
    const writer = new Writer()
    const size = writer.reserveInt32()
    writer.writeString('hello')
    writer.appendReference(new Uint8Array(300))
    writer.patchInt32(size, writer.byteLength - 4)
    const bytes = writer.toUint8Array()
    expect(new DataView(bytes.buffer, bytes.byteOffset).getInt32(0)).toBe(7 + 300)
  })

  it('appends another writer by reference', () => {
    const inner = new Writer()
    inner.writeInt16(5)
    const outer = new Writer()
    outer.writeInt8(1)
    outer.append(inner)
    expect(hex(outer.toUint8Array())).toBe('010005')
    expect(outer.toChunks()[1]).toBe(inner.toChunks()[0])
  })

  it('skips empty views instead of adding empty chunks', () => {
    const writer = new Writer()
    writer.appendReference(new Uint8Array(0))
    expect(writer.toChunks()).toEqual([])
    expect(writer.byteLength).toBe(0)
  })
})
