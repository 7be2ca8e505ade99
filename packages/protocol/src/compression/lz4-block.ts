/**
 * LZ4 block format (https://github.com/lz4/lz4/blob/dev/doc/lz4_Block_format.md) in pure TypeScript: a
 * greedy single-hash-table compressor in the style of LZ4's fast mode, and a bounds-checked decompressor.
 * Blocks are at most 64 KiB here (the frame's block maximum), so positions fit 16 bits.
 */
import { CompressionError } from './compression-error.js'

const MIN_MATCH = 4
/** The last 5 bytes of a block are always literals. */
const LAST_LITERALS = 5
/** A match may not start within the last 12 bytes of a block. */
const MF_LIMIT = 12
const MAX_OFFSET = 65535
const HASH_BITS = 12
/** Probes stay one byte apart for 2^SKIP_TRIGGER misses, then step further (LZ4's acceleration). */
const SKIP_TRIGGER = 6

/** Reused across calls (compression is synchronous): last position of each 4-byte hash in the block. */
const table = new Int32Array(1 << HASH_BITS)

/** Worst-case compressed size of `length` bytes (LZ4's `LZ4_compressBound`). */
export function lz4CompressBound(length: number): number {
  return length + Math.floor(length / 255) + 16
}

function load32(src: Uint8Array, i: number): number {
  return src[i]! | (src[i + 1]! << 8) | (src[i + 2]! << 16) | (src[i + 3]! << 24)
}

function hash(value: number): number {
  return Math.imul(value, 2654435761) >>> (32 - HASH_BITS)
}

function writeLength(dst: Uint8Array, d: number, rest: number): number {
  while (rest >= 255) {
    dst[d++] = 255
    rest -= 255
  }
  dst[d++] = rest
  return d
}

function writeLiterals(dst: Uint8Array, d: number, src: Uint8Array, start: number, end: number): number {
  if (end - start > 32) {
    dst.set(src.subarray(start, end), d)
    return d + (end - start)
  }
  for (let i = start; i < end; i++) dst[d++] = src[i]!
  return d
}

/**
 * Compresses `src[start, end)` as one LZ4 block into `dst` at `d` (room for `lz4CompressBound`); returns
 * the offset after it.
 */
export function lz4CompressBlock(
  src: Uint8Array,
  start: number,
  end: number,
  dst: Uint8Array,
  d: number,
): number {
  const length = end - start
  let anchor = start
  if (length >= MF_LIMIT + 1) {
    table.fill(-1)
    const matchLimit = end - LAST_LITERALS
    const mfLimit = end - MF_LIMIT
    let ip = start
    search: for (;;) {
      // Find a 4-byte match within 64 KiB, stepping faster after repeated misses.
      let attempts = 1 << SKIP_TRIGGER
      let ref = -1
      for (;;) {
        if (ip > mfLimit) break search
        const h = hash(load32(src, ip))
        ref = table[h]!
        table[h] = ip
        if (ref >= 0 && ip - ref <= MAX_OFFSET && load32(src, ref) === load32(src, ip)) break
        ip += attempts++ >>> SKIP_TRIGGER
      }
      // Extend backwards over equal bytes not yet emitted, then forwards.
      while (ip > anchor && ref > start && src[ip - 1] === src[ref - 1]) {
        ip--
        ref--
      }
      let matchEnd = ip + MIN_MATCH
      let r = ref + MIN_MATCH
      while (matchEnd < matchLimit && src[matchEnd] === src[r]) {
        matchEnd++
        r++
      }
      const literalLength = ip - anchor
      const matchLength = matchEnd - ip - MIN_MATCH
      dst[d++] = (Math.min(literalLength, 15) << 4) | Math.min(matchLength, 15)
      if (literalLength >= 15) d = writeLength(dst, d, literalLength - 15)
      d = writeLiterals(dst, d, src, anchor, ip)
      const offset = ip - ref
      dst[d++] = offset & 0xff
      dst[d++] = offset >>> 8
      if (matchLength >= 15) d = writeLength(dst, d, matchLength - 15)
      ip = matchEnd
      anchor = ip
      if (ip > mfLimit) break
      table[hash(load32(src, ip - 2))] = ip - 2
    }
  }
  const literalLength = end - anchor
  dst[d++] = Math.min(literalLength, 15) << 4
  if (literalLength >= 15) d = writeLength(dst, d, literalLength - 15)
  dst.set(src.subarray(anchor, end), d)
  return d + literalLength
}

/**
 * Decompresses the LZ4 block `src[start, end)` into `dst` at `d`, writing at most up to `dstEnd`. Matches
 * may reach back to `dst[windowStart]` (the frame's earlier output, for linked blocks). Returns the offset
 * after the written bytes; throws `CompressionError` on malformed input.
 */
export function lz4DecompressBlock(
  src: Uint8Array,
  start: number,
  end: number,
  dst: Uint8Array,
  d: number,
  dstEnd: number,
  windowStart = d,
): number {
  let s = start
  for (;;) {
    if (s >= end) throw new CompressionError('Corrupt LZ4 block: ends without final literals')
    const token = src[s++]!
    let literalLength = token >>> 4
    if (literalLength === 15) {
      let byte: number
      do {
        if (s >= end) throw new CompressionError('Corrupt LZ4 block: truncated literal length')
        byte = src[s++]!
        literalLength += byte
      } while (byte === 255)
    }
    if (s + literalLength > end || d + literalLength > dstEnd) {
      throw new CompressionError('Corrupt LZ4 block: literals overrun the block or the output')
    }
    if (literalLength > 16) {
      dst.set(src.subarray(s, s + literalLength), d)
      d += literalLength
      s += literalLength
    } else {
      for (const stop = s + literalLength; s < stop; ) dst[d++] = src[s++]!
    }
    if (s === end) return d // the last sequence has literals only
    if (s + 2 > end) throw new CompressionError('Corrupt LZ4 block: truncated match offset')
    const offset = src[s]! | (src[s + 1]! << 8)
    s += 2
    let matchLength = (token & 15) + MIN_MATCH
    if ((token & 15) === 15) {
      let byte: number
      do {
        if (s >= end) throw new CompressionError('Corrupt LZ4 block: truncated match length')
        byte = src[s++]!
        matchLength += byte
      } while (byte === 255)
    }
    if (offset === 0 || d - offset < windowStart || d + matchLength > dstEnd) {
      throw new CompressionError(
        `Corrupt LZ4 block: match of ${matchLength} bytes at offset ${offset} is out of range`,
      )
    }
    let from = d - offset
    if (offset >= matchLength && matchLength > 32) {
      dst.copyWithin(d, from, from + matchLength)
      d += matchLength
    } else {
      // Overlapping copy: repeats the last `offset` bytes.
      for (const stop = d + matchLength; d < stop; ) dst[d++] = dst[from++]!
    }
  }
}
