/**
 * Optional native CRC32C from `@node-rs/crc32` (hardware CRC32 instructions through N-API). Loaded lazily on
 * first use through a guarded `require`, so the package stays optional: absent, unloadable (other platform,
 * bundler, browser) or broken, it is silently replaced by the pure TypeScript implementation.
 */
import { requireOptional } from '../compression/optional-module.js'

/** `(data, initial) => crc`, as `@node-rs/crc32` exports `crc32c`. */
export type NativeCrc32c = (data: Uint8Array, initial?: number) => number

let loaded: NativeCrc32c | null | undefined

/** The native `crc32c`, or `null` when it is not installed or does not load here. */
export function loadNativeCrc32c(): NativeCrc32c | null {
  if (loaded !== undefined) return loaded
  loaded = null
  const fn = (requireOptional('@node-rs/crc32').exports as { crc32c?: unknown } | undefined)?.crc32c
  if (typeof fn !== 'function') return loaded
  try {
    // Trust it only after it reproduces the published check value ("123456789" → 0xE3069283).
    const candidate = fn as NativeCrc32c
    const check = new Uint8Array([0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39])
    if (candidate(check, 0) >>> 0 === 0xe3069283) loaded = candidate
  } catch {
    // A broken accelerator means "use the pure implementation", never a failure.
  }
  return loaded
}
