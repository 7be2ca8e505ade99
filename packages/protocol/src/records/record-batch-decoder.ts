import { type CodecRegistry, sharedDefaultCodecs } from '../compression/codec-registry.js'
import { type CompressionName, compressionNameOf } from '../compression/compression-codec.js'
import { CompressionError } from '../compression/compression-error.js'
import { crc32cRange } from '../crc32c/crc32c.js'
import { readVarint, readVarlongNumber, type VarintCursor } from '../primitives/varint.js'
import { readInt16BE, readInt32BE, readInt64BE, readInt64NumberBE, readUint32BE } from './big-endian.js'
import { parseControlRecordKey } from './control-record.js'
import {
  ATTRIBUTES_OFFSET,
  COMPRESSION_CODEC_MASK,
  CONTROL_FLAG_MASK,
  DELETE_HORIZON_FLAG_MASK,
  LOG_OVERHEAD,
  MAGIC_VALUE_V2,
  NO_SEQUENCE,
  RECORD_BATCH_OVERHEAD,
  TIMESTAMP_TYPE_MASK,
  TRANSACTIONAL_FLAG_MASK,
} from './record-batch-layout.js'
import { CorruptRecordError } from './record-errors.js'
import type { RecordHeader } from './record-header.js'

/** Every field of a RecordBatch v2 header, with the attributes decoded. */
export interface RecordBatchHeader {
  baseOffset: bigint
  /** Bytes after the length field: `sizeInBytes - 12`. */
  batchLength: number
  /** Whole batch size in bytes. */
  sizeInBytes: number
  partitionLeaderEpoch: number
  magic: number
  /** The stored CRC32C (unsigned). */
  crc: number
  attributes: number
  compression: CompressionName
  timestampType: 'CreateTime' | 'LogAppendTime'
  isTransactional: boolean
  isControlBatch: boolean
  hasDeleteHorizonMs: boolean
  lastOffsetDelta: number
  baseTimestamp: number
  maxTimestamp: number
  producerId: bigint
  producerEpoch: number
  baseSequence: number
  recordCount: number
}

/** One record. `key`, `value` and header values are views into the input (or decompressed) bytes. */
export interface DecodedRecord {
  offset: bigint
  offsetDelta: number
  /** Epoch ms: base timestamp + delta, or the batch's max timestamp under LogAppendTime. */
  timestamp: number
  timestampDelta: number
  attributes: number
  /** Base sequence + offset delta (wrapping past 2^31 - 1), or -1 without idempotence. */
  sequence: number
  key: Uint8Array | null
  value: Uint8Array | null
  headers: RecordHeader[]
  /** In control batches only: the control record key's type (see `ControlRecordType`). */
  controlType?: number
}

export interface DecodedRecordBatch extends RecordBatchHeader {
  records: DecodedRecord[]
}

export interface DecodeRecordBatchesOptions {
  /** Codecs for compressed batches. Default: a shared `CodecRegistry.default()`. */
  codecs?: CodecRegistry
  /** Check each batch's CRC32C. Default true. */
  verifyCrc?: boolean
}

const textDecoder = new TextDecoder()

/**
 * Decodes the 61-byte header of the batch at `offset`, checking magic and the declared length against the
 * bytes present. Does not check the CRC or read records.
 */
export function decodeRecordBatchHeader(bytes: Uint8Array, offset = 0): RecordBatchHeader {
  if (bytes.length - offset < RECORD_BATCH_OVERHEAD) {
    throw new CorruptRecordError(
      `Record batch at byte ${offset} has ${bytes.length - offset} bytes, less than the ${RECORD_BATCH_OVERHEAD}-byte header`,
    )
  }
  const magic = bytes[offset + 16]!
  if (magic !== MAGIC_VALUE_V2) {
    throw new CorruptRecordError(
      `Record batch at byte ${offset} has magic ${magic}; only magic 2 (RecordBatch v2) is supported`,
    )
  }
  const batchLength = readInt32BE(bytes, offset + 8)
  const sizeInBytes = batchLength + LOG_OVERHEAD
  if (sizeInBytes < RECORD_BATCH_OVERHEAD || offset + sizeInBytes > bytes.length) {
    throw new CorruptRecordError(
      `Record batch at byte ${offset} declares length ${batchLength}; ${bytes.length - offset - LOG_OVERHEAD} bytes follow`,
    )
  }
  const attributes = readInt16BE(bytes, offset + ATTRIBUTES_OFFSET) & 0xffff
  const compression = compressionNameOf(attributes & COMPRESSION_CODEC_MASK)
  if (compression === undefined) {
    throw new CorruptRecordError(
      `Record batch at byte ${offset} has unknown compression id ${attributes & 7}`,
    )
  }
  return {
    baseOffset: readInt64BE(bytes, offset),
    batchLength,
    sizeInBytes,
    partitionLeaderEpoch: readInt32BE(bytes, offset + 12),
    magic,
    crc: readUint32BE(bytes, offset + 17),
    attributes,
    compression,
    timestampType: attributes & TIMESTAMP_TYPE_MASK ? 'LogAppendTime' : 'CreateTime',
    isTransactional: (attributes & TRANSACTIONAL_FLAG_MASK) !== 0,
    isControlBatch: (attributes & CONTROL_FLAG_MASK) !== 0,
    hasDeleteHorizonMs: (attributes & DELETE_HORIZON_FLAG_MASK) !== 0,
    lastOffsetDelta: readInt32BE(bytes, offset + 23),
    baseTimestamp: readInt64NumberBE(bytes, offset + 27),
    maxTimestamp: readInt64NumberBE(bytes, offset + 35),
    producerId: readInt64BE(bytes, offset + 43),
    producerEpoch: readInt16BE(bytes, offset + 51),
    baseSequence: readInt32BE(bytes, offset + 53),
    recordCount: readInt32BE(bytes, offset + 57),
  }
}

