import type { CompressionCodec } from './compression-codec.js'

/** The identity codec for compression type 0, so lookups by attribute id need no special case. */
export const noneCodec: CompressionCodec = {
  id: 0,
  name: 'none',
  compress: (data) => data.slice(),
  decompress: (data) => data,
}
