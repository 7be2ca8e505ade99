// The first vectors are kcat 1.7's own unit test of parse_delim (kcat.c, unittest_parse_delim).
import { describe, expect, it } from 'vitest'
import { parseKcatDelimiter } from './kcat-delimiter.js'

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1')

describe('parseKcatDelimiter', () => {
  it("reads kcat's escapes as kcat's own unit test expects", () => {
    expect(text(parseKcatDelimiter('-D', '\\n'))).toBe('\n')
    expect(text(parseKcatDelimiter('-D', '\\t\\n\\n'))).toBe('\t\n\n')
    expect(text(parseKcatDelimiter('-D', '\\x54!\\x45\\x53T'))).toBe('T!EST')
    expect(text(parseKcatDelimiter('-D', '\\x30'))).toBe('0')
  })

  it('keeps the low 8 bits of a long \\x number, as strtoul & 0xff does', () => {
    expect([...parseKcatDelimiter('-K', '\\x4142')]).toEqual([0x42])
  })

  it('takes multi-character and non-ASCII delimiters as their UTF-8 bytes', () => {
    expect([...parseKcatDelimiter('-K', '::')]).toEqual([58, 58])
    expect([...parseKcatDelimiter('-K', '→')]).toEqual([0xe2, 0x86, 0x92])
    expect([...parseKcatDelimiter('-D', '\\r\\n')]).toEqual([13, 10])
  })

  it('refuses an empty delimiter and a \\x without digits, naming the option', () => {
    expect(() => parseKcatDelimiter('-D', '')).toThrow('delimiter -D is empty')
    expect(() => parseKcatDelimiter('-K', '\\xZ')).toThrow("delimiter -K '\\xZ': \\x needs hex digits")
  })
})
