/**
 * Pure TypeScript CRC32C (Castagnoli, reflected polynomial 0x82F63B78), slicing-by-8: eight 256-entry
 * tables let the loop consume 8 bytes per iteration with independent lookups instead of one byte at a time.
 * This is the fallback when no native accelerator is installed, and the fast path for short inputs where a
 * native call costs more than it saves.
 */

const POLYNOMIAL = 0x82f63b78

/** `TABLES[k * 256 + b]`: CRC of byte `b` followed by `k` zero bytes. One flat array keeps lookups monomorphic. */
const TABLES = buildTables()

function buildTables(): Int32Array {
  const tables = new Int32Array(8 * 256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLYNOMIAL : c >>> 1
    tables[n] = c
  }
  for (let n = 0; n < 256; n++) {
    let c = tables[n]!
    for (let k = 1; k < 8; k++) {
      c = tables[c & 0xff]! ^ (c >>> 8)
      tables[k * 256 + n] = c
    }
  }
  return tables
}

/**
 * CRC32C of `data[start, end)`, continuing from `initial` (the CRC of the bytes before, 0 to start), as an
 * unsigned 32-bit number.
 */
export function crc32cPureRange(data: Uint8Array, start: number, end: number, initial = 0): number {
  const t = TABLES
  let crc = ~initial
  let i = start
  const end8 = end - ((end - start) & 7)
  while (i < end8) {
    const lo = crc ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24))
    crc =
      t[1792 + (lo & 0xff)]! ^
      t[1536 + ((lo >>> 8) & 0xff)]! ^
      t[1280 + ((lo >>> 16) & 0xff)]! ^
      t[1024 + (lo >>> 24)]! ^
      t[768 + data[i + 4]!]! ^
      t[512 + data[i + 5]!]! ^
      t[256 + data[i + 6]!]! ^
      t[data[i + 7]!]!
    i += 8
  }
  while (i < end) crc = t[(crc ^ data[i++]!) & 0xff]! ^ (crc >>> 8)
  return ~crc >>> 0
}

/** CRC32C of all of `data` in pure TypeScript, continuing from `initial`. */
export function crc32cPure(data: Uint8Array, initial = 0): number {
  return crc32cPureRange(data, 0, data.length, initial)
}
