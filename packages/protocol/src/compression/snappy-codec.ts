import type { CompressionCodec } from './compression-codec.js'
import { CompressionError } from './compression-error.js'
import {
  snappyCompressBlock,
  snappyDecodedLength,
  snappyDecompressBlock,
  snappyDecompressBlockInto,
} from './snappy-block.js'

/**
 * snappy-java's stream header (`SnappyOutputStream`, "xerial" framing): 0x82 "SNAPPY" 0x00, then version
 * and compatible version as big-endian int32s, then chunks of [int32 BE length][raw block]. The Java
 * producer writes this framing; librdkafka, franz-go and we write one raw block, which Java's
 * `SnappyInputStream` also reads.
 */
const XERIAL_MAGIC = [0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]
const XERIAL_HEADER_SIZE = 16

function isXerialFramed(data: Uint8Array): boolean {
  if (data.length < XERIAL_HEADER_SIZE) return false
  for (let i = 0; i < XERIAL_MAGIC.length; i++) if (data[i] !== XERIAL_MAGIC[i]) return false
  return true
}

function readInt32BE(data: Uint8Array, i: number): number {
  return ((data[i]! << 24) | (data[i + 1]! << 16) | (data[i + 2]! << 8) | data[i + 3]!) >>> 0
}

/** Decompresses xerial-framed snappy (what Java's `SnappyOutputStream` writes). */
export function decompressXerialSnappy(data: Uint8Array): Uint8Array {
  // First pass: validate chunk bounds and sum declared lengths, so the output is allocated once.
  let total = 0
  for (let p = XERIAL_HEADER_SIZE; p < data.length; ) {
    if (p + 4 > data.length) throw new CompressionError('Corrupt xerial snappy data: truncated chunk length')
    const size = readInt32BE(data, p)
    p += 4
    if (p + size > data.length)
      throw new CompressionError('Corrupt xerial snappy data: chunk runs past the end')
    total += snappyDecodedLength(data, p, p + size)[0]
    p += size
  }
  const out = new Uint8Array(total)
  let d = 0
  for (let p = XERIAL_HEADER_SIZE; p < data.length; ) {
    const size = readInt32BE(data, p)
    p += 4
    d = snappyDecompressBlockInto(data, p, p + size, out, d)
    p += size
  }
  return out
}

/**
 * Snappy as Kafka uses it: compresses to one raw block (as librdkafka and franz-go do; every Kafka reader
 * accepts it), decompresses both a raw block and xerial framing.
 */
export function createSnappyCodec(): CompressionCodec {
  return {
    id: 2,
    name: 'snappy',
    compress: snappyCompressBlock,
    decompress(data) {
      return isXerialFramed(data) ? decompressXerialSnappy(data) : snappyDecompressBlock(data)
    },
  }
}
