/**
 * UTF-8 helpers for protocol strings. Kafka strings are short and almost always ASCII (topic names,
 * client ids), so both directions take a plain loop for ASCII and fall back to `TextEncoder`/`TextDecoder`
 * otherwise; no Node `Buffer` is needed.
 */
const encoder = new TextEncoder()
// Java's `new String(bytes, UTF_8)` replaces malformed input rather than failing; so does a non-fatal decoder.
const decoder = new TextDecoder('utf-8')

/** Bytes `value` takes in UTF-8 (a lone surrogate counts as U+FFFD, 3 bytes, as `TextEncoder` writes it). */
export function utf8ByteLength(value: string): number {
  const length = value.length
  let bytes = length
  for (let i = 0; i < length; i++) {
    const code = value.charCodeAt(i)
    if (code < 0x80) continue
    if (code < 0x800) {
      bytes += 1
    } else if (code >= 0xd800 && code <= 0xdbff && i + 1 < length) {
      const next = value.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        // a surrogate pair: two UTF-16 units, four UTF-8 bytes
        bytes += 2
        i++
      } else {
        bytes += 2
      }
    } else {
      bytes += 2
    }
  }
  return bytes
}

/**
 * Writes `value` at `offset`; `byteLength` must be `utf8ByteLength(value)` and the room must be there.
 * Returns the offset after it.
 */
export function writeUtf8(buffer: Uint8Array, offset: number, value: string, byteLength: number): number {
  if (byteLength === value.length && byteLength <= 64) {
    for (let i = 0; i < byteLength; i++) buffer[offset + i] = value.charCodeAt(i)
  } else {
    encoder.encodeInto(value, buffer.subarray(offset, offset + byteLength))
  }
  return offset + byteLength
}

/** Decodes `buffer[start, end)` as UTF-8. */
export function readUtf8(buffer: Uint8Array, start: number, end: number): string {
  const length = end - start
  if (length <= 32) {
    let result = ''
    for (let i = start; i < end; i++) {
      const byte = buffer[i]!
      if (byte >= 0x80) return decoder.decode(buffer.subarray(start, end))
      result += String.fromCharCode(byte)
    }
    return result
  }
  return decoder.decode(buffer.subarray(start, end))
}
