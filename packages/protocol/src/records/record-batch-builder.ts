import { type CodecRegistry, sharedDefaultCodecs } from '../compression/codec-registry.js'
import type { CompressionCodec, CompressionName } from '../compression/compression-codec.js'
import { crc32cRange } from '../crc32c/crc32c.js'
import { sizeOfVarlongNumber, writeVarint, writeVarlongNumber } from '../primitives/varint.js'
import { readInt32BE, writeInt16BE, writeInt32BE, writeInt64BE, writeInt64NumberBE } from './big-endian.js'
import {
  ATTRIBUTES_OFFSET,
  BASE_SEQUENCE_OFFSET,
  CONTROL_FLAG_MASK,
  CRC_OFFSET,
  LOG_OVERHEAD,
  MAGIC_VALUE_V2,
  NO_PARTITION_LEADER_EPOCH,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
  NO_TIMESTAMP,
  PRODUCER_ID_OFFSET,
  RECORD_BATCH_OVERHEAD,
  TRANSACTIONAL_FLAG_MASK,
} from './record-batch-layout.js'
import { CorruptRecordError, InvalidRecordError, RecordBatchStateError } from './record-errors.js'
import type { RecordHeader } from './record-header.js'
import { estimateSizeInBytesUpperBound, recordSizeInBytes, sizeOfHeaders } from './record-size.js'
import { utf8Length, writeUtf8 } from './utf8.js'

/** Java's `COMPRESSION_RATE_ESTIMATION_FACTOR`: estimates stay 5 % pessimistic. */
const COMPRESSION_RATE_ESTIMATION_FACTOR = Math.fround(1.05)

/** Options of {@link RecordBatchBuilder}; defaults are Java's `RecordBatch.NO_*` values. */
export interface RecordBatchBuilderOptions {
  /** A compression name looked up in `codecs`, or a codec. Default `'none'`. */
  compression?: CompressionName | CompressionCodec
  /** Where `compression` names are looked up. Default: a shared `CodecRegistry.default()`. */
  codecs?: CodecRegistry
  /** Offset of the first record; the broker overwrites it. Default `0n`. */
  baseOffset?: bigint
  producerId?: bigint
  producerEpoch?: number
  baseSequence?: number
  isTransactional?: boolean
  /** Control batches carry transaction markers (attribute bit 5); records must hold control keys. */
  isControlBatch?: boolean
  partitionLeaderEpoch?: number
  /**
   * Estimated batch bytes after which `hasRoomFor` refuses further records (Java's `writeLimit`, the
   * producer's `batch.size` or the first record's upper bound). Default: the buffer's length.
   */
  writeLimit?: number
  /** Expected compressed/uncompressed ratio for this topic and codec (Java's `CompressionRatioEstimator`). Default 1. */
  estimatedCompressionRatio?: number
}

/**
 * Writes one Kafka RecordBatch v2 (magic 2) straight into a caller-provided buffer, as Java's
 * `MemoryRecordsBuilder` does: records go in uncompressed right after the 61-byte header as they are
 * appended; `close()` compresses the records section when a codec is set, then fills in the header and the
 * CRC32C. Appending allocates nothing: sizes come from the varint size functions and strings are encoded
 * in place.
 *
 * The buffer belongs to the caller (the producer's buffer pool) and stays so: if the uncompressed records
 * outgrow it, which only compression allows since `writeLimit` then counts estimated compressed bytes, the
 * builder continues in a growable heap buffer (Java's `ByteBufferOutputStream` expansion), and the caller
 * still frees the original.
 *
 * ```ts
 * const builder = new RecordBatchBuilder(new Uint8Array(16384), { compression: 'lz4' })
 * if (builder.hasRoomFor(Date.now(), key, value, null)) builder.append(Date.now(), key, value, null)
 * builder.setProducerState(producerId, epoch, sequence, false)
 * const batch = builder.close() // the bytes of one RecordBatch, ready for a Produce request
 * ```
 */
export class RecordBatchBuilder {
  /** The original, caller-owned buffer. */
  private readonly initial: Uint8Array
  /** Where records are written: `initial`, or a larger heap copy once the records outgrow it. */
  private buffer: Uint8Array
  private position = RECORD_BATCH_OVERHEAD
  private readonly codec: CompressionCodec | null
  private readonly baseOffset: bigint
  private readonly partitionLeaderEpoch: number
  private readonly isControlBatch: boolean
  private producerId: bigint
  private producerEpoch: number
  private baseSequence: number
  private isTransactional: boolean
  private readonly writeLimit: number
  private numRecords = 0
  private baseTimestamp = 0
  private maxTimestampValue = NO_TIMESTAMP
  private uncompressedRecordsSize = 0
  private built: Uint8Array | null = null
  private actualCompressionRatio = 1

