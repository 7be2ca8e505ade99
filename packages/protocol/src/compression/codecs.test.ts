// Vectors: Kafka-compressed records sections from ../records/__fixtures__/java-record-batches.json (Apache
// Kafka's MemoryRecordsBuilder, kafka-clients 4.4.0: gzip via java.util.zip, snappy-java xerial framing,
// lz4-java frames, zstd-jni); LZ4 frames from the lz4 CLI in __fixtures__/lz4-cli-frames.json (command lines
// inside); XXH32 values from the xxHash reference implementation; the snappy vector is hand-assembled from
// the format description.
import { describe, expect, it } from 'vitest'
import { javaCases } from '../records/__fixtures__/java-cases.js'
import lz4Frames from './__fixtures__/lz4-cli-frames.json'
import { CodecRegistry } from './codec-registry.js'
import type { CompressionCodec, CompressionName } from './compression-codec.js'
import { CompressionError } from './compression-error.js'
import { createGzipCodec } from './gzip-codec.js'
import { lz4CompressFrame, lz4DecompressFrame } from './lz4-codec.js'
import { snappyCompressBlock, snappyDecompressBlock } from './snappy-block.js'
import { xxhash32 } from './xxhash32.js'

const registry = CodecRegistry.default()
await registry.prepare()
const names: CompressionName[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd']

function random(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length)
  let x = seed >>> 0 || 1
  for (let i = 0; i < length; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}

function compressible(length: number): Uint8Array {
  const words = ['kafka ', 'record ', 'batch ', 'producer ', 'partition ', 'offset ', 'leader ']
  const out = new Uint8Array(length)
  let p = 0
  for (let i = 0; p < length; i++) {
    const word = words[(i * 7 + (i >> 3)) % words.length]!
    for (let j = 0; j < word.length && p < length; j++) out[p++] = word.charCodeAt(j)
  }
  return out
}

const sizes = [0, 1, 2, 3, 4, 5, 13, 100, 4096, 65535, 65536, 65537, 200_000, 1 << 20]
const equal = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b))

describe.each(names)('%s codec', (name) => {
  const codec: CompressionCodec = registry.get(name)

  it('round-trips random and compressible data of every size around the 64 KiB block boundary', () => {
    for (const size of sizes) {
      for (const data of [random(size, size + 1), compressible(size)]) {
        const packed = codec.compress(data)
        expect(equal(codec.decompress(packed), data), `${name} ${size}`).toBe(true)
      }
    }
  })

  it('returns plain Uint8Arrays', () => {
    const data = compressible(1000)
    expect(codec.compress(data).constructor).toBe(Uint8Array)
    expect(codec.decompress(codec.compress(data)).constructor).toBe(Uint8Array)
  })
})

describe.each(names.filter((name) => name !== 'none'))('%s compression', (name) => {
  const codec: CompressionCodec = registry.get(name)

  it('makes compressible data smaller', () => {
    const data = compressible(100_000)
    expect(codec.compress(data).length).toBeLessThan(data.length / 4)
  })

  it("decodes the records sections Kafka's Java compressors wrote", () => {
    const cases = javaCases()
    for (const shape of ['mixed', 'bulk']) {
      const plain = cases.find((c) => c.name === `${shape}-none`)!.batch.subarray(61)
      const packed = cases.find((c) => c.name === `${shape}-${name}`)!.batch.subarray(61)
      expect(equal(codec.decompress(packed), plain), `${shape}-${name}`).toBe(true)
    }
  })

  it('throws CompressionError on garbage', () => {
    const garbage = random(300, 99)
    garbage[0] = 0x05 // not a gzip/zstd/lz4 magic; a snappy length far beyond the input
    expect(() => codec.decompress(garbage)).toThrow(CompressionError)
  })
})

