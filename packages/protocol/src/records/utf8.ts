/**
 * Allocation-free UTF-8 for record header keys: sizes and writes straight into the batch buffer, where
 * `TextEncoder.encodeInto` would need a subarray view per call. Lone surrogates become U+FFFD, as
 * `TextEncoder` and `Buffer` do.
 */

/** UTF-8 byte length of `text`. */
export function utf8Length(text: string): number {
  const length = text.length
  let bytes = length
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) continue
    if (c < 0x800) {
      bytes += 1
    } else if (c >= 0xd800 && c < 0xdc00 && i + 1 < length) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next < 0xe000) {
        bytes += 2 // two UTF-16 units, four bytes
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

/** Writes `text` as UTF-8 at `offset`; returns the offset after it. The caller sized it with `utf8Length`. */
export function writeUtf8(buffer: Uint8Array, offset: number, text: string): number {
  const length = text.length
  for (let i = 0; i < length; i++) {
    let c = text.charCodeAt(i)
    if (c < 0x80) {
      buffer[offset++] = c
    } else if (c < 0x800) {
      buffer[offset++] = 0xc0 | (c >>> 6)
      buffer[offset++] = 0x80 | (c & 0x3f)
    } else if (c >= 0xd800 && c < 0xe000) {
      const next = i + 1 < length ? text.charCodeAt(i + 1) : 0
      if (c < 0xdc00 && next >= 0xdc00 && next < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00)
        i++
        buffer[offset++] = 0xf0 | (c >>> 18)
        buffer[offset++] = 0x80 | ((c >>> 12) & 0x3f)
        buffer[offset++] = 0x80 | ((c >>> 6) & 0x3f)
        buffer[offset++] = 0x80 | (c & 0x3f)
      } else {
        buffer[offset++] = 0xef // lone surrogate: U+FFFD
        buffer[offset++] = 0xbf
        buffer[offset++] = 0xbd
      }
    } else {
      buffer[offset++] = 0xe0 | (c >>> 12)
      buffer[offset++] = 0x80 | ((c >>> 6) & 0x3f)
      buffer[offset++] = 0x80 | (c & 0x3f)
    }
  }
  return offset
}
