// Compress/decompress throughput per codec on the records section of a 1,000 × 100-byte-record batch
// (~117 KB of fairly compressible record bytes): MB/s = 0.117 × hz.
import { bench, describe } from 'vitest'
import { CodecRegistry } from './codec-registry.js'

const registry = CodecRegistry.default()
await registry.prepare()
const text = 'the quick brown fox jumps over the lazy dog while kafka batches records per partition '
const lines = Array.from({ length: 1000 }, (_, i) => `user-${i % 97} ${i}: ${text}${text}`.slice(0, 117))
const data = new TextEncoder().encode(lines.join(''))

for (const name of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
  const codec = registry.get(name)
  const packed = codec.compress(data)
  describe(`${name} (${data.length} → ${packed.length} bytes)`, () => {
    bench('compress', () => {
      codec.compress(data)
    })
    bench('decompress', () => {
      codec.decompress(packed)
    })
  })
}
