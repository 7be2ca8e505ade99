import {
  type CodecRegistry,
  CompressionType,
  compressionNameOf,
  crc32cRange,
  readVarint,
  readVarlongNumber,
  type VarintCursor,
} from '@x/protocol'
import { BrokerError, type RecordError } from '../broker-error.js'

const LOG_OVERHEAD = 12
const RECORD_BATCH_OVERHEAD = 61
const ATTRIBUTES_OFFSET = 21
const CONTROL_FLAG = 0x20
const TRANSACTIONAL_FLAG = 0x10

/** The header fields of the one batch a Produce request carries for a partition. */
export interface ProducedBatch {
  readonly bytes: Uint8Array
  readonly baseOffset: bigint
  readonly magic: number
  readonly storedCrc: number
  readonly attributes: number
  readonly compressionId: number
  readonly lastOffsetDelta: number
  readonly baseTimestamp: number
  readonly maxTimestamp: number
  readonly producerId: bigint
  readonly producerEpoch: number
  readonly baseSequence: number
  readonly recordCount: number
  readonly isTransactional: boolean
  readonly isControl: boolean
}

function int16(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16)) >> 16
}

function int32(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!
}

function int64Number(bytes: Uint8Array, offset: number): number {
  return int32(bytes, offset) * 0x100000000 + (int32(bytes, offset + 4) >>> 0)
}

function int64(bytes: Uint8Array, offset: number): bigint {
  return (BigInt(int32(bytes, offset)) << 32n) | BigInt(int32(bytes, offset + 4) >>> 0)
}

/**
 * Java's `ProduceRequest.validateRecords` for v3+: the partition's records must be exactly one batch of
 * magic 2, and zstd needs v7+. Reads the header fields; checks nothing the log checks later (CRC, sizes).
 */
export function parseProducedRecords(records: Uint8Array | null, apiVersion: number): ProducedBatch {
  const bytes = records ?? new Uint8Array(0)
  const size = bytes.length >= LOG_OVERHEAD ? int32(bytes, 8) + LOG_OVERHEAD : -1
  if (size < LOG_OVERHEAD || bytes.length < size || bytes.length < 17) {
    throw new BrokerError(
      'INVALID_RECORD',
      `Produce requests with version ${apiVersion} must have at least one record batch per partition`,
    )
  }
  const magic = bytes[16]!
  if (magic !== 2) {
    throw new BrokerError(
      'INVALID_RECORD',
      `Produce requests with version ${apiVersion} are only allowed to contain record batches with magic version 2`,
    )
  }
  if (size < RECORD_BATCH_OVERHEAD) {
    throw new BrokerError(
      'CORRUPT_MESSAGE',
      `Record batch size ${size} is smaller than the minimum record overhead (${RECORD_BATCH_OVERHEAD})`,
    )
  }
  const attributes = int16(bytes, ATTRIBUTES_OFFSET) & 0xffff
  const compressionId = attributes & 0x07
  if (apiVersion < 7 && compressionId === CompressionType.zstd) {
    throw new BrokerError(
      'UNSUPPORTED_COMPRESSION_TYPE',
      `Produce requests with version ${apiVersion} are not allowed to use ZStandard compression`,
    )
  }
  if (bytes.length > size) {
    throw new BrokerError(
      'INVALID_RECORD',
      `Produce requests with version ${apiVersion} are only allowed to contain exactly one record batch per partition`,
    )
  }
  return {
    bytes,
    baseOffset: int64(bytes, 0),
    magic,
    storedCrc: int32(bytes, 17) >>> 0,
    attributes,
    compressionId,
    lastOffsetDelta: int32(bytes, 23),
    baseTimestamp: int64Number(bytes, 27),
    maxTimestamp: int64Number(bytes, 35),
    producerId: int64(bytes, 43),
    producerEpoch: int16(bytes, 51),
    baseSequence: int32(bytes, 53),
    recordCount: int32(bytes, 57),
    isTransactional: (attributes & TRANSACTIONAL_FLAG) !== 0,
    isControl: (attributes & CONTROL_FLAG) !== 0,
  }
}

