/** Big-endian fixed-width integers at an offset, without a DataView per batch. */

export function writeInt16BE(buffer: Uint8Array, offset: number, value: number): void {
  buffer[offset] = (value >>> 8) & 0xff
  buffer[offset + 1] = value & 0xff
}

export function writeInt32BE(buffer: Uint8Array, offset: number, value: number): void {
  buffer[offset] = (value >>> 24) & 0xff
  buffer[offset + 1] = (value >>> 16) & 0xff
  buffer[offset + 2] = (value >>> 8) & 0xff
  buffer[offset + 3] = value & 0xff
}

/** Writes a safe integer (e.g. an epoch-millisecond timestamp, or -1) as int64. */
export function writeInt64NumberBE(buffer: Uint8Array, offset: number, value: number): void {
  const high = Math.floor(value / 0x100000000)
  writeInt32BE(buffer, offset, high | 0)
  writeInt32BE(buffer, offset + 4, (value - high * 0x100000000) >>> 0)
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER)
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

export function writeInt64BE(buffer: Uint8Array, offset: number, value: bigint): void {
  // Offsets, producer ids (-1 or small) fit a safe integer: no bigint arithmetic, which allocates.
  if (value >= MIN_SAFE && value <= MAX_SAFE) {
    writeInt64NumberBE(buffer, offset, Number(value))
    return
  }
  writeInt32BE(buffer, offset, Number(BigInt.asIntN(32, value >> 32n)))
  writeInt32BE(buffer, offset + 4, Number(BigInt.asUintN(32, value)))
}

export function readInt16BE(buffer: Uint8Array, offset: number): number {
  return ((buffer[offset]! << 24) | (buffer[offset + 1]! << 16)) >> 16
}

export function readInt32BE(buffer: Uint8Array, offset: number): number {
  return (
    (buffer[offset]! << 24) | (buffer[offset + 1]! << 16) | (buffer[offset + 2]! << 8) | buffer[offset + 3]!
  )
}

export function readUint32BE(buffer: Uint8Array, offset: number): number {
  return readInt32BE(buffer, offset) >>> 0
}

/** Reads an int64 as a number: exact for every timestamp (|value| < 2^53). */
export function readInt64NumberBE(buffer: Uint8Array, offset: number): number {
  return readInt32BE(buffer, offset) * 0x100000000 + readUint32BE(buffer, offset + 4)
}

export function readInt64BE(buffer: Uint8Array, offset: number): bigint {
  return (BigInt(readInt32BE(buffer, offset)) << 32n) | BigInt(readUint32BE(buffer, offset + 4))
}