/** Java's `DefaultRecordBatch.incrementSequence`: sequences wrap from 2^31 - 1 to 0. */
function incrementSequence(sequence: number, increment: number): number {
  if (sequence > 0x7fffffff - increment) return increment - (0x7fffffff - sequence) - 1
  return sequence + increment
}

function readBytes(src: Uint8Array, cursor: VarintCursor, end: number, what: string): Uint8Array | null {
  const length = readVarint(src, cursor)
  if (length < 0) {
    if (length === -1) return null
    throw new CorruptRecordError(`Invalid ${what} length ${length}`)
  }
  const start = cursor.offset
  if (start + length > end) throw new CorruptRecordError(`${what} of ${length} bytes runs past its record`)
  cursor.offset = start + length
  return src.subarray(start, start + length)
}

function decodeRecords(
  src: Uint8Array,
  start: number,
  end: number,
  header: RecordBatchHeader,
): DecodedRecord[] {
  const count = header.recordCount
  if (count < 0) throw new CorruptRecordError(`Invalid record count ${count}`)
  // Each record takes at least 7 bytes; a larger count cannot be honest (and must not size an array).
  if (count > (end - start) / 7) {
    throw new CorruptRecordError(`Record count ${count} does not fit in ${end - start} bytes of records`)
  }
  const records: DecodedRecord[] = new Array(count)
  const cursor: VarintCursor = { value: 0, offset: start }
  const logAppendTime = header.timestampType === 'LogAppendTime'
  for (let i = 0; i < count; i++) {
    const bodySize = readVarint(src, cursor)
    const recordStart = cursor.offset
    const recordEnd = recordStart + bodySize
    if (bodySize < 0 || recordEnd > end) {
      throw new CorruptRecordError(`Record ${i} declares ${bodySize} bytes; only ${end - recordStart} remain`)
    }
    const attributes = src[cursor.offset++]!
    const timestampDelta = readVarlongNumber(src, cursor)
    const offsetDelta = readVarint(src, cursor)
    const key = readBytes(src, cursor, recordEnd, 'key')
    const value = readBytes(src, cursor, recordEnd, 'value')
    const headerCount = readVarint(src, cursor)
    if (headerCount < 0 || headerCount > recordEnd - cursor.offset) {
      throw new CorruptRecordError(`Invalid number of record headers ${headerCount}`)
    }
    const headers: RecordHeader[] = new Array(headerCount)
    for (let h = 0; h < headerCount; h++) {
      const keyBytes = readBytes(src, cursor, recordEnd, 'header key')
      if (keyBytes === null) throw new CorruptRecordError('Invalid null header key')
      headers[h] = {
        key: textDecoder.decode(keyBytes),
        value: readBytes(src, cursor, recordEnd, 'header value'),
      }
    }
    if (cursor.offset !== recordEnd) {
      throw new CorruptRecordError(
        `Record ${i} declares ${bodySize} bytes but its fields take ${cursor.offset - recordStart}`,
      )
    }
    const record: DecodedRecord = {
      offset: header.baseOffset + BigInt(offsetDelta),
      offsetDelta,
      timestamp: logAppendTime ? header.maxTimestamp : header.baseTimestamp + timestampDelta,
      timestampDelta,
      attributes,
      sequence: header.baseSequence >= 0 ? incrementSequence(header.baseSequence, offsetDelta) : NO_SEQUENCE,
      key,
      value,
      headers,
    }
    if (header.isControlBatch) record.controlType = parseControlRecordKey(key).type
    records[i] = record
  }
  if (cursor.offset !== end) {
    throw new CorruptRecordError(
      `Incorrect declared batch size: ${end - cursor.offset} bytes remain after ${count} records`,
    )
  }
  return records
}

