// Building one batch of 1,000 records with 16-byte keys and 100-byte values into a reused pooled buffer:
// append ×1000 then close (header + CRC32C, plus compression for the codec rows). The brief's target is well
// under 100 µs uncompressed. Also decoding that batch back. bench/build-batch.mjs times the same against the built
// bundle (dist/).
import { bench, describe } from 'vitest'
import { CodecRegistry } from '../compression/codec-registry.js'
import type { CompressionName } from '../compression/compression-codec.js'
import { RecordBatchBuilder } from './record-batch-builder.js'
import { decodeRecordBatches } from './record-batch-decoder.js'

const codecs = CodecRegistry.default()
await codecs.prepare()
const T0 = 1_700_000_000_000
const keys = Array.from({ length: 1000 }, (_, i) =>
  new TextEncoder().encode(`user-${String(i % 97).padStart(11, '0')}`),
)
const text = 'the quick brown fox jumps over the lazy dog while kafka batches records per partition '
const values = Array.from({ length: 1000 }, (_, i) =>
  new TextEncoder().encode(`${i}: ${text}${text}`.slice(0, 100)),
)
const pooled = new Uint8Array(128 * 1024)

function build(compression: CompressionName): Uint8Array {
  const builder = new RecordBatchBuilder(pooled, { compression, codecs })
  for (let i = 0; i < 1000; i++) builder.append(T0 + (i >> 4), keys[i]!, values[i]!, null)
  return builder.close()
}

describe('build 1,000 × 100-byte records', () => {
  for (const compression of ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const) {
    bench(compression, () => {
      build(compression)
    })
  }
})

describe('append only, 1,000 × 100-byte records (no close)', () => {
  bench('append', () => {
    const builder = new RecordBatchBuilder(pooled)
    for (let i = 0; i < 1000; i++) builder.append(T0 + (i >> 4), keys[i]!, values[i]!, null)
  })
  bench('tryAppend (room check + append, as the accumulator appends)', () => {
    const builder = new RecordBatchBuilder(pooled)
    for (let i = 0; i < 1000; i++) builder.tryAppend(T0 + (i >> 4), keys[i]!, values[i]!, null)
  })
})

describe('decode 1,000 × 100-byte records', () => {
  const plain = build('none').slice()
  bench('decodeRecordBatches (none)', () => {
    decodeRecordBatches(plain)
  })
})
