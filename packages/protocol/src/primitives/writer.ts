import { ProtocolEncodeError } from '../errors/protocol-encode-error.js'
import { utf8ByteLength, writeUtf8 } from './utf8.js'
import { type Uuid, writeUuidBytes } from './uuid.js'

/** A reserved spot in a `Writer` to fill in later, e.g. the size prefix of a frame. */
export interface WriterMark {
  readonly view: DataView
  readonly offset: number
}

const INT16_MAX = 0x7fff

/**
 * Encodes Kafka protocol data as a list of chunks. Small fields go into a growable scratch buffer; a large
 * external view (a record batch in pooled memory, the spec type `records`) is appended by reference with
 * `appendReference`, so it reaches `socket.writev` without a copy. Scratch memory is never reused or moved:
 * chunks handed out by `toChunks()` stay valid, and a `WriterMark` can be patched at any time.
 *
 * Numbers are big-endian as Kafka writes them; `int64` takes a `bigint`.
 */
export class Writer {
  private buffer: Uint8Array
  private view: DataView
  /** Next write position in `buffer`. */
  private position = 0
  /** Start of the bytes in `buffer` not yet moved to `chunks`. */
  private segmentStart = 0
  private readonly chunks: Uint8Array[] = []
  /** Bytes already in `chunks`. */
  private chunkedLength = 0

