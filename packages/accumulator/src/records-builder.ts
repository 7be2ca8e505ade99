/** A record header as `@x/protocol` writes it: a UTF-8 key and nullable bytes. */
export interface Header {
  readonly key: string
  readonly value: Uint8Array | null
}

/**
 * What a `ProducerBatch` needs from `@x/protocol`'s `RecordBatchBuilder`: append records into the batch's
 * pooled buffer, stamp producer state, and close into the final RecordBatch v2 bytes. The accumulator builds
 * them through a `RecordsBuilderFactory` (see `recordBatchBuilderFactory`), so tests and benchmarks can
 * count or fake them.
 */
export interface RecordsBuilder {
  /** Java `MemoryRecordsBuilder.hasRoomFor`: always true for the first record. */
  hasRoomFor(
    timestamp: number,
    key: Uint8Array | null,
    value: Uint8Array | null,
    headers: readonly Header[] | null,
  ): boolean
  /**
   * Optional fast path: `hasRoomFor` then `append` in one call that sizes the record once; returns the
   * offset delta, or -1 with nothing changed when there is no room. `ProducerBatch` uses it when present.
   */
  tryAppend?(
    timestamp: number,
    key: Uint8Array | null,
    value: Uint8Array | null,
    headers: readonly Header[] | null,
  ): number
  /** Appends one record; returns its offset delta. */
  append(
    timestamp: number,
    key: Uint8Array | null,
    value: Uint8Array | null,
    headers: readonly Header[] | null,
  ): number
  readonly recordCount: number
  /** Bytes the batch takes if closed now (compressed size estimated). */
  readonly estimatedSizeInBytes: number
  /** Sets producer id, epoch, base sequence and the transactional flag; before `close()`. */
  setProducerState(
    producerId: bigint,
    producerEpoch: number,
    baseSequence: number,
    isTransactional: boolean,
  ): void
  /** Finishes the batch (compression, header, CRC) and returns its bytes. */
  close(): Uint8Array
  /** Compressed / uncompressed size after `close()`; 1 without compression. */
  readonly compressionRatio: number
}

/** A decoded record, as `split` re-appends it. */
export interface DecodedRecord {
  readonly timestamp: number
  readonly key: Uint8Array | null
  readonly value: Uint8Array | null
  readonly headers: readonly Header[]
}

/**
 * Creates builders and reads closed batches back. `estimatedCompressionRatio` seeds the builder's
 * compressed-size estimate (Java `setEstimatedCompressionRatio`).
 */
export interface RecordsBuilderFactory {
  create(buffer: Uint8Array, estimatedCompressionRatio: number): RecordsBuilder
  /** Java `AbstractRecords.estimateSizeInBytesUpperBound` for a batch holding just this record. */
  estimateSizeInBytesUpperBound(
    key: Uint8Array | null,
    value: Uint8Array | null,
    headers: readonly Header[] | null,
  ): number
  /** The records of one closed batch, in offset order (for `split`). */
  decode(batchBytes: Uint8Array): Iterable<DecodedRecord>
  /** Rewrites producer state in closed batch bytes and fixes the CRC (retries after an epoch bump). */
  rewriteProducerState(
    batchBytes: Uint8Array,
    producerId: bigint,
    producerEpoch: number,
    baseSequence: number,
    isTransactional: boolean,
  ): Uint8Array
  /** Whether batches are compressed: only then does the compression-ratio estimate matter. */
  readonly compressed: boolean
}
