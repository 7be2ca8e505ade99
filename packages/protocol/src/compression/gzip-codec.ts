import { gunzipSync, gzipSync } from 'node:zlib'
import type { CompressionCodec } from './compression-codec.js'
import { CompressionError } from './compression-error.js'

/** A plain Uint8Array view of a Buffer's bytes, so decoded keys and values have one type whatever the codec. */
export function asUint8Array(buffer: Uint8Array): Uint8Array {
  return buffer.constructor === Uint8Array
    ? buffer
    : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length)
}

export interface GzipCodecOptions {
  /** Deflate level 1–9, or -1 for zlib's default (6). Kafka's `compression.gzip.level` default is -1 too. */
  level?: number
}

/** Gzip through `node:zlib` (Java's `GzipCompression`: a gzip member around deflate). */
export function createGzipCodec(options: GzipCodecOptions = {}): CompressionCodec {
  const level = options.level ?? -1
  if (!Number.isInteger(level) || level < -1 || level > 9) {
    throw new RangeError(`gzip level must be an integer from 1 to 9, or -1 for the default; got ${level}`)
  }
  return {
    id: 1,
    name: 'gzip',
    compress(data) {
      return asUint8Array(gzipSync(data, { level }))
    },
    decompress(data) {
      try {
        return asUint8Array(gunzipSync(data))
      } catch (error) {
        throw new CompressionError(`Corrupt gzip data: ${(error as Error).message}`, error)
      }
    },
  }
}