  /**
   * Expected compressed/uncompressed ratio used by `hasRoomFor` and `estimatedSizeInBytes` when compressing;
   * the accumulator sets it from Java's `CompressionRatioEstimator` for the batch's topic.
   */
  estimatedCompressionRatio: number

  /** `buffer` must hold at least the 61-byte header; the batch is written from its first byte. */
  constructor(buffer: Uint8Array, options: RecordBatchBuilderOptions = {}) {
    if (buffer.length < RECORD_BATCH_OVERHEAD) {
      throw new RangeError(
        `RecordBatchBuilder buffer has ${buffer.length} bytes; it needs at least ${RECORD_BATCH_OVERHEAD} for the batch header`,
      )
    }
    this.initial = buffer
    this.buffer = buffer
    const compression = options.compression ?? 'none'
    if (typeof compression === 'string') {
      this.codec = compression === 'none' ? null : (options.codecs ?? sharedDefaultCodecs()).get(compression)
    } else {
      this.codec = compression.id === 0 ? null : compression
    }
    this.baseOffset = options.baseOffset ?? 0n
    this.producerId = options.producerId ?? NO_PRODUCER_ID
    this.producerEpoch = options.producerEpoch ?? NO_PRODUCER_EPOCH
    this.baseSequence = options.baseSequence ?? NO_SEQUENCE
    this.isTransactional = options.isTransactional ?? false
    this.isControlBatch = options.isControlBatch ?? false
    this.partitionLeaderEpoch = options.partitionLeaderEpoch ?? NO_PARTITION_LEADER_EPOCH
    this.writeLimit = options.writeLimit ?? buffer.length
    this.estimatedCompressionRatio = options.estimatedCompressionRatio ?? 1
  }

  /** Bytes one record takes in a batch (Java's `DefaultRecord.sizeInBytes`). */
  static recordSizeInBytes(
    offsetDelta: number,
    timestampDelta: number,
    key: Uint8Array | null,
    value: Uint8Array | null,
    headers: readonly RecordHeader[] | null,
  ): number {
    return recordSizeInBytes(offsetDelta, timestampDelta, key, value, headers)
  }

  /** Upper bound of a one-record batch (Java's `AbstractRecords.estimateSizeInBytesUpperBound`, magic 2). */
  static estimateSizeInBytesUpperBound(
    key: Uint8Array | null,
    value: Uint8Array | null,
    headers: readonly RecordHeader[] | null,
  ): number {
    return estimateSizeInBytesUpperBound(key, value, headers)
  }

  /** Records appended so far. */
  get recordCount(): number {
    return this.numRecords
  }

  get isEmpty(): boolean {
    return this.numRecords === 0
  }

  get isClosed(): boolean {
    return this.built !== null
  }

  /** Largest record timestamp appended, or -1 (`NO_TIMESTAMP`) while empty. */
  get maxTimestamp(): number {
    return this.maxTimestampValue
  }

  /** Header plus records before compression (Java's `uncompressedBytesWritten`). */
  get uncompressedBytes(): number {
    return RECORD_BATCH_OVERHEAD + this.uncompressedRecordsSize
  }

  /**
   * The batch's size: exact once closed; before, header plus records, the records scaled by the estimated
   * compression ratio (× 1.05) when compressing (Java's `estimatedSizeInBytes`).
   */
  get estimatedSizeInBytes(): number {
    return this.built !== null ? this.built.length : this.estimatedBytesWritten()
  }

  /**
   * Compressed/uncompressed size of the records section, known after `close()` (1 before, and without
   * compression). The accumulator feeds it to Java's `CompressionRatioEstimator.updateEstimation`.
   */
  get compressionRatio(): number {
    return this.actualCompressionRatio
  }

  /** True once the estimate reaches `writeLimit` with at least one record in (Java's `isFull`). */
  isFull(): boolean {
    return this.built !== null || (this.numRecords > 0 && this.writeLimit <= this.estimatedBytesWritten())
  }

  /**
   * Whether another record fits under `writeLimit` (Java's `MemoryRecordsBuilder.hasRoomFor`): always true
   * for the first record, so every batch can hold one; false once closed. Does not assume the record
   * compresses.
   */
  hasRoomFor(
    timestamp: number,
    key: Uint8Array | null,
    value: Uint8Array | null,
    headers: readonly RecordHeader[] | null,
  ): boolean {
    if (this.isFull()) return false
    if (this.numRecords === 0) return true
    const size = recordSizeInBytes(this.numRecords, timestamp - this.baseTimestamp, key, value, headers)
    return this.writeLimit >= this.estimatedBytesWritten() + size
  }

