import { sizeOfVarint, sizeOfVarlongNumber } from '../primitives/varint.js'
import { MAX_RECORD_OVERHEAD, RECORD_BATCH_OVERHEAD } from './record-batch-layout.js'
import type { RecordHeader } from './record-header.js'
import { utf8Length } from './utf8.js'

/** Bytes of a length-prefixed nullable byte field: 1 for null (varint -1), else varint length + bytes. */
function sizeOfBytes(length: number): number {
  return length < 0 ? 1 : sizeOfVarint(length) + length
}

/** Bytes of the headers section: count varint, then per header the key string and nullable value. */
export function sizeOfHeaders(headers: readonly RecordHeader[] | null): number {
  if (headers === null) return 1
  let size = sizeOfVarint(headers.length)
  for (let i = 0; i < headers.length; i++) {
    const header = headers[i]!
    const keyLength = utf8Length(header.key)
    size +=
      sizeOfVarint(keyLength) + keyLength + sizeOfBytes(header.value === null ? -1 : header.value.length)
  }
  return size
}

/** Bytes of key, value and headers (Java's `DefaultRecord.sizeOf(keySize, valueSize, headers)`). */
export function sizeOfKeyValueHeaders(
  key: Uint8Array | null,
  value: Uint8Array | null,
  headers: readonly RecordHeader[] | null,
): number {
  return (
    sizeOfBytes(key === null ? -1 : key.length) +
    sizeOfBytes(value === null ? -1 : value.length) +
    sizeOfHeaders(headers)
  )
}

/**
 * Bytes one record takes in a batch, including its length prefix (Java's `DefaultRecord.sizeInBytes`).
 * `timestampDelta` is the record's timestamp minus the batch's base (first) timestamp.
 */
export function recordSizeInBytes(
  offsetDelta: number,
  timestampDelta: number,
  key: Uint8Array | null,
  value: Uint8Array | null,
  headers: readonly RecordHeader[] | null,
): number {
  const body =
    1 +
    sizeOfVarlongNumber(timestampDelta) +
    sizeOfVarint(offsetDelta) +
    sizeOfKeyValueHeaders(key, value, headers)
  return sizeOfVarint(body) + body
}

/** Upper bound of one record's size whatever its deltas (Java's `DefaultRecord.recordSizeUpperBound`). */
export function recordSizeUpperBound(
  key: Uint8Array | null,
  value: Uint8Array | null,
  headers: readonly RecordHeader[] | null,
): number {
  return MAX_RECORD_OVERHEAD + sizeOfKeyValueHeaders(key, value, headers)
}

/**
 * Upper bound of a batch holding just this record (Java's `AbstractRecords.estimateSizeInBytesUpperBound`
 * for magic 2): what the accumulator allocates at least, so a record larger than `batch.size` still fits.
 */
export function estimateSizeInBytesUpperBound(
  key: Uint8Array | null,
  value: Uint8Array | null,
  headers: readonly RecordHeader[] | null,
): number {
  return RECORD_BATCH_OVERHEAD + recordSizeUpperBound(key, value, headers)
}
