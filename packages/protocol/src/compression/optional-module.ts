/**
 * Loads an optional package (a native or WebAssembly accelerator) with a guarded `require`: absent,
 * unloadable or running where there is no `require` (a browser bundle), it yields `undefined` and the
 * caller falls back or reports which package to install. Works from both the ESM and the CJS build.
 */
import { createRequire } from 'node:module'

let cachedRequire: NodeJS.Require | null | undefined

function moduleRequire(): NodeJS.Require | null {
  if (cachedRequire !== undefined) return cachedRequire
  try {
    // ESM: a require derived from this module's URL. The CJS bundle has an empty `import.meta` and the real
    // `require`. The URL must come first: bundlers rewrite `require` in ESM output to a stub that throws.
    const url = import.meta.url
    if (url) cachedRequire = createRequire(url)
    else cachedRequire = typeof require === 'function' ? require : null
  } catch {
    cachedRequire = null
  }
  return cachedRequire
}

/** The exports of package `id`, or `undefined` with the reason in `error` when it cannot be loaded. */
export function requireOptional(id: string): { exports?: unknown; error?: unknown } {
  const req = moduleRequire()
  if (!req) return { error: new Error('no require() in this environment') }
  try {
    return { exports: req(id) }
  } catch (error) {
    return { error }
  }
}
