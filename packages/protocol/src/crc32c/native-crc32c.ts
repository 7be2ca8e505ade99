/**
 * Optional native CRC32C from `@node-rs/crc32` (hardware CRC32 instructions through N-API). Loaded lazily on
 * first use through a guarded `require`, so the package stays optional: absent, unloadable (other platform,
 * bundler, browser) or broken, it is silently replaced by the pure TypeScript implementation.
 */
import { createRequire } from 'node:module'

/** `(data, initial) => crc`, as `@node-rs/crc32` exports `crc32c`. */
export type NativeCrc32c = (data: Uint8Array, initial?: number) => number

let loaded: NativeCrc32c | null | undefined

/** The native `crc32c`, or `null` when it is not installed or does not load here. */
export function loadNativeCrc32c(): NativeCrc32c | null {
  if (loaded !== undefined) return loaded
  loaded = null
  try {
    const req = moduleRequire()
    const mod = req?.('@node-rs/crc32') as { crc32c?: unknown } | undefined
    const fn = mod?.crc32c
    // Trust it only after it reproduces a published vector (RFC 3720 B.4 / the "123456789" check value).
    if (typeof fn === 'function') {
      const candidate = fn as NativeCrc32c
      const check = new Uint8Array([0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39])
      if (candidate(check, 0) === 0xe3069283) loaded = candidate
    }
  } catch {
    // Optional accelerator: any failure to load means "use the pure implementation".
    loaded = null
  }
  return loaded
}

function moduleRequire(): NodeJS.Require | undefined {
  // CommonJS build: the real `require`. ESM: derive one from this module's URL (empty in CJS bundles).
  if (typeof require === 'function') return require
  const url = import.meta.url
  return url ? createRequire(url) : undefined
}
