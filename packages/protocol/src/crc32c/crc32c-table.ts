/**
 * Pure TypeScript CRC32C (Castagnoli, reflected polynomial 0x82F63B78) by table slicing: sixteen 256-entry
 * tables let the loop consume 16 bytes per iteration with independent lookups instead of one byte at a time.
 * Long inputs are read as little-endian 32-bit words through an `Int32Array` view of the same memory (four
 * loads per 16 bytes instead of sixteen: ~1.5 GB/s against ~1.1 for byte-wise slicing-by-8 on the dev
 * machine); short ones, unaligned heads and tails, and big-endian hosts go byte by byte (slicing-by-8).
 * This is the fallback when no native accelerator is installed, and the fast path for short inputs where a
 * native call costs more than it saves.
 */

const POLYNOMIAL = 0x82f63b78

/** `TABLES[k * 256 + b]`: CRC of byte `b` followed by `k` zero bytes. One flat array keeps lookups monomorphic. */
const TABLES = buildTables()

/** Below this many bytes the word path's view allocation costs more than it saves. */
const WORD_PATH_MIN = 256

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

function buildTables(): Int32Array {
  const tables = new Int32Array(16 * 256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLYNOMIAL : c >>> 1
    tables[n] = c
  }
  for (let n = 0; n < 256; n++) {
    let c = tables[n]!
    for (let k = 1; k < 16; k++) {
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
  const crc =
    LITTLE_ENDIAN && end - start >= WORD_PATH_MIN
      ? updateWords(~initial, data, start, end)
      : updateBytes(~initial, data, start, end)
  return ~crc >>> 0
}

/**
 * Advances the (inverted) CRC over `data[i, end)` 16 bytes at a time as four little-endian words read through
 * an `Int32Array` view, from the first 4-byte boundary of the underlying memory; the ends go byte-wise.
 * Kept apart from `updateBytes` so short inputs run a small function.
 */
function updateWords(crc: number, data: Uint8Array, i: number, end: number): number {
  const t = TABLES
  while (((data.byteOffset + i) & 3) !== 0) crc = t[(crc ^ data[i++]!) & 0xff]! ^ (crc >>> 8)
  const blocks = (end - i) >>> 4
  const view = new Int32Array(data.buffer, data.byteOffset + i, blocks * 4)
  for (let k = 0; k < view.length; k += 4) {
    const a = crc ^ view[k]!
    const b = view[k + 1]!
    const c = view[k + 2]!
    const d = view[k + 3]!
    crc =
      t[3840 + (a & 0xff)]! ^
      t[3584 + ((a >>> 8) & 0xff)]! ^
      t[3328 + ((a >>> 16) & 0xff)]! ^
      t[3072 + (a >>> 24)]! ^
      t[2816 + (b & 0xff)]! ^
      t[2560 + ((b >>> 8) & 0xff)]! ^
      t[2304 + ((b >>> 16) & 0xff)]! ^
      t[2048 + (b >>> 24)]! ^
      t[1792 + (c & 0xff)]! ^
      t[1536 + ((c >>> 8) & 0xff)]! ^
      t[1280 + ((c >>> 16) & 0xff)]! ^
      t[1024 + (c >>> 24)]! ^
      t[768 + (d & 0xff)]! ^
      t[512 + ((d >>> 8) & 0xff)]! ^
      t[256 + ((d >>> 16) & 0xff)]! ^
      t[d >>> 24]!
  }
  return updateBytes(crc, data, i + blocks * 16, end)
}

/** Advances the (inverted) CRC over `data[i, end)` byte-wise, slicing-by-8. */
function updateBytes(crc: number, data: Uint8Array, i: number, end: number): number {
  const t = TABLES
  const end8 = end - ((end - i) & 7)
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
  return crc
}

/** CRC32C of all of `data` in pure TypeScript, continuing from `initial`. */
export function crc32cPure(data: Uint8Array, initial = 0): number {
  return crc32cPureRange(data, 0, data.length, initial)
}
