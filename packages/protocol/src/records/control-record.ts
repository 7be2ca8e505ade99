import { readInt16BE, readInt32BE, writeInt16BE, writeInt32BE } from './big-endian.js'
import { CorruptRecordError } from './record-errors.js'

/**
 * The type in a control record's key (Java's `ControlRecordType`): transaction markers (ABORT, COMMIT) and
 * the KRaft metadata-log types.
 */
export const ControlRecordType = {
  ABORT: 0,
  COMMIT: 1,
  LEADER_CHANGE: 2,
  SNAPSHOT_HEADER: 3,
  SNAPSHOT_FOOTER: 4,
  KRAFT_VERSION: 5,
  KRAFT_VOTERS: 6,
} as const

export type ControlRecordTypeName = keyof typeof ControlRecordType

/** A control record's key: `version: int16, type: int16`. */
export interface ControlRecordKey {
  version: number
  type: number
}

/** Encodes a control record key (version 0). */
export function encodeControlRecordKey(type: number, version = 0): Uint8Array {
  const key = new Uint8Array(4)
  writeInt16BE(key, 0, version)
  writeInt16BE(key, 2, type)
  return key
}

/** Decodes a control record key; throws `CorruptRecordError` when it is shorter than 4 bytes. */
export function parseControlRecordKey(key: Uint8Array | null): ControlRecordKey {
  if (key === null || key.length < 4) {
    throw new CorruptRecordError(
      `Control record key must have at least 4 bytes, got ${key === null ? 'null' : key.length}`,
    )
  }
  return { version: readInt16BE(key, 0), type: readInt16BE(key, 2) }
}

/** The value of an ABORT/COMMIT control record (Java's `EndTransactionMarker`): `version: int16, coordinatorEpoch: int32`. */
export interface EndTransactionMarker {
  version: number
  coordinatorEpoch: number
}

export function encodeEndTransactionMarker(coordinatorEpoch: number): Uint8Array {
  const value = new Uint8Array(6)
  writeInt16BE(value, 0, 0)
  writeInt32BE(value, 2, coordinatorEpoch)
  return value
}

export function parseEndTransactionMarker(value: Uint8Array | null): EndTransactionMarker {
  if (value === null || value.length < 6) {
    throw new CorruptRecordError(
      `End transaction marker value must have at least 6 bytes, got ${value === null ? 'null' : value.length}`,
    )
  }
  return { version: readInt16BE(value, 0), coordinatorEpoch: readInt32BE(value, 2) }
}
