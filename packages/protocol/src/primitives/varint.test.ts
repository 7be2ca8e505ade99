// Varint vectors: protobuf's encoding as Kafka uses it (ByteUtils.writeVarint / writeUnsignedVarint in
// org.apache.kafka.common.utils, and its ByteUtilsTest expectations: 0 -> 00, 127 -> 7f, 128 -> 80 01,
// Integer.MAX_VALUE unsigned -> ff ff ff ff 07, zigzag -1 -> 01, Integer.MIN_VALUE -> ff ff ff ff 0f).
import { describe, expect, it } from 'vitest'
import {
  readUnsignedVarint,
  readVarint,
  readVarlong,
  readVarlongNumber,
  sizeOfUnsignedVarint,
  sizeOfVarint,
  sizeOfVarlong,
  sizeOfVarlongNumber,
  type VarintCursor,
  writeUnsignedVarint,
  writeVarint,
  writeVarlong,
  writeVarlongNumber,
} from './varint.js'

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')
const fromHex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'))

function encode(write: (buffer: Uint8Array, offset: number) => number): Uint8Array {
  const buffer = new Uint8Array(16)
  return buffer.subarray(0, write(buffer, 0))
}

describe('unsigned varint', () => {
  const vectors: Array<[number, string]> = [
    [0, '00'],
    [1, '01'],
    [127, '7f'],
    [128, '8001'],
    [300, 'ac02'],
    [16_383, 'ff7f'],
    [16_384, '808001'],
    [2_147_483_647, 'ffffffff07'],
    [4_294_967_295, 'ffffffff0f'],
  ]
  it.each(vectors)('writes %d as %s and reads it back', (value, bytes) => {
    expect(hex(encode((buffer, offset) => writeUnsignedVarint(buffer, offset, value)))).toBe(bytes)
    expect(sizeOfUnsignedVarint(value)).toBe(bytes.length / 2)
    const cursor: VarintCursor = { value: 0, offset: 0 }
    expect(readUnsignedVarint(fromHex(bytes), cursor)).toBe(value)
    expect(cursor.offset).toBe(bytes.length / 2)
  })

  it('rejects a sixth byte and a value overflowing 32 bits', () => {
    expect(() => readUnsignedVarint(fromHex('ffffffff10'), { value: 0, offset: 0 })).toThrow(RangeError)
    expect(() => readUnsignedVarint(fromHex('ffffffff8f01'), { value: 0, offset: 0 })).toThrow(RangeError)
  })

  it('rejects a varint cut short by the end of the buffer', () => {
    expect(() => readUnsignedVarint(fromHex('ff'), { value: 0, offset: 0 })).toThrow(RangeError)
  })
})

describe('zigzag varint', () => {
  const vectors: Array<[number, string]> = [
    [0, '00'],
    [-1, '01'],
    [1, '02'],
    [-64, '7f'],
    [64, '8001'],
    [2_147_483_647, 'feffffff0f'],
    [-2_147_483_648, 'ffffffff0f'],
  ]
  it.each(vectors)('writes %d as %s and reads it back', (value, bytes) => {
    expect(hex(encode((buffer, offset) => writeVarint(buffer, offset, value)))).toBe(bytes)
    expect(sizeOfVarint(value)).toBe(bytes.length / 2)
    expect(readVarint(fromHex(bytes), { value: 0, offset: 0 })).toBe(value)
  })
})

describe('zigzag varlong', () => {
  const vectors: Array<[bigint, string]> = [
    [0n, '00'],
    [-1n, '01'],
    [1n, '02'],
    [1_700_000_000_000n, '80a0abfef962'],
    [9_223_372_036_854_775_807n, 'feffffffffffffffff01'],
    [-9_223_372_036_854_775_808n, 'ffffffffffffffffff01'],
  ]
  it.each(vectors)('writes %d as %s and reads it back', (value, bytes) => {
    expect(hex(encode((buffer, offset) => writeVarlong(buffer, offset, value)))).toBe(bytes)
    expect(sizeOfVarlong(value)).toBe(bytes.length / 2)
    expect(readVarlong(fromHex(bytes), { value: 0, offset: 0 })).toBe(value)
  })

  it('writes safe-integer varlongs from numbers with the same bytes as from bigints', () => {
    for (const value of [
      0,
      -1,
      1,
      63,
      -64,
      2 ** 31 - 1,
      -(2 ** 31),
      2 ** 40 + 3,
      -(2 ** 45),
      Number.MAX_SAFE_INTEGER,
    ]) {
      const fromNumber = encode((buffer, offset) => writeVarlongNumber(buffer, offset, value))
      expect(hex(fromNumber)).toBe(
        hex(encode((buffer, offset) => writeVarlong(buffer, offset, BigInt(value)))),
      )
      expect(sizeOfVarlongNumber(value)).toBe(fromNumber.length)
      expect(readVarlongNumber(fromNumber, { value: 0, offset: 0 })).toBe(value)
    }
  })

  it('refuses to read a varlong beyond the safe integers as a number', () => {
    const bytes = encode((buffer, offset) => writeVarlong(buffer, offset, 2n ** 60n))
    expect(() => readVarlongNumber(bytes, { value: 0, offset: 0 })).toThrow(RangeError)
  })

  it('rejects a varlong longer than 10 bytes', () => {
    expect(() => readVarlong(fromHex('ffffffffffffffffffff01'), { value: 0, offset: 0 })).toThrow(RangeError)
  })
})
