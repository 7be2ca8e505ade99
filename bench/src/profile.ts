// Where @x/producer's per-record path spends CPU and allocates: runs `x-send` on the targets' workload
// (100 B, acks=1, 6 partitions, linger 5 ms) against the bench cluster (3 nodes, or one with `--nodes 1`)
// twice, once under the inspector's sampling CPU profiler and once under its sampling heap profiler
// (collected objects included), and maps both back to the TypeScript sources.
//
//   npm run -w @x/bench profile -- [--records 1000000] [--client x-send] [--nodes 1] [--cluster state.json] [--worktree] [--doc]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import {
  byArea,
  type CpuProfile,
  cpuSelfTimes,
  type FunctionCost,
  type HeapProfile,
  heapSelfSizes,
  SourceLocator,
} from './profile/profile-summary.js'
import { replaceDocSection } from './report/doc-section.js'
import { integer } from './report/format.js'
import type { RunMetrics } from './report/results.js'
import { BenchCluster } from './runner/bench-cluster.js'
import { benchDir, bundleChildren, repoRoot } from './runner/bundle-children.js'
import { clientById } from './runner/client-specs.js'
import { runClient } from './runner/run-client.js'
import { warmBrokers } from './runner/warm-brokers.js'
import { profileWorkloads } from './workloads.js'

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '1000000' },
    client: { type: 'string', default: 'x-send' },
    cluster: { type: 'string' },
    nodes: { type: 'string', default: '3' },
    out: { type: 'string', default: join(benchDir, 'results') },
    doc: { type: 'boolean', default: false },
    worktree: { type: 'boolean', default: false },
  },
})

const log = (line: string) => console.log(`profile: ${line}`)
const spec = clientById(values.client!)
const records = Number(values.records)
const workload = profileWorkloads('quick')[0]!
const out = values.out!
mkdirSync(out, { recursive: true })
const scripts = await bundleChildren([spec.entry!], values.worktree ? 'worktree' : 'head')
const cluster = values.cluster
  ? BenchCluster.load(values.cluster)
  : await BenchCluster.start(log, Number(values.nodes))

async function profiledRun(kind: 'cpu' | 'heap'): Promise<{ metrics: RunMetrics; file: string }> {
  const file = join(out, `profile-${spec.id}.${kind === 'cpu' ? 'cpuprofile' : 'heapprofile'}`)
  const topic = await cluster.createTopic(`profile-${kind}`, workload.partitions)
  const metrics = await runClient(spec, {
    cluster,
    topic,
    workload,
    records,
    scripts,
    log,
    maxSendMs: 0,
    profile: { profile: kind, profileFile: file },
  })
  await cluster.deleteTopic(topic)
  log(`${kind}: ${integer(metrics.recordsPerSec)} records/s, ${file}`)
  return { metrics, file }
}

let cpu: Awaited<ReturnType<typeof profiledRun>>
let heap: Awaited<ReturnType<typeof profiledRun>>
try {
  await warmBrokers(cluster, scripts, log)
  cpu = await profiledRun('cpu')
  heap = await profiledRun('heap')
} finally {
  cluster.stop()
}

const locator = new SourceLocator(repoRoot)
const times = cpuSelfTimes(JSON.parse(readFileSync(cpu.file, 'utf8')) as CpuProfile, locator)
const sizes = heapSelfSizes(JSON.parse(readFileSync(heap.file, 'utf8')) as HeapProfile, locator)
const busy = times.reduce((sum, c) => sum + c.amount, 0)
const sampled = sizes.reduce((sum, c) => sum + c.amount, 0)

const nsPerRecord = (micros: number) => ((micros * 1000) / cpu.metrics.records).toFixed(0)
const bytesPerRecord = (bytes: number) => (bytes / heap.metrics.records).toFixed(1)
const percent = (part: number, whole: number) => `${((part / whole) * 100).toFixed(1)}%`
const row = (cells: string[]) => `| ${cells.join(' | ')} |`
const head = (cells: string[]) => [row(cells), row(cells.map((_, i) => (i === 0 ? '---' : '---:')))]
const fn = (c: FunctionCost) => `\`${c.name}\` ${c.location ? `(${c.location})` : ''}`

const cpuSeconds = (cpu.metrics.cpuUserSec ?? 0) + (cpu.metrics.cpuSysSec ?? 0)
const lines = [
  `Command: \`npm run -w @x/bench profile -- --records ${records}${values.nodes === '3' ? '' : ` --nodes ${values.nodes}`}\` — client \`${spec.id}\`, workload \`${workload.id}\`, ${new Date().toISOString()}.`,
  '',
  `CPU-profiled run: ${integer(cpu.metrics.records)} records at ${integer(cpu.metrics.recordsPerSec)} records/s; the process used ${cpuSeconds.toFixed(2)} s of CPU (${((cpuSeconds * 1e6) / cpu.metrics.records).toFixed(2)} µs per record, start-up included); the profiler saw ${(busy / 1e6).toFixed(2)} s busy in the send loop (${nsPerRecord(busy)} ns per record; samples are wall-clock time on the main thread, so a busy machine inflates them). Heap: ${integer(cpu.metrics.allocatedBytesPerRecord ?? 0)} bytes allocated per record over the whole run (GC traces); the sampling heap profiler attributes ${bytesPerRecord(sampled)} bytes per record.`,
  '',
  '**CPU by package** (self time):',
  '',
  ...head(['area', 'share of busy time', 'ns per record']),
  ...byArea(times)
    .slice(0, 12)
    .map((a) => row([a.area, percent(a.amount, busy), nsPerRecord(a.amount)])),
  '',
  '**Hottest functions** (self time):',
  '',
  ...head(['function', 'area', 'share', 'ns per record']),
  ...times.slice(0, 25).map((c) => row([fn(c), c.area, percent(c.amount, busy), nsPerRecord(c.amount)])),
  '',
  '**Allocation by package** (sampling heap profiler, every 256 bytes on average, collected objects kept):',
  '',
  ...head(['area', 'share', 'bytes per record']),
  ...byArea(sizes)
    .slice(0, 10)
    .map((a) => row([a.area, percent(a.amount, sampled), bytesPerRecord(a.amount)])),
  '',
  '**Top allocation sites:**',
  '',
  ...head(['function', 'area', 'share', 'bytes per record']),
  ...sizes
    .slice(0, 15)
    .map((c) => row([fn(c), c.area, percent(c.amount, sampled), bytesPerRecord(c.amount)])),
]
const report = lines.join('\n')
writeFileSync(join(out, 'profile-latest.md'), `${report}\n`)
console.log(`\n${report}\n`)
if (values.doc) replaceDocSection(join(repoRoot, 'docs', 'benchmarks.md'), 'profile', report)