  /**
   * Appends a record at the next offset and returns its offset delta (0 for the first). `timestamp` is
   * epoch milliseconds (or -1 for none). Keys, values and header values are copied; the caller may reuse
   * them at once. Does not check `hasRoomFor`: the buffer grows if it has to.
   */
  append(
    timestamp: number,
    key: Uint8Array | null,
    value: Uint8Array | null,
    headers: readonly RecordHeader[] | null,
  ): number {
    if (this.built !== null) throw new RecordBatchStateError('Cannot append to a closed RecordBatchBuilder')
    checkTimestamp(timestamp)
    return this.put(timestamp, key, value, headers, false)
  }

  /**
   * `hasRoomFor` and `append` in one call that sizes the record once (the accumulator's per-record path):
   * appends and returns the offset delta, or returns -1 and changes nothing when `hasRoomFor` would be false
   * (closed, full, or the record would pass `writeLimit`). The timestamp is checked first: an invalid one
   * throws `InvalidRecordError` even when the record would not fit.
   */
  tryAppend(
    timestamp: number,
    key: Uint8Array | null,
    value: Uint8Array | null,
    headers: readonly RecordHeader[] | null,
  ): number {
    checkTimestamp(timestamp)
    return this.built !== null ? -1 : this.put(timestamp, key, value, headers, true)
  }

  /**
   * Sizes and writes the next record; with `checkRoom`, first returns -1 (nothing written) when `hasRoomFor`
   * would be false. One function, so the record is sized once and the write needs no further call.
   */
  private put(
    timestamp: number,
    key: Uint8Array | null,
    value: Uint8Array | null,
    headers: readonly RecordHeader[] | null,
    checkRoom: boolean,
  ): number {
    const offsetDelta = this.numRecords
    let timestampDelta = 0
    let estimated = 0
    if (offsetDelta === 0) {
      this.baseTimestamp = timestamp
    } else {
      timestampDelta = timestamp - this.baseTimestamp
      if (checkRoom) {
        estimated = this.estimatedBytesWritten()
        if (this.writeLimit <= estimated) return -1 // full (Java's isFull)
      }
    }
    const body = recordBodySize(offsetDelta, timestampDelta, key, value, headers)
    const size = uvarintSize(body << 1) + body
    // The first record always fits (Java's hasRoomFor); later ones must stay within writeLimit.
    if (checkRoom && offsetDelta > 0 && this.writeLimit < estimated + size) return -1

    let buffer = this.buffer
    let p = this.position
    if (p + size > buffer.length) buffer = this.grow(p + size)
    p = putUvarint(buffer, p, body << 1)
    buffer[p++] = 0 // record attributes: none defined
    p =
      timestampDelta >= -0x40 && timestampDelta < 0x40
        ? putByte(buffer, p, (timestampDelta << 1) ^ (timestampDelta >> 31))
        : writeVarlongNumber(buffer, p, timestampDelta)
    p = putUvarint(buffer, p, offsetDelta << 1)
    if (key === null) {
      buffer[p++] = 1 // zigzag(-1)
    } else {
      const keyLength = key.length
      p = putUvarint(buffer, p, keyLength << 1)
      if (keyLength > COPY_LOOP_MAX) buffer.set(key, p)
      else for (let i = 0; i < keyLength; i++) buffer[p + i] = key[i]!
      p += keyLength
    }
    if (value === null) {
      buffer[p++] = 1
    } else {
      const valueLength = value.length
      p = putUvarint(buffer, p, valueLength << 1)
      if (valueLength > COPY_LOOP_MAX) buffer.set(value, p)
      else for (let i = 0; i < valueLength; i++) buffer[p + i] = value[i]!
      p += valueLength
    }
    if (headers === null || headers.length === 0) buffer[p++] = 0
    else p = writeHeaders(buffer, p, headers)
    this.position = p
    this.numRecords = offsetDelta + 1
    this.uncompressedRecordsSize += size
    if (timestamp > this.maxTimestampValue) this.maxTimestampValue = timestamp
    return offsetDelta
  }

