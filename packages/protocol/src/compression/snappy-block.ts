/**
 * Snappy raw block format (https://github.com/google/snappy/blob/main/format_description.txt), in pure
 * TypeScript. The compressor is the classic single-pass hash-table matcher: input in 64 KiB fragments, a
 * 4-byte hash lookup per probe, probing less often the longer it goes without a match (so incompressible
 * data passes quickly), and greedy match extension.
 */
import { CompressionError } from './compression-error.js'

const FRAGMENT_SIZE = 1 << 16
const MAX_TABLE_BITS = 14
/** Bytes at the end of a fragment that are never the start of a match probe (they are emitted as literals). */
const INPUT_MARGIN = 15
const MIN_MATCHABLE_FRAGMENT = 1 + 1 + INPUT_MARGIN

const TAG_LITERAL = 0
const TAG_COPY1 = 1
const TAG_COPY2 = 2

/** Reused across calls (compression is synchronous): positions within the current fragment, by hash. */
const table = new Uint16Array(1 << MAX_TABLE_BITS)

/** Worst-case compressed size of `length` input bytes (snappy's `MaxCompressedLength`). */
export function snappyMaxCompressedLength(length: number): number {
  return 32 + length + Math.floor(length / 6)
}

function load32(src: Uint8Array, i: number): number {
  return src[i]! | (src[i + 1]! << 8) | (src[i + 2]! << 16) | (src[i + 3]! << 24)
}

function writeLiteral(dst: Uint8Array, d: number, src: Uint8Array, start: number, end: number): number {
  const n = end - start - 1
  if (n < 60) {
    dst[d++] = (n << 2) | TAG_LITERAL
  } else if (n < 0x100) {
    dst[d++] = (60 << 2) | TAG_LITERAL
    dst[d++] = n
  } else if (n < 0x10000) {
    dst[d++] = (61 << 2) | TAG_LITERAL
    dst[d++] = n & 0xff
    dst[d++] = n >>> 8
  } else if (n < 0x1000000) {
    dst[d++] = (62 << 2) | TAG_LITERAL
    dst[d++] = n & 0xff
    dst[d++] = (n >>> 8) & 0xff
    dst[d++] = n >>> 16
  } else {
    dst[d++] = (63 << 2) | TAG_LITERAL
    dst[d++] = n & 0xff
    dst[d++] = (n >>> 8) & 0xff
    dst[d++] = (n >>> 16) & 0xff
    dst[d++] = n >>> 24
  }
  if (n >= 32) {
    dst.set(src.subarray(start, end), d)
    return d + (end - start)
  }
  for (let i = start; i < end; i++) dst[d++] = src[i]!
  return d
}

function writeCopy(dst: Uint8Array, d: number, offset: number, length: number): number {
  // A 2-byte-offset copy carries at most 64 bytes; split longer matches, never leaving a tail under 4.
  while (length >= 68) {
    dst[d++] = (63 << 2) | TAG_COPY2
    dst[d++] = offset & 0xff
    dst[d++] = offset >>> 8
    length -= 64
  }
  if (length > 64) {
    dst[d++] = (59 << 2) | TAG_COPY2
    dst[d++] = offset & 0xff
    dst[d++] = offset >>> 8
    length -= 60
  }
  if (length >= 12 || offset >= 2048) {
    dst[d++] = ((length - 1) << 2) | TAG_COPY2
    dst[d++] = offset & 0xff
    dst[d++] = offset >>> 8
  } else {
    dst[d++] = ((offset >>> 8) << 5) | ((length - 4) << 2) | TAG_COPY1
    dst[d++] = offset & 0xff
  }
  return d
}

/** Compresses one fragment `src[start, end)` (at most 64 KiB) into `dst` at `d`; returns the new `d`. */
function compressFragment(src: Uint8Array, start: number, end: number, dst: Uint8Array, d: number): number {
  const length = end - start
  if (length < MIN_MATCHABLE_FRAGMENT) return length > 0 ? writeLiteral(dst, d, src, start, end) : d
  let bits = 8
  while (bits < MAX_TABLE_BITS && 1 << bits < length) bits++
  const shift = 32 - bits
  table.fill(0, 0, 1 << bits)

  const limit = end - INPUT_MARGIN
  let nextEmit = start
  let s = start + 1
  let nextHash = Math.imul(load32(src, s), 0x1e35a7bd) >>> shift

  outer: for (;;) {
    // Probe for a 4-byte match, stepping further apart the longer nothing matches.
    let skip = 32
    let next = s
    let candidate = 0
    do {
      s = next
      const step = skip >>> 5
      next = s + step
      skip += step
      if (next > limit) break outer
      candidate = start + table[nextHash]!
      table[nextHash] = s - start
      nextHash = Math.imul(load32(src, next), 0x1e35a7bd) >>> shift
    } while (load32(src, s) !== load32(src, candidate))

    d = writeLiteral(dst, d, src, nextEmit, s)

    // Emit copies for as long as the byte after each match starts another one.
    for (;;) {
      const base = s
      let i = candidate + 4
      s += 4
      while (s < end && src[i] === src[s]) {
        i++
        s++
      }
      d = writeCopy(dst, d, base - candidate, s - base)
      nextEmit = s
      if (s >= limit) break outer
      const previous = Math.imul(load32(src, s - 1), 0x1e35a7bd) >>> shift
      table[previous] = s - 1 - start
      const current = Math.imul(load32(src, s), 0x1e35a7bd) >>> shift
      candidate = start + table[current]!
      table[current] = s - start
      if (load32(src, s) !== load32(src, candidate)) break
    }
    s++
    nextHash = Math.imul(load32(src, s), 0x1e35a7bd) >>> shift
  }
  return nextEmit < end ? writeLiteral(dst, d, src, nextEmit, end) : d
}

