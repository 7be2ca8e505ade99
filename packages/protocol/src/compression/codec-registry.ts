import { type CompressionCodec, type CompressionName, compressionNameOf } from './compression-codec.js'
import { CompressionCodecUnavailableError } from './compression-error.js'
import { createGzipCodec } from './gzip-codec.js'
import { createLz4Codec } from './lz4-codec.js'
import { noneCodec } from './none-codec.js'
import { createSnappyCodec } from './snappy-codec.js'
import { createNodeZstdCodec, loadZstdCodec, ZSTD_WASM_PACKAGE } from './zstd-codec.js'

/** Options of `CodecRegistry.default()`, named after the Java producer's `compression.<type>.level`. */
export interface DefaultCodecOptions {
  /** `compression.gzip.level`: 1–9, or -1 (default) for zlib's default. */
  gzipLevel?: number
  /** `compression.zstd.level`: default 3. */
  zstdLevel?: number
}

/** Loads a codec that needs asynchronous set-up; called once by `prepare`. */
export type CodecLoader = () => Promise<CompressionCodec>

/**
 * The compression codecs one producer (or decoder) can use, by name and by attribute id. Extensible:
 * `register` adds or replaces a codec (e.g. a native snappy). A codec that needs asynchronous set-up is
 * registered as a loader and must be `prepare`d (the producer awaits that at start-up) before `get`.
 */
export class CodecRegistry {
  private readonly codecs = new Map<CompressionName, CompressionCodec>()
  private readonly loaders = new Map<CompressionName, CodecLoader>()

  /**
   * A new registry with every codec Kafka defines: none, gzip (node:zlib), snappy and lz4 (pure TypeScript,
   * Kafka-compatible framing), and zstd from `node:zlib` when this Node has it (≥ 22.15), else a loader for
   * the optional WebAssembly package `@bokuweb/zstd-wasm` that `prepare('zstd')` runs.
   */
  static default(options: DefaultCodecOptions = {}): CodecRegistry {
    const registry = new CodecRegistry()
    registry.register(noneCodec)
    registry.register(createGzipCodec({ level: options.gzipLevel }))
    registry.register(createSnappyCodec())
    registry.register(createLz4Codec())
    const zstd = createNodeZstdCodec({ level: options.zstdLevel })
    if (zstd) registry.register(zstd)
    else registry.registerLoader('zstd', () => loadZstdCodec({ level: options.zstdLevel }))
    return registry
  }

  /** Adds `codec`, replacing any codec or loader of the same name. */
  register(codec: CompressionCodec): this {
    if (compressionNameOf(codec.id) !== codec.name) {
      throw new RangeError(
        `Codec "${codec.name}" has id ${codec.id}; Kafka's ids are none=0 gzip=1 snappy=2 lz4=3 zstd=4`,
      )
    }
    this.codecs.set(codec.name, codec)
    this.loaders.delete(codec.name)
    return this
  }

  /** Registers an asynchronous loader for `name`, run by `prepare(name)`. */
  registerLoader(name: CompressionName, load: CodecLoader): this {
    this.codecs.delete(name)
    this.loaders.set(name, load)
    return this
  }

  /** True when `get(name)` would return a codec now (registered, or loaded by `prepare`). */
  has(name: CompressionName): boolean {
    return this.codecs.has(name)
  }

  /**
   * Runs the loaders of the named codecs (all pending ones when no name is given) and registers what they
   * return. Rejects with `CompressionCodecUnavailableError` naming the package to install when one cannot
   * load. Already-usable codecs resolve at once.
   */
  async prepare(...names: CompressionName[]): Promise<void> {
    const wanted = names.length > 0 ? names : [...this.loaders.keys()]
    await Promise.all(
      wanted.map(async (name) => {
        if (this.codecs.has(name)) return
        const load = this.loaders.get(name)
        if (!load) throw this.unavailable(name)
        const codec = await load()
        if (this.loaders.get(name) === load) this.register(codec)
      }),
    )
  }

  /**
   * The codec for a compression name or attribute id. Throws `CompressionCodecUnavailableError` when it
   * is not registered or still needs `prepare`.
   */
  get(nameOrId: CompressionName | number): CompressionCodec {
    const name = typeof nameOrId === 'number' ? compressionNameOf(nameOrId) : nameOrId
    const codec = name === undefined ? undefined : this.codecs.get(name)
    if (codec) return codec
    throw this.unavailable(name ?? String(nameOrId))
  }

  private unavailable(name: string): CompressionCodecUnavailableError {
    if (this.loaders.has(name as CompressionName)) {
      const hint =
        name === 'zstd'
          ? ` (this Node has no node:zlib zstd; it loads the optional package ${ZSTD_WASM_PACKAGE})`
          : ''
      return new CompressionCodecUnavailableError(
        name,
        `Compression codec "${name}" is not ready: await registry.prepare('${name}') before use${hint}`,
      )
    }
    if (
      compressionNameOf(Number(name)) === undefined &&
      !['none', 'gzip', 'snappy', 'lz4', 'zstd'].includes(name)
    ) {
      return new CompressionCodecUnavailableError(
        name,
        `Unknown compression "${name}": Kafka defines none (0), gzip (1), snappy (2), lz4 (3) and zstd (4)`,
      )
    }
    return new CompressionCodecUnavailableError(
      name,
      `Compression codec "${name}" is not registered in this CodecRegistry: use CodecRegistry.default() ` +
        `or register(codec)`,
    )
  }
}

let shared: CodecRegistry | undefined

/** One `CodecRegistry.default()` shared by builders and decoders given no registry of their own. */
export function sharedDefaultCodecs(): CodecRegistry {
  if (!shared) shared = CodecRegistry.default()
  return shared
}