function decodeBatchAt(
  bytes: Uint8Array,
  offset: number,
  options: DecodeRecordBatchesOptions,
): DecodedRecordBatch {
  const header = decodeRecordBatchHeader(bytes, offset)
  const end = offset + header.sizeInBytes
  if (options.verifyCrc !== false) {
    const computed = crc32cRange(bytes, offset + ATTRIBUTES_OFFSET, end)
    if (computed !== header.crc) {
      throw new CorruptRecordError(
        `Record batch at offset ${header.baseOffset} is corrupt: stored CRC 0x${header.crc.toString(16)}, computed 0x${computed.toString(16)}`,
      )
    }
  }
  let src = bytes
  let start = offset + RECORD_BATCH_OVERHEAD
  let stop = end
  if (header.compression !== 'none') {
    const codec = (options.codecs ?? sharedDefaultCodecs()).get(header.compression)
    try {
      src = codec.decompress(bytes.subarray(start, end))
    } catch (error) {
      if (!(error instanceof CompressionError)) throw error
      throw new CorruptRecordError(
        `Record batch at offset ${header.baseOffset}: ${header.compression} records do not decompress (${error.message})`,
        error,
      )
    }
    start = 0
    stop = src.length
  }
  let records: DecodedRecord[]
  try {
    records = decodeRecords(src, start, stop, header)
  } catch (error) {
    if (error instanceof CorruptRecordError) throw error
    // Varint readers throw RangeError when a field runs past the data.
    throw new CorruptRecordError(
      `Record batch at offset ${header.baseOffset} has a malformed record: ${(error as Error).message}`,
      error,
    )
  }
  return { ...header, records }
}

/**
 * Decodes every complete RecordBatch v2 in `bytes` (a Produce request's records, or a Fetch response's,
 * which may end with a partial batch: it is ignored, as the Java consumer does). Checks each CRC32C,
 * lengths and record structure; throws `CorruptRecordError` on any inconsistency.
 */
export function decodeRecordBatches(
  bytes: Uint8Array,
  options: DecodeRecordBatchesOptions = {},
): DecodedRecordBatch[] {
  const batches: DecodedRecordBatch[] = []
  let offset = 0
  while (bytes.length - offset >= LOG_OVERHEAD) {
    const size = readInt32BE(bytes, offset + 8) + LOG_OVERHEAD
    if (size < RECORD_BATCH_OVERHEAD) {
      throw new CorruptRecordError(
        `Record batch at byte ${offset} declares ${size} bytes, less than its header`,
      )
    }
    if (offset + size > bytes.length) break // partial trailing batch
    batches.push(decodeBatchAt(bytes, offset, options))
    offset += size
  }
  return batches
}

/**
 * Validates `bytes` as exactly one RecordBatch v2 the way a broker does before appending it: size, magic,
 * CRC32C, record structure, record count, and offset deltas 0..n-1 matching `lastOffsetDelta`. Returns
 * the decoded batch; throws `CorruptRecordError` naming what is wrong.
 */
export function validateRecordBatch(
  bytes: Uint8Array,
  options: DecodeRecordBatchesOptions = {},
): DecodedRecordBatch {
  if (bytes.length < RECORD_BATCH_OVERHEAD) {
    throw new CorruptRecordError(
      `Record batch has ${bytes.length} bytes, less than the ${RECORD_BATCH_OVERHEAD}-byte header`,
    )
  }
  const declared = readInt32BE(bytes, 8) + LOG_OVERHEAD
  if (declared !== bytes.length) {
    throw new CorruptRecordError(`Record batch declares ${declared} bytes but ${bytes.length} were given`)
  }
  const batch = decodeBatchAt(bytes, 0, options)
  if (batch.recordCount === 0) throw new CorruptRecordError('Record batch has no records')
  if (batch.lastOffsetDelta !== batch.recordCount - 1) {
    throw new CorruptRecordError(
      `Inconsistent batch: lastOffsetDelta ${batch.lastOffsetDelta} with ${batch.recordCount} records`,
    )
  }
  for (let i = 0; i < batch.records.length; i++) {
    if (batch.records[i]!.offsetDelta !== i) {
      throw new CorruptRecordError(
        `Record ${i} has offset delta ${batch.records[i]!.offsetDelta}; expected ${i}`,
      )
    }
  }
  return batch
}
