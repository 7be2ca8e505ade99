/**
 * Variable-length integers as Kafka writes them (protobuf style, 7 bits per byte, least significant group
 * first). Offset-based and allocation-free so the record batch builder can write straight into pooled
 * memory; `Writer`/`Reader` build on these for request codecs.
 *
 * Zigzag maps signed to unsigned so small negative numbers stay short: 0→0, -1→1, 1→2, -2→3.
 * @see https://kafka.apache.org/documentation/#recordheader and KIP-482 (unsigned varints)
 */

/** Bytes an unsigned 32-bit varint takes (1–5). */
export function sizeOfUnsignedVarint(value: number): number {
  value >>>= 0
  if (value < 0x80) return 1
  if (value < 0x4000) return 2
  if (value < 0x200000) return 3
  if (value < 0x10000000) return 4
  return 5
}

/** Bytes a zigzag-encoded signed 32-bit varint takes. */
export function sizeOfVarint(value: number): number {
  return sizeOfUnsignedVarint((value << 1) ^ (value >> 31))
}

/** Writes `value` as an unsigned varint at `offset`; returns the offset after it. */
export function writeUnsignedVarint(buffer: Uint8Array, offset: number, value: number): number {
  value >>>= 0
  while (value >= 0x80) {
    buffer[offset++] = (value & 0x7f) | 0x80
    value >>>= 7
  }
  buffer[offset++] = value
  return offset
}

/** Writes a signed 32-bit `value` zigzag-encoded; returns the offset after it. */
export function writeVarint(buffer: Uint8Array, offset: number, value: number): number {
  return writeUnsignedVarint(buffer, offset, (value << 1) ^ (value >> 31))
}

/**
 * Result slot for the readers, so reading a varint allocates nothing: the value goes in `value`, the
 * offset after it in `offset`. One instance per reader/decoder; not shared across async boundaries.
 */
export interface VarintCursor {
  value: number
  offset: number
}

/** Reads an unsigned 32-bit varint at `cursor.offset`, advancing it. Throws on a varint longer than 5 bytes. */
export function readUnsignedVarint(buffer: Uint8Array, cursor: VarintCursor): number {
  let offset = cursor.offset
  let result = 0
  let shift = 0
  for (;;) {
    if (offset >= buffer.length) throw new RangeError('Varint runs past the end of the buffer')
    const byte = buffer[offset++]!
    if (shift === 28) {
      if (byte > 0x0f) throw new RangeError('Varint is longer than 5 bytes or overflows 32 bits')
      result = (result | (byte << 28)) >>> 0
      break
    }
    result |= (byte & 0x7f) << shift
    if ((byte & 0x80) === 0) break
    shift += 7
  }
  cursor.offset = offset
  cursor.value = result >>> 0
  return cursor.value
}

/** Reads a zigzag-encoded signed 32-bit varint. */
export function readVarint(buffer: Uint8Array, cursor: VarintCursor): number {
  const raw = readUnsignedVarint(buffer, cursor)
  cursor.value = (raw >>> 1) ^ -(raw & 1)
  return cursor.value
}

const BIG_0x7F = 0x7fn
const BIG_0x80 = 0x80n
const BIG_7 = 7n
const BIG_1 = 1n
const BIG_63 = 63n
const MASK_64 = (1n << 64n) - 1n

/** Bytes a zigzag-encoded signed 64-bit varlong takes. */
export function sizeOfVarlong(value: bigint): number {
  let zigzag = ((value << BIG_1) ^ (value >> BIG_63)) & MASK_64
  let bytes = 1
  while (zigzag >= BIG_0x80) {
    zigzag >>= BIG_7
    bytes++
  }
  return bytes
}

/** Writes a signed 64-bit `value` zigzag-encoded (varlong); returns the offset after it. */
export function writeVarlong(buffer: Uint8Array, offset: number, value: bigint): number {
  let zigzag = ((value << BIG_1) ^ (value >> BIG_63)) & MASK_64
  while (zigzag >= BIG_0x80) {
    buffer[offset++] = Number((zigzag & BIG_0x7F) | BIG_0x80)
    zigzag >>= BIG_7
  }
  buffer[offset++] = Number(zigzag)
  return offset
}

/**
 * Writes a signed varlong from a JS number that is a safe integer (|v| < 2^53), without BigInt: the hot
 * path for timestamp and offset deltas, which are nearly always small.
 */
export function writeVarlongNumber(buffer: Uint8Array, offset: number, value: number): number {
  if (value >= -0x40000000 && value < 0x40000000) return writeVarint(buffer, offset, value)
  // zigzag in floating point: exact for |value| < 2^52
  let zigzag = value >= 0 ? value * 2 : -value * 2 - 1
  while (zigzag >= 0x80) {
    buffer[offset++] = (zigzag % 0x80) | 0x80
    zigzag = Math.floor(zigzag / 0x80)
  }
  buffer[offset++] = zigzag
  return offset
}

/** Bytes `writeVarlongNumber` writes for `value`. */
export function sizeOfVarlongNumber(value: number): number {
  if (value >= -0x40000000 && value < 0x40000000) return sizeOfVarint(value)
  let zigzag = value >= 0 ? value * 2 : -value * 2 - 1
  let bytes = 1
  while (zigzag >= 0x80) {
    zigzag = Math.floor(zigzag / 0x80)
    bytes++
  }
  return bytes
}

/** Reads a zigzag varlong as a bigint. Throws on more than 10 bytes. */
export function readVarlong(buffer: Uint8Array, cursor: VarintCursor): bigint {
  let offset = cursor.offset
  let result = 0n
  let shift = 0n
  for (let i = 0; ; i++) {
    if (i === 10) throw new RangeError('Varlong is longer than 10 bytes')
    if (offset >= buffer.length) throw new RangeError('Varlong runs past the end of the buffer')
    const byte = buffer[offset++]!
    result |= BigInt(byte & 0x7f) << shift
    if ((byte & 0x80) === 0) break
    shift += BIG_7
  }
  cursor.offset = offset
  return (result >> BIG_1) ^ -(result & BIG_1)
}

/**
 * Reads a zigzag varlong as a number when it fits in a safe integer (the common case for deltas and
 * timestamps); falls back to BigInt maths only for values beyond 2^31.
 */
export function readVarlongNumber(buffer: Uint8Array, cursor: VarintCursor): number {
  const start = cursor.offset
  let offset = start
  let low = 0
  let shift = 0
  for (; shift < 28; shift += 7) {
    if (offset >= buffer.length) throw new RangeError('Varlong runs past the end of the buffer')
    const byte = buffer[offset++]!
    low |= (byte & 0x7f) << shift
    if ((byte & 0x80) === 0) {
      cursor.offset = offset
      cursor.value = (low >>> 1) ^ -(low & 1)
      return cursor.value
    }
  }
  cursor.offset = start
  const big = readVarlong(buffer, cursor)
  if (big > BigInt(Number.MAX_SAFE_INTEGER) || big < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`Varlong ${big} does not fit in a safe integer; use readVarlong`)
  }
  cursor.value = Number(big)
  return cursor.value
}
