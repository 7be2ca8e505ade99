/**
 * Kafka's compression types as they appear in bits 0–2 of a RecordBatch's attributes (Java's
 * `CompressionType`).
 */
export const CompressionType = {
  none: 0,
  gzip: 1,
  snappy: 2,
  lz4: 3,
  zstd: 4,
} as const

/** `'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd'` */
export type CompressionName = keyof typeof CompressionType

/** The attribute id of a compression type: 0 (none) to 4 (zstd). */
export type CompressionId = (typeof CompressionType)[CompressionName]

/** The compression name for an attribute id, or `undefined` for ids Kafka does not define (5–7). */
export function compressionNameOf(id: number): CompressionName | undefined {
  switch (id) {
    case 0:
      return 'none'
    case 1:
      return 'gzip'
    case 2:
      return 'snappy'
    case 3:
      return 'lz4'
    case 4:
      return 'zstd'
    default:
      return undefined
  }
}

/**
 * One compression algorithm, as the records section of a RecordBatch uses it. Synchronous on purpose:
 * batches are compressed when they are closed on the sender's drain pass, and decompressed while decoding.
 * A codec that needs asynchronous set-up (loading WebAssembly) does it in its registry's `prepare`.
 */
export interface CompressionCodec {
  /** The attribute id written into the batch header (1 gzip, 2 snappy, 3 lz4, 4 zstd; 0 none). */
  readonly id: CompressionId
  readonly name: CompressionName
  /** Compresses `data` into a new array. Must not keep a reference to `data`, which is pooled memory. */
  compress(data: Uint8Array): Uint8Array
  /** Decompresses `data`; throws `CompressionError` on malformed input. */
  decompress(data: Uint8Array): Uint8Array
}
