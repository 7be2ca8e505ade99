// Just enough of the Kafka wire format for the harness's own probes (ApiVersions v0, Metadata v8,
// ListOffsets v4): the
// project's generated codecs are not a dependency of the harness's readiness checks on purpose, so a bug in
// them cannot make the broker look unhealthy.

/** Builds a non-flexible request: size, request header v1 (key, version, correlation id, client id), body. */
export class RequestWriter {
  private readonly parts: Buffer[] = []

  constructor(apiKey: number, apiVersion: number, correlationId: number, clientId = 'kafka-harness') {
    this.int16(apiKey).int16(apiVersion).int32(correlationId).string(clientId)
  }

  int8(value: number): this {
    const b = Buffer.alloc(1)
    b.writeInt8(value)
    this.parts.push(b)
    return this
  }

  int16(value: number): this {
    const b = Buffer.alloc(2)
    b.writeInt16BE(value)
    this.parts.push(b)
    return this
  }

  int32(value: number): this {
    const b = Buffer.alloc(4)
    b.writeInt32BE(value)
    this.parts.push(b)
    return this
  }

  int64(value: bigint): this {
    const b = Buffer.alloc(8)
    b.writeBigInt64BE(value)
    this.parts.push(b)
    return this
  }

  string(value: string | null): this {
    if (value === null) return this.int16(-1)
    const bytes = Buffer.from(value, 'utf8')
    this.int16(bytes.length)
    this.parts.push(bytes)
    return this
  }

  /** The whole frame, size prefix included. */
  frame(): Buffer {
    const body = Buffer.concat(this.parts)
    const size = Buffer.alloc(4)
    size.writeInt32BE(body.length)
    return Buffer.concat([size, body])
  }
}

/** Reads a non-flexible response body; every read checks bounds (a short frame throws RangeError). */
export class ResponseReader {
  offset = 0

  constructor(private readonly buffer: Buffer) {}

  int8(): number {
    const v = this.buffer.readInt8(this.offset)
    this.offset += 1
    return v
  }

  int16(): number {
    const v = this.buffer.readInt16BE(this.offset)
    this.offset += 2
    return v
  }

  int32(): number {
    const v = this.buffer.readInt32BE(this.offset)
    this.offset += 4
    return v
  }

  int64(): bigint {
    const v = this.buffer.readBigInt64BE(this.offset)
    this.offset += 8
    return v
  }

  nullableString(): string | null {
    const length = this.int16()
    if (length < 0) return null
    if (this.offset + length > this.buffer.length)
      throw new RangeError('string runs past the end of the frame')
    const v = this.buffer.toString('utf8', this.offset, this.offset + length)
    this.offset += length
    return v
  }

  string(): string {
    return this.nullableString() ?? ''
  }

  array<T>(read: () => T): T[] {
    const count = this.int32()
    const items: T[] = []
    for (let i = 0; i < count; i++) items.push(read())
    return items
  }
}