  constructor(initialCapacity = 256) {
    this.buffer = new Uint8Array(initialCapacity > 0 ? initialCapacity : 16)
    this.view = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.byteLength)
  }

  /** Bytes written so far, scratch and referenced views together. */
  get byteLength(): number {
    return this.chunkedLength + this.position - this.segmentStart
  }

  /**
   * The encoded bytes in order. Views appended with `appendReference` are in the list as they were given;
   * the rest are views of scratch memory. The writer can go on writing afterwards; call again for the rest.
   */
  toChunks(): Uint8Array[] {
    this.flushSegment()
    return this.chunks
  }

  /** The encoded bytes in one buffer: the single chunk itself when there is one, else a copy. */
  toUint8Array(): Uint8Array {
    const chunks = this.toChunks()
    if (chunks.length === 1) return chunks[0]!
    const result = new Uint8Array(this.chunkedLength)
    let offset = 0
    for (const chunk of chunks) {
      result.set(chunk, offset)
      offset += chunk.length
    }
    return result
  }

  private flushSegment(): void {
    if (this.position > this.segmentStart) {
      this.chunks.push(this.buffer.subarray(this.segmentStart, this.position))
      this.chunkedLength += this.position - this.segmentStart
      this.segmentStart = this.position
    }
  }

  /** Makes room for `bytes` contiguous bytes. Growing starts a new scratch buffer instead of moving data. */
  private ensure(bytes: number): void {
    if (this.position + bytes <= this.buffer.length) return
    this.flushSegment()
    const capacity = Math.max(bytes, this.buffer.length * 2)
    this.buffer = new Uint8Array(capacity)
    this.view = new DataView(this.buffer.buffer)
    this.position = 0
    this.segmentStart = 0
  }

  writeInt8(value: number): void {
    this.ensure(1)
    this.view.setInt8(this.position, value)
    this.position += 1
  }

  writeBoolean(value: boolean): void {
    this.ensure(1)
    this.buffer[this.position++] = value ? 1 : 0
  }

  writeInt16(value: number): void {
    this.ensure(2)
    this.view.setInt16(this.position, value)
    this.position += 2
  }

  writeUInt16(value: number): void {
    this.ensure(2)
    this.view.setUint16(this.position, value)
    this.position += 2
  }

  writeInt32(value: number): void {
    this.ensure(4)
    this.view.setInt32(this.position, value)
    this.position += 4
  }

  writeUInt32(value: number): void {
    this.ensure(4)
    this.view.setUint32(this.position, value)
    this.position += 4
  }

  writeInt64(value: bigint): void {
    this.ensure(8)
    this.view.setBigInt64(this.position, value)
    this.position += 8
  }

  writeFloat64(value: number): void {
    this.ensure(8)
    this.view.setFloat64(this.position, value)
    this.position += 8
  }

  /** Unsigned 32-bit varint (KIP-482 lengths and tags). */
  writeUnsignedVarint(value: number): void {
    this.ensure(5)
    const buffer = this.buffer
    let position = this.position
    value >>>= 0
    while (value >= 0x80) {
      buffer[position++] = (value & 0x7f) | 0x80
      value >>>= 7
    }
    buffer[position++] = value
    this.position = position
  }

  /** Zigzag-encoded signed 32-bit varint. */
  writeVarint(value: number): void {
    this.writeUnsignedVarint((value << 1) ^ (value >> 31))
  }

  /** Zigzag-encoded signed 64-bit varlong. */
  writeVarlong(value: bigint): void {
    this.ensure(10)
    let zigzag = BigInt.asUintN(64, (value << 1n) ^ (value >> 63n))
    while (zigzag >= 0x80n) {
      this.buffer[this.position++] = Number(zigzag & 0x7fn) | 0x80
      zigzag >>= 7n
    }
    this.buffer[this.position++] = Number(zigzag)
  }

  writeUuid(value: Uuid): void {
    this.ensure(16)
    writeUuidBytes(this.buffer, this.position, value)
    this.position += 16
  }

  /** `string`: int16 length, then UTF-8. */
  writeString(value: string): void {
    const length = utf8ByteLength(value)
    if (length > INT16_MAX) throw stringTooLong(length)
    this.ensure(2 + length)
    this.view.setInt16(this.position, length)
    this.position = writeUtf8(this.buffer, this.position + 2, value, length)
  }

  /** Nullable `string`: length -1 for null. */
  writeNullableString(value: string | null): void {
    if (value === null) this.writeInt16(-1)
    else this.writeString(value)
  }

  /** Compact `string` (flexible versions): unsigned varint length + 1, then UTF-8. */
  writeCompactString(value: string): void {
    const length = utf8ByteLength(value)
    if (length > INT16_MAX) throw stringTooLong(length)
    this.ensure(5 + length)
    this.writeUnsignedVarint(length + 1)
    this.position = writeUtf8(this.buffer, this.position, value, length)
  }

  /** Nullable compact `string`: 0 for null. */
  writeCompactNullableString(value: string | null): void {
    if (value === null) this.writeUnsignedVarint(0)
    else this.writeCompactString(value)
  }

  /** Copies raw bytes into scratch memory (no length prefix). */
  writeRaw(value: Uint8Array): void {
    this.ensure(value.length)
    this.buffer.set(value, this.position)
    this.position += value.length
  }

  /** `bytes`: int32 length, then the bytes (copied). */
  writeBytes(value: Uint8Array): void {
    this.writeInt32(value.length)
    this.writeRaw(value)
  }

  writeNullableBytes(value: Uint8Array | null): void {
    if (value === null) this.writeInt32(-1)
    else this.writeBytes(value)
  }

  /** Compact `bytes`: unsigned varint length + 1, then the bytes (copied). */
  writeCompactBytes(value: Uint8Array): void {
    this.writeUnsignedVarint(value.length + 1)
    this.writeRaw(value)
  }

  writeCompactNullableBytes(value: Uint8Array | null): void {
    if (value === null) this.writeUnsignedVarint(0)
    else this.writeCompactBytes(value)
  }

  /**
   * Appends `value` by reference: the view itself becomes a chunk, so later changes to its memory show in
   * the output. Use for large payloads that must not be copied (record batches in pooled memory).
   */
  appendReference(value: Uint8Array): void {
    if (value.length === 0) return
    this.flushSegment()
    this.chunks.push(value)
    this.chunkedLength += value.length
  }

  /** Appends everything `other` holds, by reference (its chunks are shared, not copied). */
  append(other: Writer): void {
    for (const chunk of other.toChunks()) this.appendReference(chunk)
  }

  /** `records`: int32 length (-1 for null), then the record batches by reference. */
  writeRecords(value: Uint8Array | null): void {
    if (value === null) {
      this.writeInt32(-1)
    } else {
      this.writeInt32(value.length)
      this.appendReference(value)
    }
  }

  /** Compact `records`: unsigned varint length + 1 (0 for null), then the record batches by reference. */
  writeCompactRecords(value: Uint8Array | null): void {
    if (value === null) {
      this.writeUnsignedVarint(0)
    } else {
      this.writeUnsignedVarint(value.length + 1)
      this.appendReference(value)
    }
  }

  /** Classic array length: int32, -1 for a null array. */
  writeArrayLength(length: number): void {
    this.writeInt32(length)
  }

  /** Compact array length: unsigned varint length + 1; pass -1 for a null array (written as 0). */
  writeCompactArrayLength(length: number): void {
    this.writeUnsignedVarint(length + 1)
  }

  /** Reserves 4 bytes for an int32 filled in later with `patchInt32` (a frame's size prefix). */
  reserveInt32(): WriterMark {
    this.ensure(4)
    const mark: WriterMark = { view: this.view, offset: this.position }
    this.position += 4
    return mark
  }

  /** Fills a reserved int32. Valid at any time, also after `toChunks()`. */
  patchInt32(mark: WriterMark, value: number): void {
    mark.view.setInt32(mark.offset, value)
  }
}

function stringTooLong(length: number): ProtocolEncodeError {
  return new ProtocolEncodeError(
    `A protocol string is ${length} UTF-8 bytes; Kafka strings hold at most ${INT16_MAX}. Shorten the value.`,
  )
}