/** The topic settings and broker state a batch is validated against (Java's `LogValidator` inputs). */
export interface BatchValidationOptions {
  readonly topicPartition: string
  readonly maxMessageBytes: number
  readonly segmentBytes: number
  readonly compacted: boolean
  readonly logAppendTime: boolean
  readonly timestampBeforeMaxMs: number
  readonly timestampAfterMaxMs: number
  readonly nowMs: number
  readonly codecs: CodecRegistry
  /** Walk the records (decompressing compressed batches), as the Java broker does; false checks header and CRC only. */
  readonly validateRecords: boolean
}

/**
 * What `UnifiedLog.analyzeAndValidateRecords` and `LogValidator` check before an append, in their order:
 * base offset 0, `max.message.bytes`, CRC32C, offset range against the record count, no control batches
 * from clients, a sequence when there is a producer id, each record's structure, keys on compacted topics
 * and CreateTime timestamps within `message.timestamp.{before,after}.max.ms`, then `segment.bytes`.
 * Throws `BrokerError` with Kafka's code.
 */
export function validateProducedBatch(batch: ProducedBatch, options: BatchValidationOptions): void {
  const bytes = batch.bytes
  const tp = options.topicPartition
  if (batch.baseOffset !== 0n) {
    throw new BrokerError(
      'INVALID_RECORD',
      `The baseOffset of the record batch in the append to ${tp} should be 0, but it is ${batch.baseOffset}`,
    )
  }
  if (bytes.length > options.maxMessageBytes) {
    throw new BrokerError(
      'MESSAGE_TOO_LARGE',
      `The record batch size in the append to ${tp} is ${bytes.length} bytes which exceeds the maximum configured value of ${options.maxMessageBytes}.`,
    )
  }
  const crc = crc32cRange(bytes, ATTRIBUTES_OFFSET, bytes.length)
  if (crc !== batch.storedCrc) {
    throw new BrokerError(
      'CORRUPT_MESSAGE',
      `Record batch is corrupt (stored crc = ${batch.storedCrc}, computed crc = ${crc}) in ${tp}`,
    )
  }
  if (batch.lastOffsetDelta < 0) {
    throw new BrokerError(
      'INVALID_RECORD',
      `Batch has an invalid offset range: [0, ${batch.lastOffsetDelta}]`,
    )
  }
  if (batch.lastOffsetDelta + 1 !== batch.recordCount) {
    throw new BrokerError(
      'INVALID_RECORD',
      `Inconsistent batch offset range [0, ${batch.lastOffsetDelta}] and count of records ${batch.recordCount}`,
    )
  }
  if (batch.isControl) {
    throw new BrokerError('INVALID_RECORD', 'Clients are not allowed to write control records')
  }
  if (batch.producerId >= 0n && batch.baseSequence < 0) {
    throw new BrokerError(
      'INVALID_RECORD',
      `Invalid sequence number ${batch.baseSequence} in record batch with producerId ${batch.producerId}`,
    )
  }
  if (options.validateRecords) validateRecords(batch, options)
  if (bytes.length > options.segmentBytes) {
    throw new BrokerError(
      'RECORD_LIST_TOO_LARGE',
      `Message batch size is ${bytes.length} bytes in append to partition ${tp} which exceeds the maximum configured segment size of ${options.segmentBytes}.`,
    )
  }
}

