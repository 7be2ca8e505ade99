import { describe, expect, it } from 'vitest'
import { JsonNumber, parseByteJson, splitLines } from './byte-json.js'

const bytes = (text: string) => new TextEncoder().encode(text)

describe('parseByteJson', () => {
  it('keeps raw non-UTF-8 bytes of strings as they are', () => {
    const input = Uint8Array.from([0x22, 0x61, 0xff, 0xc3, 0x28, 0x22]) // "a\xff\xc3("
    expect(parseByteJson(input)).toEqual(Uint8Array.from([0x61, 0xff, 0xc3, 0x28]))
  })

  it('decodes escapes into bytes, \\u escapes as UTF-8, surrogate pairs as one code point', () => {
    expect(parseByteJson(bytes('"\\u0000\\u001f\\n\\t\\"\\\\\\/"'))).toEqual(
      Uint8Array.from([0x00, 0x1f, 0x0a, 0x09, 0x22, 0x5c, 0x2f]),
    )
    expect(parseByteJson(bytes('"\\u00e9"'))).toEqual(bytes('é'))
    expect(parseByteJson(bytes('"\\ud83d\\ude00"'))).toEqual(bytes('😀'))
  })

  it('keeps numbers as text so int64 offsets lose no precision', () => {
    expect(parseByteJson(bytes('[9223372036854775807, -1.5e3]'))).toEqual([
      new JsonNumber('9223372036854775807'),
      new JsonNumber('-1.5e3'),
    ])
  })

  it('parses objects, arrays and literals with whitespace', () => {
    expect(parseByteJson(bytes(' { "a" : [ null , true , false ] , "b" : {} , "c" : [] } '))).toEqual({
      a: [null, true, false],
      b: {},
      c: [],
    })
  })

  it('rejects truncated or trailing input', () => {
    expect(() => parseByteJson(bytes('{"a":"b'))).toThrow(SyntaxError)
    expect(() => parseByteJson(bytes('{} x'))).toThrow(SyntaxError)
  })
})

describe('splitLines', () => {
  it('splits on newlines and drops empty lines', () => {
    expect(splitLines(bytes('a\n\nbc\nd')).map((l) => new TextDecoder().decode(l))).toEqual(['a', 'bc', 'd'])
  })
})
