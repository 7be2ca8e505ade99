// Building one RecordBatch of 1,000 records (16-byte keys, 100-byte values, ≈ 117 KB) into a reused pooled
// buffer, against the built bundle (dist/, what users install) rather than the TypeScript sources:
//   npx turbo run build --filter=@x/protocol && node packages/protocol/bench/build-batch.mjs [--runs 3000]
// Same inputs as src/records/record-batch-builder.bench.ts. Each row times every run on its own and reports
// the minimum and the median in µs: on a shared machine the minimum is the run nobody preempted.
import { loadavg } from 'node:os'
import { crc32cImplementation, crc32cPureRange, crc32cRange, RecordBatchBuilder } from '@x/protocol'

const runsIndex = process.argv.indexOf('--runs')
const runs = runsIndex > 0 ? Number(process.argv[runsIndex + 1]) : 3000
const T0 = 1_700_000_000_000
const encoder = new TextEncoder()
const keys = Array.from({ length: 1000 }, (_, i) =>
  encoder.encode(`user-${String(i % 97).padStart(11, '0')}`),
)
const text = 'the quick brown fox jumps over the lazy dog while kafka batches records per partition '
const values = Array.from({ length: 1000 }, (_, i) => encoder.encode(`${i}: ${text}${text}`.slice(0, 100)))
const pooled = new Uint8Array(128 * 1024)

function appendAll(builder, fused) {
  if (fused) {
    for (let i = 0; i < 1000; i++) builder.tryAppend(T0 + (i >> 4), keys[i], values[i], null)
  } else {
    for (let i = 0; i < 1000; i++) builder.append(T0 + (i >> 4), keys[i], values[i], null)
  }
}

const rows = [
  [
    'build batch, append ×1000 + close (header, CRC32C)',
    () => {
      const builder = new RecordBatchBuilder(pooled)
      appendAll(builder, false)
      builder.close()
    },
  ],
  [
    'build batch, tryAppend ×1000 + close',
    () => {
      const builder = new RecordBatchBuilder(pooled)
      appendAll(builder, true)
      builder.close()
    },
  ],
  ['append ×1000 only (no close)', () => appendAll(new RecordBatchBuilder(pooled), false)],
  ['CRC32C of the 117 KB batch', () => crc32cRange(pooled, 21, 117_000)],
  ['CRC32C of the 117 KB batch, pure TypeScript', () => crc32cPureRange(pooled, 21, 117_000)],
]

function measure(fn) {
  for (let i = 0; i < 500; i++) fn() // warm-up: optimized code
  const times = new Float64Array(runs)
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint()
    fn()
    times[i] = Number(process.hrtime.bigint() - start) / 1000
  }
  times.sort()
  return { min: times[0], median: times[runs >> 1] }
}

console.log(
  `node ${process.version}, CRC32C ${crc32cImplementation()}, ${runs} runs, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
)
for (const [label, fn] of rows) {
  if (label.includes('tryAppend') && typeof RecordBatchBuilder.prototype.tryAppend !== 'function') continue
  const { min, median } = measure(fn)
  console.log(`${label}: min ${min.toFixed(1)} µs, median ${median.toFixed(1)} µs`)
}
