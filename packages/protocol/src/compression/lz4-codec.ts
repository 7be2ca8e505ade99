import type { CompressionCodec } from './compression-codec.js'
import { CompressionError } from './compression-error.js'
import { lz4CompressBlock, lz4CompressBound, lz4DecompressBlock } from './lz4-block.js'
import { xxhash32 } from './xxhash32.js'

/**
 * LZ4 frame format (https://github.com/lz4/lz4/blob/dev/doc/lz4_Frame_format.md) as Kafka writes it
 * (Java's `Lz4BlockOutputStream`): magic 0x184D2204, FLG = version 1 with the block-independence flag set
 * and no block checksum, content size or content checksum; BD = 64 KiB block maximum; the header checksum
 * byte is `(XXH32(FLG, BD) >> 8) & 0xFF`. Blocks are stored raw (size high bit set) when compressing does
 * not make them smaller; an empty block ends the frame.
 *
 * KIP-57: Kafka before 0.10 computed the header checksum over the magic as well; since then (and for every
 * RecordBatch v2) the checksum follows the specification, and this decoder rejects the old one.
 */
export const LZ4_FRAME_MAGIC = 0x184d2204
const FLG_VERSION_1 = 0x40
const FLG_BLOCK_INDEPENDENCE = 0x20
const FLG_BLOCK_CHECKSUM = 0x10
const FLG_CONTENT_SIZE = 0x08
const FLG_CONTENT_CHECKSUM = 0x04
const FLG_DICT_ID = 0x01
const BD_64KB = 4 << 4
const BLOCK_SIZE = 64 * 1024
const UNCOMPRESSED_BLOCK = 0x80000000

function writeInt32LE(dst: Uint8Array, i: number, value: number): void {
  dst[i] = value & 0xff
  dst[i + 1] = (value >>> 8) & 0xff
  dst[i + 2] = (value >>> 16) & 0xff
  dst[i + 3] = value >>> 24
}

function readInt32LE(src: Uint8Array, i: number): number {
  return (src[i]! | (src[i + 1]! << 8) | (src[i + 2]! << 16) | (src[i + 3]! << 24)) >>> 0
}

/** Compresses `data` into one Kafka-compatible LZ4 frame. */
export function lz4CompressFrame(data: Uint8Array): Uint8Array {
  const blocks = Math.ceil(data.length / BLOCK_SIZE)
  const out = new Uint8Array(7 + blocks * (4 + lz4CompressBound(BLOCK_SIZE)) + 4)
  writeInt32LE(out, 0, LZ4_FRAME_MAGIC)
  out[4] = FLG_VERSION_1 | FLG_BLOCK_INDEPENDENCE
  out[5] = BD_64KB
  out[6] = (xxhash32(out, 4, 6) >>> 8) & 0xff
  let d = 7
  for (let start = 0; start < data.length; start += BLOCK_SIZE) {
    const end = Math.min(start + BLOCK_SIZE, data.length)
    const written = lz4CompressBlock(data, start, end, out, d + 4) - (d + 4)
    if (written >= end - start) {
      // Incompressible: store the block as is, flagged by the size's high bit.
      writeInt32LE(out, d, (end - start) | UNCOMPRESSED_BLOCK)
      out.set(data.subarray(start, end), d + 4)
      d += 4 + (end - start)
    } else {
      writeInt32LE(out, d, written)
      d += 4 + written
    }
  }
  writeInt32LE(out, d, 0) // end mark
  return out.subarray(0, d + 4)
}

function blockMaximumSize(bd: number): number {
  const code = (bd >>> 4) & 7
  if (code < 4 || (bd & 0x8f) !== 0)
    throw new CompressionError(`Corrupt LZ4 frame: invalid BD byte 0x${bd.toString(16)}`)
  return 1 << (2 * code + 8)
}

/**
 * Decompresses one or more concatenated LZ4 frames (skippable frames are skipped). Accepts what the spec
 * allows beyond Kafka's own output: block and content checksums (verified), a content size, and linked
 * blocks; rejects dictionary ids and a wrong header checksum.
 */
