export { type CodecLoader, CodecRegistry, type DefaultCodecOptions } from './codec-registry.js'
export {
  type CompressionCodec,
  type CompressionId,
  type CompressionName,
  CompressionType,
  compressionNameOf,
} from './compression-codec.js'
export { CompressionCodecUnavailableError, CompressionError } from './compression-error.js'
export { createGzipCodec, type GzipCodecOptions } from './gzip-codec.js'
export { createLz4Codec, LZ4_FRAME_MAGIC, lz4CompressFrame, lz4DecompressFrame } from './lz4-codec.js'
export { noneCodec } from './none-codec.js'
export { snappyCompressBlock, snappyDecompressBlock } from './snappy-block.js'
export { createSnappyCodec, decompressXerialSnappy } from './snappy-codec.js'
export { xxhash32 } from './xxhash32.js'
export {
  createNodeZstdCodec,
  loadWasmZstdCodec,
  loadZstdCodec,
  ZSTD_WASM_PACKAGE,
  type ZstdCodecOptions,
} from './zstd-codec.js'
