// A JSON parser over bytes whose strings stay bytes. kcat's -J output escapes control characters but copies
// every other byte of keys, values and headers verbatim, so it is not valid UTF-8 for binary data; decoding
// it as text first would corrupt those bytes. Numbers keep their text so int64 offsets survive as bigints.

export class JsonNumber {
  constructor(readonly text: string) {}
}

export type ByteJsonValue = null | boolean | JsonNumber | Uint8Array | ByteJsonValue[] | ByteJsonObject
export interface ByteJsonObject {
  [key: string]: ByteJsonValue
}

const decoder = new TextDecoder()
const encoder = new TextEncoder()

/** Parses one JSON document from `bytes`; strings come back as `Uint8Array` (object keys as UTF-8 text). */
export function parseByteJson(bytes: Uint8Array): ByteJsonValue {
  let i = 0
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at byte ${i} of ${JSON.stringify(decoder.decode(bytes.subarray(0, 200)))}`)
  }
  const space = () => {
    while (
      i < bytes.length &&
      (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)
    )
      i++
  }
  const literal = (text: string, value: ByteJsonValue): ByteJsonValue => {
    for (let k = 0; k < text.length; k++) if (bytes[i + k] !== text.charCodeAt(k)) fail(`expected ${text}`)
    i += text.length
    return value
  }
  const string = (): Uint8Array => {
    i++ // opening quote
    const out: number[] = []
    for (;;) {
      if (i >= bytes.length) fail('unterminated string')
      const b = bytes[i++]!
      if (b === 0x22) return Uint8Array.from(out)
      if (b !== 0x5c) {
        out.push(b)
        continue
      }
      const e = bytes[i++]
      if (e === 0x75) {
        let code = Number.parseInt(decoder.decode(bytes.subarray(i, i + 4)), 16)
        if (Number.isNaN(code)) fail('bad \\u escape')
        i += 4
        // a surrogate pair written as two escapes
        if (code >= 0xd800 && code < 0xdc00 && bytes[i] === 0x5c && bytes[i + 1] === 0x75) {
          const low = Number.parseInt(decoder.decode(bytes.subarray(i + 2, i + 6)), 16)
          if (low >= 0xdc00 && low < 0xe000) {
            code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00)
            i += 6
          }
        }
        out.push(...encoder.encode(String.fromCodePoint(code)))
      } else if (e === 0x62) out.push(0x08)
      else if (e === 0x66) out.push(0x0c)
      else if (e === 0x6e) out.push(0x0a)
      else if (e === 0x72) out.push(0x0d)
      else if (e === 0x74) out.push(0x09)
      else if (e === 0x22 || e === 0x5c || e === 0x2f) out.push(e)
      else fail('bad escape')
    }
  }
  const value = (): ByteJsonValue => {
    space()
    const b = bytes[i]
    if (b === 0x22) return string()
    if (b === 0x7b) {
      i++
      const object: ByteJsonObject = {}
      space()
      if (bytes[i] === 0x7d) {
        i++
        return object
      }
      for (;;) {
        space()
        if (bytes[i] !== 0x22) fail('expected a key')
        const key = decoder.decode(string())
        space()
        if (bytes[i++] !== 0x3a) fail('expected :')
        object[key] = value()
        space()
        const next = bytes[i++]
        if (next === 0x7d) return object
        if (next !== 0x2c) fail('expected , or }')
      }
    }
    if (b === 0x5b) {
      i++
      const array: ByteJsonValue[] = []
      space()
      if (bytes[i] === 0x5d) {
        i++
        return array
      }
      for (;;) {
        array.push(value())
        space()
        const next = bytes[i++]
        if (next === 0x5d) return array
        if (next !== 0x2c) fail('expected , or ]')
      }
    }
    if (b === 0x6e) return literal('null', null)
    if (b === 0x74) return literal('true', true)
    if (b === 0x66) return literal('false', false)
    const start = i
    while (i < bytes.length && /[-+0-9.eE]/.test(String.fromCharCode(bytes[i]!))) i++
    if (i === start) fail('unexpected byte')
    return new JsonNumber(decoder.decode(bytes.subarray(start, i)))
  }
  const result = value()
  space()
  if (i !== bytes.length) fail('trailing bytes')
  return result
}

/** Splits output into its non-empty lines (kcat and the Java formatter print one record per line). */
export function splitLines(bytes: Uint8Array): Uint8Array[] {
  const lines: Uint8Array[] = []
  let start = 0
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      if (i > start) lines.push(bytes.subarray(start, i))
      start = i + 1
    }
  }
  if (start < bytes.length) lines.push(bytes.subarray(start))
  return lines
}
