import { crc32cPureRange } from './crc32c-table.js'
import { loadNativeCrc32c, type NativeCrc32c } from './native-crc32c.js'

/**
 * Below this many bytes the pure implementation wins: a native call has a fixed cost of roughly a hundred
 * nanoseconds, which pays for itself only on longer inputs (see crc32c.bench.ts).
 */
const NATIVE_THRESHOLD = 512

let native: NativeCrc32c | null | undefined

/**
 * CRC32C (Castagnoli) of `data`, as Kafka's RecordBatch v2 checksum uses. Pass the CRC of earlier bytes as
 * `initial` to continue a running checksum: `crc32c(b, crc32c(a)) === crc32c(a ++ b)`. Uses the native
 * `@node-rs/crc32` when it is installed and the input is long enough, otherwise pure TypeScript.
 *
 * @returns the checksum as an unsigned 32-bit number
 */
export function crc32c(data: Uint8Array, initial = 0): number {
  return crc32cRange(data, 0, data.length, initial)
}

/** CRC32C of `data[start, end)` without creating a subarray; see {@link crc32c}. */
export function crc32cRange(data: Uint8Array, start: number, end: number, initial = 0): number {
  if (end - start >= NATIVE_THRESHOLD) {
    if (native === undefined) native = loadNativeCrc32c()
    if (native !== null) {
      const view = start === 0 && end === data.length ? data : data.subarray(start, end)
      return native(view, initial) >>> 0
    }
  }
  return crc32cPureRange(data, start, end, initial)
}

/** Which implementation `crc32c` uses for long inputs: `'native'` (`@node-rs/crc32`) or `'pure'`. */
export function crc32cImplementation(): 'native' | 'pure' {
  if (native === undefined) native = loadNativeCrc32c()
  return native === null ? 'pure' : 'native'
}