describe('LZ4 frames', () => {
  it("writes Kafka's frame header: magic, FLG with independent blocks, 64 KiB BD, XXH32 header checksum", () => {
    const frame = lz4CompressFrame(compressible(10))
    expect(Buffer.from(frame.subarray(0, 7)).toString('hex')).toBe('04224d18604082')
    expect(Buffer.from(frame.subarray(frame.length - 4)).toString('hex')).toBe('00000000')
  })

  it('splits input into blocks of at most 64 KiB and stores incompressible blocks raw', () => {
    const data = random(200_000, 5)
    const frame = lz4CompressFrame(data)
    const blocks: { size: number; raw: boolean }[] = []
    for (let p = 7; ; ) {
      const word = new DataView(frame.buffer, frame.byteOffset).getUint32(p, true)
      if (word === 0) break
      blocks.push({ size: word & 0x7fffffff, raw: word >>> 31 === 1 })
      p += 4 + (word & 0x7fffffff)
    }
    expect(blocks).toEqual([
      { size: 65536, raw: true },
      { size: 65536, raw: true },
      { size: 65536, raw: true },
      { size: 200_000 - 3 * 65536, raw: true },
    ])
  })

  it('decodes frames from the lz4 CLI: linked blocks, block checksums, content size, 256 KiB blocks', () => {
    const text = Array.from(
      { length: 2000 },
      (_, n) => `line ${n}: the quick brown fox jumps over the lazy dog\n`,
    )
    const expected = new TextEncoder().encode(text.join(''))
    for (const [name, hex] of Object.entries(lz4Frames.frames)) {
      expect(equal(lz4DecompressFrame(Buffer.from(hex, 'hex')), expected), name).toBe(true)
    }
  })

  it('detects a corrupted block checksum and content checksum', () => {
    for (const name of ['blockChecksum', 'linked'] as const) {
      const frame = Uint8Array.from(Buffer.from(lz4Frames.frames[name], 'hex'))
      frame[frame.length - 2]! ^= 0xff // inside the content checksum, or the last block's checksum
      expect(() => lz4DecompressFrame(frame)).toThrow(/checksum mismatch|Corrupt LZ4/)
    }
  })

  it('rejects the pre-KIP-57 header checksum that covered the magic, naming it', () => {
    const frame = lz4CompressFrame(compressible(1000))
    frame[6] = (xxhash32(frame, 0, 6) >>> 8) & 0xff
    expect(() => lz4DecompressFrame(frame)).toThrow(/KIP-57/)
  })

  it('rejects truncated frames and wrong magic', () => {
    const frame = lz4CompressFrame(compressible(5000))
    expect(() => lz4DecompressFrame(frame.subarray(0, frame.length - 2))).toThrow(CompressionError)
    expect(() => lz4DecompressFrame(frame.subarray(0, 20))).toThrow(CompressionError)
    const wrong = frame.slice()
    wrong[0] = 0
    expect(() => lz4DecompressFrame(wrong)).toThrow(/magic/)
  })
})

describe('snappy', () => {
  it('decodes a hand-assembled block with an overlapping copy', () => {
    // length 10; literal "abc" (tag (3-1)<<2); copy-1 of length 7 at offset 3 (tag (7-4)<<2 | 1)
    const block = Uint8Array.from([0x0a, 0x08, 0x61, 0x62, 0x63, 0x0d, 0x03])
    expect(new TextDecoder().decode(snappyDecompressBlock(block))).toBe('abcabcabca')
  })

  it('writes a raw block (no xerial header) that starts with the uncompressed length', () => {
    const packed = snappyCompressBlock(compressible(300))
    expect(Array.from(packed.subarray(0, 2))).toEqual([0xac, 0x02])
  })

  it('rejects copies reaching before the start of the output', () => {
    expect(() => snappyDecompressBlock(Uint8Array.from([0x05, 0x0d, 0x03]))).toThrow(/out of range/)
  })

  it('rejects a block that decodes to fewer bytes than it declares', () => {
    expect(() => snappyDecompressBlock(Uint8Array.from([0x05, 0x04, 0x61, 0x62]))).toThrow(/declared/)
  })
})

describe('xxhash32', () => {
  it('matches the reference values', () => {
    const text = (s: string) => new TextEncoder().encode(s)
    expect(xxhash32(text(''))).toBe(0x02cc5d05)
    expect(xxhash32(text('a'))).toBe(0x550d7456)
    expect(xxhash32(text('abc'))).toBe(0x32d153ff)
    expect(xxhash32(text('Nobody inspects the spammish repetition'))).toBe(0xe2293b2f)
  })
})

describe('gzip levels', () => {
  it('rejects levels outside -1..9, naming the option', () => {
    expect(() => createGzipCodec({ level: 10 })).toThrow(/gzip level/)
    expect(createGzipCodec({ level: 1 }).compress(compressible(1000)).length).toBeGreaterThan(0)
  })
})
