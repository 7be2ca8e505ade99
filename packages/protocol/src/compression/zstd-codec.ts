import * as zlib from 'node:zlib'
import type { CompressionCodec } from './compression-codec.js'
import { CompressionCodecUnavailableError, CompressionError } from './compression-error.js'
import { asUint8Array } from './gzip-codec.js'
import { requireOptional } from './optional-module.js'

/** The optional package that provides zstd where `node:zlib` has none (Node < 22.15). */
export const ZSTD_WASM_PACKAGE = '@bokuweb/zstd-wasm'

export interface ZstdCodecOptions {
  /** zstd level, 1–22 (negative levels for speed are allowed by zstd). Kafka's default is 3. */
  level?: number
}

interface ZlibWithZstd {
  zstdCompressSync(data: Uint8Array, options?: { params?: Record<number, number> }): Uint8Array
  zstdDecompressSync(data: Uint8Array): Uint8Array
  constants: { ZSTD_c_compressionLevel?: number }
}

interface ZstdWasmModule {
  init(): Promise<void>
  compress(data: Uint8Array, level?: number): Uint8Array
  decompress(data: Uint8Array): Uint8Array
}

function checkLevel(level: number): number {
  if (!Number.isInteger(level) || level < -131072 || level > 22) {
    throw new RangeError(`zstd level must be an integer up to 22 (Kafka's default is 3); got ${level}`)
  }
  return level
}

function wrapDecompress(decompress: (data: Uint8Array) => Uint8Array): (data: Uint8Array) => Uint8Array {
  return (data) => {
    try {
      return decompress(data)
    } catch (error) {
      throw new CompressionError(`Corrupt zstd data: ${(error as Error).message}`, error)
    }
  }
}

/** `node:zlib`'s zstd (Node ≥ 22.15 / 23.8), or `null` on a Node without it. Synchronous, no set-up. */
export function createNodeZstdCodec(options: ZstdCodecOptions = {}): CompressionCodec | null {
  const z = zlib as unknown as Partial<ZlibWithZstd>
  const levelParam = z.constants?.ZSTD_c_compressionLevel
  if (typeof z.zstdCompressSync !== 'function' || typeof z.zstdDecompressSync !== 'function') return null
  if (levelParam === undefined) return null
  const level = checkLevel(options.level ?? 3)
  const compressSync = z.zstdCompressSync.bind(zlib)
  const decompressSync = z.zstdDecompressSync.bind(zlib)
  const params = { [levelParam]: level }
  return {
    id: 4,
    name: 'zstd',
    compress: (data) => asUint8Array(compressSync(data, { params })),
    decompress: wrapDecompress((data) => asUint8Array(decompressSync(data))),
  }
}

/** Initialised WebAssembly modules by package name: instantiated once per process. */
const wasmModules = new Map<string, Promise<ZstdWasmModule>>()

/**
 * zstd for Node versions without `node:zlib` zstd, from the optional WebAssembly package
 * `@bokuweb/zstd-wasm` (installs from npm alone: no native build, no download at install time). Its
 * WebAssembly is instantiated asynchronously, hence a promise; the codec it yields is synchronous.
 * `packageName` substitutes a compatible package (same `init`/`compress`/`decompress` exports).
 */
export async function loadWasmZstdCodec(
  options: ZstdCodecOptions = {},
  packageName = ZSTD_WASM_PACKAGE,
): Promise<CompressionCodec> {
  const level = checkLevel(options.level ?? 3)
  let wasm = wasmModules.get(packageName)
  if (!wasm) {
    const loaded = requireOptional(packageName)
    const mod = loaded.exports as Partial<ZstdWasmModule> | undefined
    if (!mod || typeof mod.init !== 'function' || typeof mod.compress !== 'function') {
      throw new CompressionCodecUnavailableError(
        'zstd',
        `zstd needs Node >= 22.15 (node:zlib zstd) or the optional package ${packageName}: ` +
          `run \`npm install ${packageName}\``,
        loaded.error,
      )
    }
    const module = mod as ZstdWasmModule
    wasm = module.init().then(() => module)
    wasmModules.set(packageName, wasm)
    wasm.catch(() => wasmModules.delete(packageName))
  }
  const module = await wasm
  return {
    id: 4,
    name: 'zstd',
    compress: (data) => module.compress(data, level),
    decompress: wrapDecompress((data) => module.decompress(data)),
  }
}

/** The best zstd here: `node:zlib`'s when present, else the WebAssembly package (see `loadWasmZstdCodec`). */
export async function loadZstdCodec(options: ZstdCodecOptions = {}): Promise<CompressionCodec> {
  return createNodeZstdCodec(options) ?? loadWasmZstdCodec(options)
}
