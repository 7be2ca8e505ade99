// CRC32C throughput: pure TypeScript (slicing-by-16 over 32-bit words) against the native @node-rs/crc32, on a
// batch-sized input (100 KiB, ~1,000 records of 100 bytes) and on a short one (64 bytes) where call overhead
// dominates.
import { bench, describe } from 'vitest'
import { crc32cPure } from './crc32c-table.js'
import { loadNativeCrc32c } from './native-crc32c.js'

const large = Uint8Array.from({ length: 100 * 1024 }, (_, i) => (i * 31) & 0xff)
const small = large.subarray(0, 64)
const native = loadNativeCrc32c()

for (const [label, data] of [
  ['100 KiB', large],
  ['64 B', small],
] as const) {
  describe(`crc32c ${label}`, () => {
    bench('pure TypeScript (slicing-by-16 words)', () => {
      crc32cPure(data)
    })
    if (native) {
      bench('native @node-rs/crc32', () => {
        native(data, 0)
      })
    }
  })
}