/** Compresses `src` into one snappy raw block (uvarint length preamble, then tagged elements). */
export function snappyCompressBlock(src: Uint8Array): Uint8Array {
  const dst = new Uint8Array(snappyMaxCompressedLength(src.length))
  let d = 0
  let n = src.length >>> 0
  while (n >= 0x80) {
    dst[d++] = (n & 0x7f) | 0x80
    n >>>= 7
  }
  dst[d++] = n
  for (let start = 0; start < src.length; start += FRAGMENT_SIZE) {
    d = compressFragment(src, start, Math.min(start + FRAGMENT_SIZE, src.length), dst, d)
  }
  return dst.subarray(0, d)
}

/** The uncompressed length a raw block declares, and where its elements start. */
export function snappyDecodedLength(
  src: Uint8Array,
  start: number,
  end: number,
): [length: number, next: number] {
  let result = 0
  let shift = 0
  let i = start
  for (;;) {
    if (i >= end || shift > 28)
      throw new CompressionError('Corrupt snappy data: bad uncompressed length preamble')
    const byte = src[i++]!
    result += (byte & 0x7f) * 2 ** shift
    if (byte < 0x80) break
    shift += 7
  }
  if (result > 0x7fffffff)
    throw new CompressionError(`Corrupt snappy data: declared length ${result} is too large`)
  return [result, i]
}

/**
 * Decompresses the raw block `src[start, end)` into `dst` at `d` (which must have room for the declared
 * length); returns the offset after the written bytes.
 */
export function snappyDecompressBlockInto(
  src: Uint8Array,
  start: number,
  end: number,
  dst: Uint8Array,
  d: number,
): number {
  const [length, first] = snappyDecodedLength(src, start, end)
  const outStart = d
  const outEnd = d + length
  if (outEnd > dst.length)
    throw new CompressionError('Corrupt snappy data: output exceeds the declared length')
  let s = first
  while (s < end) {
    const tag = src[s++]!
    let len: number
    let offset: number
    switch (tag & 3) {
      case TAG_LITERAL: {
        len = tag >>> 2
        if (len >= 60) {
          const extra = len - 59
          if (s + extra > end) throw new CompressionError('Corrupt snappy data: truncated literal length')
          len = 0
          for (let k = 0; k < extra; k++) len += src[s + k]! * 2 ** (8 * k)
          s += extra
        }
        len += 1
        if (s + len > end || d + len > outEnd)
          throw new CompressionError('Corrupt snappy data: literal overruns')
        dst.set(src.subarray(s, s + len), d)
        s += len
        d += len
        continue
      }
      case TAG_COPY1:
        if (s >= end) throw new CompressionError('Corrupt snappy data: truncated copy')
        len = 4 + ((tag >>> 2) & 7)
        offset = ((tag >>> 5) << 8) | src[s++]!
        break
      case TAG_COPY2:
        if (s + 2 > end) throw new CompressionError('Corrupt snappy data: truncated copy')
        len = 1 + (tag >>> 2)
        offset = src[s]! | (src[s + 1]! << 8)
        s += 2
        break
      default: // 4-byte offset copy (tag 3)
        if (s + 4 > end) throw new CompressionError('Corrupt snappy data: truncated copy')
        len = 1 + (tag >>> 2)
        offset = (src[s]! | (src[s + 1]! << 8) | (src[s + 2]! << 16) | (src[s + 3]! << 24)) >>> 0
        s += 4
    }
    if (offset === 0 || offset > d - outStart || d + len > outEnd) {
      throw new CompressionError(
        `Corrupt snappy data: copy of ${len} bytes at offset ${offset} is out of range`,
      )
    }
    // Byte by byte: a copy may overlap its own output (offset < length repeats a pattern).
    let from = d - offset
    if (offset >= len && len > 32) {
      dst.copyWithin(d, from, from + len)
      d += len
    } else {
      for (const stop = d + len; d < stop; ) dst[d++] = dst[from++]!
    }
  }
  if (d !== outEnd)
    throw new CompressionError(`Corrupt snappy data: ${d - outStart} bytes decoded, ${length} declared`)
  return d
}

/** Decompresses one snappy raw block. */
export function snappyDecompressBlock(src: Uint8Array): Uint8Array {
  const [length] = snappyDecodedLength(src, 0, src.length)
  const dst = new Uint8Array(length)
  snappyDecompressBlockInto(src, 0, src.length, dst, 0)
  return dst
}