  /**
   * Sets the idempotence/transaction fields written at `close()` (Java's `setProducerState`); the sender
   * calls it when it drains the batch and assigns sequence numbers. Throws once closed: changing the
   * producer state of sent bytes risks duplicates (see `rewriteProducerState` for the deliberate case).
   */
  setProducerState(
    producerId: bigint,
    producerEpoch: number,
    baseSequence: number,
    isTransactional: boolean,
  ): void {
    if (this.built !== null) {
      throw new RecordBatchStateError(
        'Cannot set the producer state of a closed batch; use rewriteProducerState(batchBytes, ...) for a retry after an epoch bump',
      )
    }
    this.producerId = producerId
    this.producerEpoch = producerEpoch
    this.baseSequence = baseSequence
    this.isTransactional = isTransactional
  }

  /**
   * Compresses the records (if a codec is set), writes the header and CRC32C, and returns the batch bytes:
   * a view of the caller's buffer when they fit there (always without compression unless the buffer was
   * outgrown), else a new array. An empty builder returns an empty array. Idempotent: later calls return
   * the same bytes.
   */
  close(): Uint8Array {
    if (this.built !== null) return this.built
    this.validateProducerState()
    if (this.numRecords === 0) {
      this.built = this.initial.subarray(0, 0)
      return this.built
    }
    let out = this.buffer
    let size = this.position
    if (this.codec !== null) {
      const compressed = this.codec.compress(this.buffer.subarray(RECORD_BATCH_OVERHEAD, this.position))
      size = RECORD_BATCH_OVERHEAD + compressed.length
      out =
        size <= this.initial.length
          ? this.initial
          : size <= this.buffer.length
            ? this.buffer
            : new Uint8Array(size)
      out.set(compressed, RECORD_BATCH_OVERHEAD)
      this.actualCompressionRatio = Math.fround(compressed.length / this.uncompressedRecordsSize)
      this.buffer = out
    }
    const attributes =
      (this.codec === null ? 0 : this.codec.id) |
      (this.isTransactional ? TRANSACTIONAL_FLAG_MASK : 0) |
      (this.isControlBatch ? CONTROL_FLAG_MASK : 0)
    writeInt64BE(out, 0, this.baseOffset)
    writeInt32BE(out, 8, size - LOG_OVERHEAD)
    writeInt32BE(out, 12, this.partitionLeaderEpoch)
    out[16] = MAGIC_VALUE_V2
    writeInt16BE(out, ATTRIBUTES_OFFSET, attributes)
    writeInt32BE(out, 23, this.numRecords - 1)
    writeInt64NumberBE(out, 27, this.baseTimestamp)
    writeInt64NumberBE(out, 35, this.maxTimestampValue)
    writeProducerFields(out, this.producerId, this.producerEpoch, this.baseSequence)
    writeInt32BE(out, 57, this.numRecords)
    writeInt32BE(out, CRC_OFFSET, crc32cRange(out, ATTRIBUTES_OFFSET, size))
    this.built = out.subarray(0, size)
    return this.built
  }

  private estimatedBytesWritten(): number {
    if (this.codec === null) return RECORD_BATCH_OVERHEAD + this.uncompressedRecordsSize
    // Java computes this in float: int * float * float, truncated.
    const ratio = Math.fround(this.uncompressedRecordsSize * Math.fround(this.estimatedCompressionRatio))
    return RECORD_BATCH_OVERHEAD + Math.trunc(Math.fround(ratio * COMPRESSION_RATE_ESTIMATION_FACTOR))
  }

  private grow(needed: number): Uint8Array {
    const grown = new Uint8Array(Math.max(needed, Math.floor(this.buffer.length * 1.5) + 64))
    grown.set(this.buffer.subarray(0, this.position))
    this.buffer = grown
    return grown
  }

  private validateProducerState(): void {
    if (this.isTransactional && this.producerId === NO_PRODUCER_ID) {
      throw new RecordBatchStateError(
        'Cannot write a transactional batch without a producer id (producerId is -1)',
      )
    }
    if (this.producerId !== NO_PRODUCER_ID) {
      if (this.producerEpoch === NO_PRODUCER_EPOCH) {
        throw new RecordBatchStateError(`Producer id ${this.producerId} needs a producer epoch >= 0, got -1`)
      }
      if (this.baseSequence < 0 && !this.isControlBatch) {
        throw new RecordBatchStateError(
          `Producer id ${this.producerId} needs a base sequence >= 0, got ${this.baseSequence}`,
        )
      }
    }
  }
}

/**
 * Bytes of one record after its length varint (Java's `DefaultRecord.sizeOfBodyInBytes`): attributes,
 * timestamp delta (varlong), offset delta, key, value, headers. Sizes inline: zigzag of n >= 0 is n << 1.
 */
