import { ProtocolDecodeError } from '../errors/protocol-decode-error.js'
import { readUtf8 } from './utf8.js'
import { readUuidBytes, type Uuid } from './uuid.js'

/**
 * Decodes Kafka protocol data from one `Uint8Array`, advancing `offset`. Byte fields (`bytes`, `records`,
 * unknown tagged fields) come back as zero-copy views of the input: they stay valid only as long as the
 * caller keeps the input unchanged. Running past `end` throws `ProtocolDecodeError`.
 *
 * The optional `field` argument of the string and byte readers only names the field in error messages.
 */
export class Reader {
  readonly buffer: Uint8Array
  readonly view: DataView
  /** Next read position. */
  offset: number
  /** End of the readable range (exclusive). */
  readonly end: number

  constructor(buffer: Uint8Array, offset = 0, end = buffer.length) {
    this.buffer = buffer
    this.view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength)
    this.offset = offset
    this.end = end
  }

  /** Bytes left before `end`. */
  get remaining(): number {
    return this.end - this.offset
  }

  /** Moves past `bytes` bytes, checking they are there. Returns the offset they start at. */
  private take(bytes: number): number {
    const start = this.offset
    if (bytes > this.end - start) {
      throw new ProtocolDecodeError(
        `Needed ${bytes} bytes at offset ${start} but only ${this.end - start} remain: the data is truncated or malformed`,
      )
    }
    this.offset = start + bytes
    return start
  }

  readInt8(): number {
    return this.view.getInt8(this.take(1))
  }

  readBoolean(): boolean {
    return this.buffer[this.take(1)] !== 0
  }

  readInt16(): number {
    return this.view.getInt16(this.take(2))
  }

  readUInt16(): number {
    return this.view.getUint16(this.take(2))
  }

  readInt32(): number {
    return this.view.getInt32(this.take(4))
  }

  readUInt32(): number {
    return this.view.getUint32(this.take(4))
  }

  readInt64(): bigint {
    return this.view.getBigInt64(this.take(8))
  }

  readFloat64(): number {
    return this.view.getFloat64(this.take(8))
  }

  readUuid(): Uuid {
    return readUuidBytes(this.buffer, this.take(16))
  }

  /** Unsigned 32-bit varint; at most 5 bytes. */
  readUnsignedVarint(): number {
    const buffer = this.buffer
    let offset = this.offset
    let result = 0
    for (let shift = 0; shift < 35; shift += 7) {
      if (offset >= this.end)
        throw new ProtocolDecodeError(`Varint at offset ${this.offset} runs past the end`)
      const byte = buffer[offset++]!
      if (shift === 28 && byte > 0x0f) {
        throw new ProtocolDecodeError(
          `Varint at offset ${this.offset} is longer than 5 bytes or overflows 32 bits`,
        )
      }
      result |= (byte & 0x7f) << shift
      if (byte < 0x80) {
        this.offset = offset
        return result >>> 0
      }
    }
    throw new ProtocolDecodeError(`Varint at offset ${this.offset} is longer than 5 bytes`)
  }

  /** Zigzag-encoded signed 32-bit varint. */
  readVarint(): number {
    const raw = this.readUnsignedVarint()
    return (raw >>> 1) ^ -(raw & 1)
  }

  /** Zigzag-encoded signed 64-bit varlong; at most 10 bytes. */
  readVarlong(): bigint {
    const buffer = this.buffer
    let offset = this.offset
    let result = 0n
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (offset >= this.end)
        throw new ProtocolDecodeError(`Varlong at offset ${this.offset} runs past the end`)
      const byte = buffer[offset++]!
      result |= BigInt(byte & 0x7f) << shift
      if (byte < 0x80) {
        this.offset = offset
        result = BigInt.asUintN(64, result)
        return (result >> 1n) ^ -(result & 1n)
      }
    }
    throw new ProtocolDecodeError(`Varlong at offset ${this.offset} is longer than 10 bytes`)
  }

  /** A zero-copy view of the next `length` bytes. */
  readView(length: number): Uint8Array {
    const start = this.take(length)
    return this.buffer.subarray(start, start + length)
  }

  private readUtf8(length: number, field: string | undefined): string {
    if (length > 0x7fff) {
      throw new ProtocolDecodeError(`String ${fieldName(field)}has length ${length}, more than 32767`)
    }
    const start = this.take(length)
    return readUtf8(this.buffer, start, start + length)
  }

  /** `string` (int16 length). Throws if it is null. */
  readString(field?: string): string {
    const length = this.readInt16()
    if (length < 0) throw unexpectedNull('string', field)
    return this.readUtf8(length, field)
  }

  /** Nullable `string` (int16 length, -1 for null). */
  readNullableString(field?: string): string | null {
    const length = this.readInt16()
    return length < 0 ? null : this.readUtf8(length, field)
  }

  /** Compact `string` (unsigned varint length + 1). Throws if it is null. */
  readCompactString(field?: string): string {
    const length = this.readUnsignedVarint() - 1
    if (length < 0) throw unexpectedNull('string', field)
    return this.readUtf8(length, field)
  }

  /** Nullable compact `string` (0 for null). */
  readCompactNullableString(field?: string): string | null {
    const length = this.readUnsignedVarint() - 1
    return length < 0 ? null : this.readUtf8(length, field)
  }

  /** `bytes` (int32 length) as a zero-copy view. Throws if it is null. */
  readBytes(field?: string): Uint8Array {
    const length = this.readInt32()
    if (length < 0) throw unexpectedNull('bytes', field)
    return this.readView(length)
  }

  readNullableBytes(): Uint8Array | null {
    const length = this.readInt32()
    return length < 0 ? null : this.readView(length)
  }

  /** Compact `bytes` (unsigned varint length + 1) as a zero-copy view. Throws if it is null. */
  readCompactBytes(field?: string): Uint8Array {
    const length = this.readUnsignedVarint() - 1
    if (length < 0) throw unexpectedNull('bytes', field)
    return this.readView(length)
  }

  readCompactNullableBytes(): Uint8Array | null {
    const length = this.readUnsignedVarint() - 1
    return length < 0 ? null : this.readView(length)
  }

  /** `records` (int32 length, -1 for null) as a zero-copy view of the record batches. */
  readRecords(): Uint8Array | null {
    return this.readNullableBytes()
  }

  /** Compact `records` as a zero-copy view. */
  readCompactRecords(): Uint8Array | null {
    return this.readCompactNullableBytes()
  }

  /** Classic array length (int32); -1 means null. */
  readArrayLength(): number {
    return this.readInt32()
  }

  /** Compact array length (unsigned varint length + 1); -1 means null. */
  readCompactArrayLength(): number {
    return this.readUnsignedVarint() - 1
  }
}

function fieldName(field: string | undefined): string {
  return field === undefined ? '' : `${field} `
}

function unexpectedNull(type: string, field: string | undefined): ProtocolDecodeError {
  return new ProtocolDecodeError(`Non-nullable ${type} ${fieldName(field)}was serialized as null`)
}