function validateRecords(batch: ProducedBatch, options: BatchValidationOptions): void {
  let src = batch.bytes
  let start = RECORD_BATCH_OVERHEAD
  let end = src.length
  if (batch.compressionId !== CompressionType.none) {
    const name = compressionNameOf(batch.compressionId)
    if (name === undefined || !options.codecs.has(name)) {
      throw new BrokerError(
        'UNSUPPORTED_COMPRESSION_TYPE',
        `Unknown or unavailable compression type id ${batch.compressionId} in ${options.topicPartition}`,
      )
    }
    try {
      src = options.codecs.get(name).decompress(src.subarray(start, end))
    } catch (error) {
      throw new BrokerError(
        'CORRUPT_MESSAGE',
        `Records of ${options.topicPartition} do not decompress with ${name}: ${(error as Error).message}`,
      )
    }
    start = 0
    end = src.length
  }
  let recordErrors: RecordError[] | undefined
  let errorName: 'INVALID_RECORD' | 'INVALID_TIMESTAMP' = 'INVALID_RECORD'
  const checkTimestamps = !options.logAppendTime
  const earliest = options.nowMs - options.timestampBeforeMaxMs
  const latest = options.nowMs + options.timestampAfterMaxMs
  const cursor: VarintCursor = { value: 0, offset: start }
  try {
    for (let index = 0; index < batch.recordCount; index++) {
      const size = readVarint(src, cursor)
      const recordStart = cursor.offset
      const recordEnd = recordStart + size
      if (size < 0 || recordEnd > end) {
        throw new BrokerError('INVALID_RECORD', `Invalid record size ${size} of record ${index}`)
      }
      cursor.offset++ // attributes
      const timestampDelta = readVarlongNumber(src, cursor)
      const offsetDelta = readVarint(src, cursor)
      const keyLength = readVarint(src, cursor)
      if (keyLength < -1) throw new BrokerError('INVALID_RECORD', `Invalid negative key size ${keyLength}`)
      if (keyLength > 0) cursor.offset += keyLength
      const valueLength = readVarint(src, cursor)
      if (valueLength < -1)
        throw new BrokerError('INVALID_RECORD', `Invalid negative value size ${valueLength}`)
      if (valueLength > 0) cursor.offset += valueLength
      const headerCount = readVarint(src, cursor)
      if (headerCount < 0)
        throw new BrokerError('INVALID_RECORD', `Found invalid number of record headers ${headerCount}`)
      for (let h = 0; h < headerCount; h++) {
        const headerKeyLength = readVarint(src, cursor)
        if (headerKeyLength < 0) {
          throw new BrokerError('INVALID_RECORD', `Invalid negative header key size ${headerKeyLength}`)
        }
        cursor.offset += headerKeyLength
        const headerValueLength = readVarint(src, cursor)
        if (headerValueLength < -1) {
          throw new BrokerError('INVALID_RECORD', `Invalid header value size ${headerValueLength}`)
        }
        if (headerValueLength > 0) cursor.offset += headerValueLength
      }
      if (cursor.offset !== recordEnd) {
        throw new BrokerError(
          'INVALID_RECORD',
          `Invalid record size: expected to read ${size} bytes in record payload, but instead read ${cursor.offset - recordStart}`,
        )
      }
      let problem: string | undefined
      if (offsetDelta !== index) {
        problem = `Record ${index} has offset delta ${offsetDelta}; expected ${index}`
      } else if (keyLength < 0 && options.compacted) {
        problem = `Compacted topic cannot accept message without key in topic partition ${options.topicPartition}.`
      } else if (checkTimestamps && batch.baseTimestamp !== -1) {
        const timestamp = batch.baseTimestamp + timestampDelta
        if (timestamp < earliest || timestamp > latest) {
          problem = `Timestamp ${timestamp} of message with offset ${index} is out of range. The timestamp should be within [${earliest}, ${latest}]`
          errorName = 'INVALID_TIMESTAMP'
        }
      }
      if (problem !== undefined) {
        recordErrors ??= []
        recordErrors.push({ batchIndex: index, message: problem })
      }
    }
  } catch (error) {
    if (error instanceof BrokerError) throw error
    throw new BrokerError(
      'INVALID_RECORD',
      `Malformed record in ${options.topicPartition}: ${(error as Error).message}`,
    )
  }
  if (cursor.offset !== end) {
    throw new BrokerError('INVALID_RECORD', 'Incorrect declared batch size, records still remaining in file')
  }
  if (recordErrors !== undefined) {
    // Kafka's LogValidator.processRecordErrors: one summary message, the record errors beside it
    const summary =
      errorName === 'INVALID_TIMESTAMP'
        ? 'One or more records have been rejected due to invalid timestamp'
        : `One or more records have been rejected due to ${recordErrors.length} record errors in total, and only showing the first three errors at most: [${recordErrors
            .slice(0, 3)
            .map((error) => `RecordError(batchIndex=${error.batchIndex}, message=${error.message})`)
            .join(', ')}]`
    throw new BrokerError(errorName, summary, recordErrors)
  }
}
