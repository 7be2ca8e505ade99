// Tagged-field sections as KIP-482 defines them: an unsigned varint count, then per field an unsigned varint
// tag, an unsigned varint size and the value, sorted by tag.
import { describe, expect, it } from 'vitest'
import { ProtocolDecodeError } from '../errors/protocol-decode-error.js'
import { Reader } from './reader.js'
import {
  checkTaggedFieldSize,
  readUnknownTaggedFields,
  type TaggedField,
  writeTaggedFieldsBefore,
  writeUnknownTaggedFields,
} from './tagged-fields.js'
import { Writer } from './writer.js'

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')

describe('tagged fields', () => {
  it('writes an empty section as a single zero byte and reads it back as undefined', () => {
    const writer = new Writer()
    writeUnknownTaggedFields(writer, undefined)
    writeUnknownTaggedFields(writer, [])
    expect(hex(writer.toUint8Array())).toBe('0000')
    const reader = new Reader(writer.toUint8Array())
    expect(readUnknownTaggedFields(reader)).toBeUndefined()
  })

  it('round-trips raw fields with their tags, sizes and bytes', () => {
    const fields: TaggedField[] = [
      { tag: 0, data: new Uint8Array([1]) },
      { tag: 200, data: new Uint8Array([2, 3]) },
    ]
    const writer = new Writer()
    writeUnknownTaggedFields(writer, fields)
    // count 2 | tag 0, size 1, 01 | tag 200 (c8 01), size 2, 02 03
    expect(hex(writer.toUint8Array())).toBe('02000101c801020203')
    expect(readUnknownTaggedFields(new Reader(writer.toUint8Array()))).toEqual(fields)
  })

  it('writes only the raw fields below a tag, so known tags can be interleaved in order', () => {
    const fields: TaggedField[] = [
      { tag: 1, data: new Uint8Array([1]) },
      { tag: 5, data: new Uint8Array([5]) },
    ]
    const writer = new Writer()
    let index = writeTaggedFieldsBefore(writer, fields, 0, 3)
    expect(index).toBe(1)
    writer.writeUnsignedVarint(3) // a known field in between
    index = writeTaggedFieldsBefore(writer, fields, index, Number.POSITIVE_INFINITY)
    expect(index).toBe(2)
    expect(hex(writer.toUint8Array())).toBe('01010103050105')
  })

  it('reports a known tagged field whose value does not fill its announced size', () => {
    const reader = new Reader(new Uint8Array([0, 0, 0]))
    reader.readInt16()
    expect(() => checkTaggedFieldSize(reader, 0, 3, 1, 'ApiVersionsResponse')).toThrow(ProtocolDecodeError)
    expect(() => checkTaggedFieldSize(reader, 0, 2, 1, 'ApiVersionsResponse')).not.toThrow()
  })
})
