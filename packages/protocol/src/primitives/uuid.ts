import { ProtocolDecodeError } from '../errors/protocol-decode-error.js'
import { ProtocolEncodeError } from '../errors/protocol-encode-error.js'

/**
 * Kafka UUIDs (topic ids, directory ids) are 16 bytes on the wire. In @x they are strings in Kafka's own
 * text form, the one `kafka-topics.sh --describe` prints and Java's `Uuid.toString()` returns: the 16 bytes
 * in URL-safe base64 without padding, 22 characters. Strings compare with `===`, print well and key maps.
 */
export type Uuid = string

/** Java's `Uuid.ZERO_UUID`: the "no id" value of every uuid field. */
export const ZERO_UUID: Uuid = 'AAAAAAAAAAAAAAAAAAAAAA'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const DECODE = new Int8Array(128).fill(-1)
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i

function sextet(uuid: string, index: number): number {
  const code = uuid.charCodeAt(index)
  const value = code < 128 ? DECODE[code]! : -1
  if (value < 0) {
    throw new ProtocolEncodeError(
      `Invalid UUID "${uuid}": character ${index} is not URL-safe base64. ` +
        'Pass the 22-character form that Kafka prints (Java Uuid.toString()).',
    )
  }
  return value
}

/** Writes the 16 bytes of `uuid` at `offset`. Throws `ProtocolEncodeError` if it is not a Kafka UUID string. */
export function writeUuidBytes(buffer: Uint8Array, offset: number, uuid: Uuid): void {
  if (typeof uuid !== 'string' || uuid.length !== 22) {
    throw new ProtocolEncodeError(
      `Invalid UUID ${JSON.stringify(uuid)}: expected 22 characters of URL-safe base64 (Java Uuid.toString()), ` +
        `e.g. "${ZERO_UUID}".`,
    )
  }
  // 5 groups of 4 characters -> 3 bytes, then 2 characters -> 1 byte (the last 4 bits must be zero)
  let char = 0
  for (let group = 0; group < 5; group++) {
    const bits =
      (sextet(uuid, char) << 18) |
      (sextet(uuid, char + 1) << 12) |
      (sextet(uuid, char + 2) << 6) |
      sextet(uuid, char + 3)
    buffer[offset++] = bits >>> 16
    buffer[offset++] = (bits >>> 8) & 0xff
    buffer[offset++] = bits & 0xff
    char += 4
  }
  const last = (sextet(uuid, 20) << 6) | sextet(uuid, 21)
  if ((last & 0x0f) !== 0) {
    throw new ProtocolEncodeError(
      `Invalid UUID "${uuid}": its last character carries bits beyond 16 bytes; it is not a Kafka UUID.`,
    )
  }
  buffer[offset] = last >>> 4
}

/** Reads 16 bytes at `offset` as a Kafka UUID string. */
export function readUuidBytes(buffer: Uint8Array, offset: number): Uuid {
  if (offset + 16 > buffer.length) throw new ProtocolDecodeError('UUID runs past the end of the buffer')
  let result = ''
  for (let group = 0; group < 5; group++) {
    const bits = (buffer[offset]! << 16) | (buffer[offset + 1]! << 8) | buffer[offset + 2]!
    result +=
      ALPHABET[bits >>> 18]! +
      ALPHABET[(bits >>> 12) & 0x3f]! +
      ALPHABET[(bits >>> 6) & 0x3f]! +
      ALPHABET[bits & 0x3f]!
    offset += 3
  }
  const last = buffer[offset]!
  return result + ALPHABET[last >>> 2]! + ALPHABET[(last & 0x03) << 4]!
}
