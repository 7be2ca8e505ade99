import { describe, expect, it } from 'vitest'
import { CodecRegistry } from './codec-registry.js'
import type { CompressionCodec } from './compression-codec.js'
import { CompressionCodecUnavailableError } from './compression-error.js'
import { createNodeZstdCodec, loadWasmZstdCodec, ZSTD_WASM_PACKAGE } from './zstd-codec.js'

const fakeSnappy: CompressionCodec = {
  id: 2,
  name: 'snappy',
  compress: (data) => data.slice(),
  decompress: (data) => data.slice(),
}

describe('CodecRegistry', () => {
  it('gives every Kafka codec by name and by attribute id once prepared', async () => {
    const registry = CodecRegistry.default()
    await registry.prepare()
    for (const [id, name] of ['none', 'gzip', 'snappy', 'lz4', 'zstd'].entries()) {
      expect(registry.get(name as 'none').id).toBe(id)
      expect(registry.get(id).name).toBe(name)
    }
  })

  it('has zstd at once where node:zlib has it, else only after prepare', async () => {
    const registry = CodecRegistry.default()
    if (createNodeZstdCodec()) {
      expect(registry.has('zstd')).toBe(true)
    } else {
      expect(registry.has('zstd')).toBe(false)
      expect(() => registry.get('zstd')).toThrow(/await registry.prepare\('zstd'\)/)
      await registry.prepare('zstd')
      expect(registry.has('zstd')).toBe(true)
    }
  })

  it('lets users replace a codec with their own', () => {
    const registry = CodecRegistry.default().register(fakeSnappy)
    expect(registry.get('snappy')).toBe(fakeSnappy)
  })

  it('rejects a codec whose id is not the one Kafka gives its name', () => {
    expect(() => new CodecRegistry().register({ ...fakeSnappy, id: 3 })).toThrow(/snappy=2/)
  })

  it('throws a typed error for a codec it does not have, and for an unknown id', () => {
    const registry = new CodecRegistry()
    expect(() => registry.get('lz4')).toThrow(CompressionCodecUnavailableError)
    expect(() => registry.get('lz4')).toThrow(/not registered/)
    expect(() => registry.get(6)).toThrow(/Unknown compression "6"/)
    try {
      registry.get('gzip')
    } catch (error) {
      expect((error as CompressionCodecUnavailableError).code).toBe('COMPRESSION_CODEC_UNAVAILABLE')
      expect((error as CompressionCodecUnavailableError).codec).toBe('gzip')
    }
  })

  it('runs a loader once on prepare and then serves its codec synchronously', async () => {
    let loads = 0
    const registry = new CodecRegistry().registerLoader('snappy', async () => {
      loads++
      return fakeSnappy
    })
    expect(() => registry.get('snappy')).toThrow(/not ready/)
    await registry.prepare('snappy')
    await registry.prepare('snappy')
    expect(loads).toBe(1)
    expect(registry.get('snappy')).toBe(fakeSnappy)
  })

  it('rejects prepare for a codec it has no loader for', async () => {
    await expect(new CodecRegistry().prepare('zstd')).rejects.toThrow(CompressionCodecUnavailableError)
  })
})

describe('WebAssembly zstd', () => {
  it('loads from the optional package and round-trips', async () => {
    const codec = await loadWasmZstdCodec({ level: 3 })
    const data = new TextEncoder().encode('zstd '.repeat(1000))
    expect(Buffer.from(codec.decompress(codec.compress(data))).equals(Buffer.from(data))).toBe(true)
  })

  it('names the npm package to install when it is missing', async () => {
    await expect(loadWasmZstdCodec({}, '@x/not-an-installed-zstd-package')).rejects.toThrow(
      /npm install @x\/not-an-installed-zstd-package/,
    )
    expect(ZSTD_WASM_PACKAGE).toBe('@bokuweb/zstd-wasm')
  })

  it('rejects a level zstd does not have', async () => {
    await expect(loadWasmZstdCodec({ level: 23 })).rejects.toThrow(/zstd level/)
  })
})
