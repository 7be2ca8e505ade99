import { bench, describe } from 'vitest'
import { Reader } from './reader.js'
import * as varint from './varint.js'
import { Writer } from './writer.js'

// Vitest runs modules through its SSR transform, which turns each call of an imported function into a getter
// on the module namespace; bound locals measure the functions themselves, as a bundled build calls them.
const { readUnsignedVarint, readVarint, writeUnsignedVarint, writeVarint } = varint

// 1024 values of mixed sizes (1 to 5 bytes), as record deltas and lengths look in practice.
const values = Array.from(
  { length: 1024 },
  (_, index) => (index % 5 === 0 ? index * 1_000_003 : index * 37) | 0,
)
const buffer = new Uint8Array(values.length * 5)
let encodedLength = 0
for (const value of values) encodedLength = writeVarint(buffer, encodedLength, value)
const unsignedBuffer = new Uint8Array(values.length * 5)
let unsignedLength = 0
for (const value of values) unsignedLength = writeUnsignedVarint(unsignedBuffer, unsignedLength, value >>> 0)
const cursor: varint.VarintCursor = { value: 0, offset: 0 }

describe('varint (1024 values per iteration)', () => {
  bench('writeVarint (offset-based)', () => {
    let offset = 0
    for (let i = 0; i < values.length; i++) offset = writeVarint(buffer, offset, values[i]!)
  })

  bench('readVarint (offset-based)', () => {
    cursor.offset = 0
    while (cursor.offset < encodedLength) readVarint(buffer, cursor)
  })

  bench('writeUnsignedVarint (offset-based)', () => {
    let offset = 0
    for (let i = 0; i < values.length; i++)
      offset = writeUnsignedVarint(unsignedBuffer, offset, values[i]! >>> 0)
  })

  bench('readUnsignedVarint (offset-based)', () => {
    cursor.offset = 0
    while (cursor.offset < unsignedLength) readUnsignedVarint(unsignedBuffer, cursor)
  })

  bench('Writer.writeVarint', () => {
    const writer = new Writer(values.length * 5)
    for (let i = 0; i < values.length; i++) writer.writeVarint(values[i]!)
  })

  bench('Reader.readVarint', () => {
    const reader = new Reader(buffer, 0, encodedLength)
    while (reader.remaining > 0) reader.readVarint()
  })
})
