// Reads the layouts of the Kafka protocol guide's primitive types back; vectors as in writer.test.ts.
import { describe, expect, it } from 'vitest'
import { ProtocolDecodeError } from '../errors/protocol-decode-error.js'
import { Reader } from './reader.js'
import { Writer } from './writer.js'

const fromHex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'))
const reader = (text: string) => new Reader(fromHex(text))

describe('Reader', () => {
  it('reads fixed-width integers big-endian', () => {
    const r = reader(
      'fe' + 'fffe' + 'ffff' + '01020304' + 'ffffffff' + 'fffffffffffffffe' + '3ff8000000000000' + '01',
    )
    expect(r.readInt8()).toBe(-2)
    expect(r.readInt16()).toBe(-2)
    expect(r.readUInt16()).toBe(65_535)
    expect(r.readInt32()).toBe(0x01020304)
    expect(r.readUInt32()).toBe(4_294_967_295)
    expect(r.readInt64()).toBe(-2n)
    expect(r.readFloat64()).toBe(1.5)
    expect(r.readBoolean()).toBe(true)
    expect(r.remaining).toBe(0)
  })

  it('round-trips varint edge cases: 0, 127, 128, 2^31-1, -1, -2^31 and the int64 extremes', () => {
    const unsigned = [0, 127, 128, 2_147_483_647, 4_294_967_295]
    const signed = [0, 127, 128, 2_147_483_647, -1, -2_147_483_648]
    const longs = [0n, -1n, 9_223_372_036_854_775_807n, -9_223_372_036_854_775_808n]
    const writer = new Writer()
    for (const value of unsigned) writer.writeUnsignedVarint(value)
    for (const value of signed) writer.writeVarint(value)
    for (const value of longs) writer.writeVarlong(value)
    const r = new Reader(writer.toUint8Array())
    for (const value of unsigned) expect(r.readUnsignedVarint()).toBe(value)
    for (const value of signed) expect(r.readVarint()).toBe(value)
    for (const value of longs) expect(r.readVarlong()).toBe(value)
    expect(r.remaining).toBe(0)
  })

  it('rejects varints that are too long or cut short', () => {
    expect(() => reader('ffffffff10').readUnsignedVarint()).toThrow(ProtocolDecodeError)
    expect(() => reader('8080').readUnsignedVarint()).toThrow(/runs past the end/)
    expect(() => reader('ffffffffffffffffffff01').readVarlong()).toThrow(/longer than 10 bytes/)
  })

  it('reads classic and compact strings, nullable ones as null', () => {
    const r = reader('0003616263' + 'ffff' + '04616263' + '00' + '0009c3a9e282acf09f9880')
    expect(r.readString()).toBe('abc')
    expect(r.readNullableString()).toBeNull()
    expect(r.readCompactString()).toBe('abc')
    expect(r.readCompactNullableString()).toBeNull()
    expect(r.readString()).toBe('é€😀')
  })

  it('names the field when a non-nullable string arrives as null', () => {
    expect(() => reader('ffff').readString('MetadataResponse.brokers[].host')).toThrow(
      'Non-nullable string MetadataResponse.brokers[].host was serialized as null',
    )
    expect(() => reader('00').readCompactString()).toThrow(ProtocolDecodeError)
  })

  it('returns bytes and records as zero-copy views of the input', () => {
    const input = fromHex('00000003010203' + '04010203' + 'ffffffff' + '00')
    const r = new Reader(input)
    const bytes = r.readBytes()
    expect([...bytes]).toEqual([1, 2, 3])
    expect(bytes.buffer).toBe(input.buffer)
    expect(bytes.byteOffset).toBe(4)
    const compact = r.readCompactBytes()
    expect(compact.buffer).toBe(input.buffer)
    expect(r.readRecords()).toBeNull()
    expect(r.readCompactRecords()).toBeNull()
  })

  it('reads array lengths with -1 for null in both encodings', () => {
    const r = reader('00000002' + 'ffffffff' + '03' + '00')
    expect(r.readArrayLength()).toBe(2)
    expect(r.readArrayLength()).toBe(-1)
    expect(r.readCompactArrayLength()).toBe(2)
    expect(r.readCompactArrayLength()).toBe(-1)
  })

  it('reads a UUID in Kafka text form', () => {
    expect(reader('a51d8973dc1745ddad35b5eca069fa43').readUuid()).toBe('pR2Jc9wXRd2tNbXsoGn6Qw')
  })

  it('throws ProtocolDecodeError, not RangeError, when data is truncated', () => {
    expect(() => reader('0001').readInt32()).toThrow(ProtocolDecodeError)
    expect(() => reader('000561').readString()).toThrow(/Needed 5 bytes at offset 2 but only 1 remain/)
    expect(() => reader('0000000a00').readBytes()).toThrow(ProtocolDecodeError)
  })

  it('stops at its end even when the buffer goes on', () => {
    const r = new Reader(fromHex('0000000100000002'), 0, 4)
    expect(r.readInt32()).toBe(1)
    expect(() => r.readInt32()).toThrow(ProtocolDecodeError)
  })

  it('reads a Uint8Array that is a view into a larger buffer', () => {
    const backing = fromHex('ffff00000007ffff')
    expect(new Reader(backing.subarray(2, 6)).readInt32()).toBe(7)
  })
})
