// Builds every golden case with our RecordBatchBuilder and writes `name<TAB>hex` lines for
// `RecordBatchGoldens verify`, so Kafka's own reader checks our bytes (CRC, sizes, every record).
import { writeFileSync } from 'node:fs'
import { CodecRegistry } from '../src/compression/codec-registry.js'
import { buildOurs, javaCases } from '../src/records/__fixtures__/java-cases.js'

const out = process.argv[2]
if (!out) throw new Error('usage: tsx write-ours.ts <ours.tsv>')
const codecs = CodecRegistry.default()
await codecs.prepare()
const lines = javaCases().map((c) => `${c.name}\t${Buffer.from(buildOurs(c, { codecs })).toString('hex')}`)
writeFileSync(out, `${lines.join('\n')}\n`)
console.log(`wrote ${lines.length} batches built by @x/protocol to ${out}`)