function recordBodySize(
  offsetDelta: number,
  timestampDelta: number,
  key: Uint8Array | null,
  value: Uint8Array | null,
  headers: readonly RecordHeader[] | null,
): number {
  const keyLength = key === null ? -1 : key.length
  const valueLength = value === null ? -1 : value.length
  return (
    1 +
    (timestampDelta >= -0x40000000 && timestampDelta < 0x40000000
      ? uvarintSize((timestampDelta << 1) ^ (timestampDelta >> 31))
      : sizeOfVarlongNumber(timestampDelta)) +
    uvarintSize(offsetDelta << 1) +
    (keyLength < 0 ? 1 : uvarintSize(keyLength << 1) + keyLength) +
    (valueLength < 0 ? 1 : uvarintSize(valueLength << 1) + valueLength) +
    (headers === null || headers.length === 0 ? 1 : sizeOfHeaders(headers))
  )
}

/** Java's record timestamp rule: epoch milliseconds as a safe integer >= 0, or -1 (`NO_TIMESTAMP`). */
function checkTimestamp(timestamp: number): void {
  if (!Number.isSafeInteger(timestamp) || timestamp < NO_TIMESTAMP) {
    throw new InvalidRecordError(
      `Invalid record timestamp ${timestamp}: expected epoch milliseconds as an integer >= 0, or -1 for none`,
    )
  }
}

/** Up to this many bytes a plain loop copies faster than `Uint8Array.prototype.set` (keys, short values). */
const COPY_LOOP_MAX = 8

/** Bytes of an unsigned varint of a non-negative int32. */
function uvarintSize(value: number): number {
  return value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x200000 ? 3 : value < 0x10000000 ? 4 : 5
}

function putByte(buffer: Uint8Array, offset: number, value: number): number {
  buffer[offset] = value
  return offset + 1
}

function putUvarint(buffer: Uint8Array, offset: number, value: number): number {
  while (value >= 0x80) {
    buffer[offset++] = (value & 0x7f) | 0x80
    value >>>= 7
  }
  buffer[offset] = value
  return offset + 1
}

function writeHeaders(buffer: Uint8Array, offset: number, headers: readonly RecordHeader[]): number {
  let p = writeVarint(buffer, offset, headers.length)
  for (let i = 0; i < headers.length; i++) {
    const header = headers[i]!
    p = writeVarint(buffer, p, utf8Length(header.key))
    p = writeUtf8(buffer, p, header.key)
    const headerValue = header.value
    if (headerValue === null) {
      buffer[p++] = 1
    } else {
      p = writeVarint(buffer, p, headerValue.length)
      buffer.set(headerValue, p)
      p += headerValue.length
    }
  }
  return p
}

function writeProducerFields(
  out: Uint8Array,
  producerId: bigint,
  producerEpoch: number,
  baseSequence: number,
): void {
  writeInt64BE(out, PRODUCER_ID_OFFSET, producerId)
  writeInt16BE(out, 51, producerEpoch)
  writeInt32BE(out, BASE_SEQUENCE_OFFSET, baseSequence)
}

/**
 * Rewrites the producer id, epoch, base sequence and transactional flag of a closed batch in place and
 * recomputes its CRC32C (Java's `reopenAndRewriteProducerState`, for retrying a batch after the producer
 * epoch was bumped). Returns `batch`.
 */
export function rewriteProducerState(
  batch: Uint8Array,
  producerId: bigint,
  producerEpoch: number,
  baseSequence: number,
  isTransactional: boolean,
): Uint8Array {
  if (batch.length < RECORD_BATCH_OVERHEAD || batch[16] !== MAGIC_VALUE_V2) {
    throw new CorruptRecordError(
      `rewriteProducerState needs a closed RecordBatch v2 (at least ${RECORD_BATCH_OVERHEAD} bytes, magic 2)`,
    )
  }
  const size = LOG_OVERHEAD + readInt32BE(batch, 8)
  if (size !== batch.length) {
    throw new CorruptRecordError(
      `rewriteProducerState got ${batch.length} bytes but the batch header says ${size}`,
    )
  }
  writeProducerFields(batch, producerId, producerEpoch, baseSequence)
  const attributes = batch[ATTRIBUTES_OFFSET + 1]!
  batch[ATTRIBUTES_OFFSET + 1] = isTransactional
    ? attributes | TRANSACTIONAL_FLAG_MASK
    : attributes & ~TRANSACTIONAL_FLAG_MASK
  writeInt32BE(batch, CRC_OFFSET, crc32cRange(batch, ATTRIBUTES_OFFSET, batch.length))
  return batch
}