export function lz4DecompressFrame(src: Uint8Array): Uint8Array {
  let out = new Uint8Array(Math.max(64, src.length * 3))
  let d = 0
  let s = 0
  while (s < src.length) {
    if (s + 4 > src.length) throw new CompressionError('Corrupt LZ4 frame: truncated magic')
    const magic = readInt32LE(src, s)
    if (magic >>> 4 === 0x184d2a5) {
      // Skippable frame: magic, 4-byte size, payload.
      if (s + 8 > src.length) throw new CompressionError('Corrupt LZ4 frame: truncated skippable frame')
      s += 8 + readInt32LE(src, s + 4)
      continue
    }
    if (magic !== LZ4_FRAME_MAGIC) {
      throw new CompressionError(`Corrupt LZ4 frame: magic 0x${magic.toString(16)} is not 0x184d2204`)
    }
    if (s + 7 > src.length) throw new CompressionError('Corrupt LZ4 frame: truncated frame descriptor')
    const flg = src[s + 4]!
    if ((flg & 0xc0) !== FLG_VERSION_1 || (flg & 0x02) !== 0) {
      throw new CompressionError(`Corrupt LZ4 frame: unsupported FLG byte 0x${flg.toString(16)}`)
    }
    if (flg & FLG_DICT_ID) throw new CompressionError('Corrupt LZ4 frame: dictionaries are not supported')
    const maxBlock = blockMaximumSize(src[s + 5]!)
    const descriptorEnd = s + 6 + (flg & FLG_CONTENT_SIZE ? 8 : 0)
    if (descriptorEnd >= src.length)
      throw new CompressionError('Corrupt LZ4 frame: truncated frame descriptor')
    const expected = (xxhash32(src, s + 4, descriptorEnd) >>> 8) & 0xff
    if (src[descriptorEnd] !== expected) {
      const kip57 = (xxhash32(src, s, descriptorEnd) >>> 8) & 0xff
      throw new CompressionError(
        src[descriptorEnd] === kip57
          ? 'Corrupt LZ4 frame: header checksum covers the magic (the pre-KIP-57 Kafka 0.8/0.9 bug), ' +
              'which RecordBatch v2 does not allow'
          : 'Corrupt LZ4 frame: header checksum mismatch',
      )
    }
    s = descriptorEnd + 1
    const frameStart = d
    const linked = (flg & FLG_BLOCK_INDEPENDENCE) === 0
    for (;;) {
      if (s + 4 > src.length)
        throw new CompressionError('Corrupt LZ4 frame: truncated block size (no end mark)')
      const word = readInt32LE(src, s)
      s += 4
      if (word === 0) break
      const size = word & 0x7fffffff
      if (size > maxBlock || s + size > src.length) {
        throw new CompressionError(`Corrupt LZ4 frame: block of ${size} bytes overruns the frame`)
      }
      if (flg & FLG_BLOCK_CHECKSUM) {
        if (s + size + 4 > src.length)
          throw new CompressionError('Corrupt LZ4 frame: truncated block checksum')
        if (xxhash32(src, s, s + size) !== readInt32LE(src, s + size)) {
          throw new CompressionError('Corrupt LZ4 frame: block checksum mismatch')
        }
      }
      if (d + maxBlock > out.length) {
        const grown = new Uint8Array(Math.max(out.length * 2, d + maxBlock))
        grown.set(out.subarray(0, d))
        out = grown
      }
      if (word & UNCOMPRESSED_BLOCK) {
        out.set(src.subarray(s, s + size), d)
        d += size
      } else {
        d = lz4DecompressBlock(src, s, s + size, out, d, d + maxBlock, linked ? frameStart : d)
      }
      s += size + (flg & FLG_BLOCK_CHECKSUM ? 4 : 0)
    }
    if (flg & FLG_CONTENT_CHECKSUM) {
      if (s + 4 > src.length) throw new CompressionError('Corrupt LZ4 frame: truncated content checksum')
      if (xxhash32(out, frameStart, d) !== readInt32LE(src, s)) {
        throw new CompressionError('Corrupt LZ4 frame: content checksum mismatch')
      }
      s += 4
    }
  }
  return out.subarray(0, d)
}

/** LZ4 in Kafka's frame format (see `lz4CompressFrame`), pure TypeScript. */
export function createLz4Codec(): CompressionCodec {
  return { id: 3, name: 'lz4', compress: lz4CompressFrame, decompress: lz4DecompressFrame }
}
