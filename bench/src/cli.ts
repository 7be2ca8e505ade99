// The side-by-side benchmark: @x/producer against KafkaJS, @platformatic/kafka, node-rdkafka, Java's
// ProducerPerformance and kcat, in one run against one 3-node Kafka cluster. See bench/README.md.
//
//   npm run -w @x/bench suite -- --quick                 targets' workload for every client (~10-15 min)
//   npm run -w @x/bench suite -- --full                  the whole matrix (hours on 2 cores)
//   npm run -w @x/bench suite -- --where size=1024 --where acks=all --clients x-send,node-rdkafka
//   npm run -w @x/bench suite -- --quick --doc           also rewrite docs/benchmarks.md's results section
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { replaceDocSection, updateReadmeSummary } from './report/doc-section.js'
import { readmeSummary, renderReport } from './report/markdown-report.js'
import type { RunResult, SuiteResult } from './report/results.js'
import { BenchCluster } from './runner/bench-cluster.js'
import { benchDir, bundleChildren, repoRoot } from './runner/bundle-children.js'
import { CLIENTS, type ClientSpec, clientById } from './runner/client-specs.js'
import { ensureNodeRdkafka } from './runner/ensure-node-rdkafka.js'
import { machineInfo, versions } from './runner/machine-info.js'
import { RunFailure, runClient } from './runner/run-client.js'
import { warmBrokers } from './runner/warm-brokers.js'
import {
  matchesFilter,
  type Profile,
  parseWorkloadFilter,
  profileWorkloads,
  type Workload,
} from './workloads.js'

/** @x/producer's default `buffer.memory` (Java's), which every x-* run uses. */
const BUFFER_MEMORY = 32 * 1024 * 1024

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    full: { type: 'boolean', default: false },
    where: { type: 'string', multiple: true, default: [] },
    clients: { type: 'string' },
    scale: { type: 'string', default: '1' },
    'max-seconds': { type: 'string', default: '30' },
    repeat: { type: 'string', default: '1' },
    worktree: { type: 'boolean', default: false },
    cluster: { type: 'string' },
    nodes: { type: 'string', default: '3' },
    out: { type: 'string', default: join(benchDir, 'results') },
    doc: { type: 'boolean', default: false },
    list: { type: 'boolean', default: false },
    from: { type: 'string' },
    'skip-warmup': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
})

if (values.help) {
  console.log(`usage: npm run -w @x/bench suite -- [--quick | --full] [--where key=v1,v2]… [--clients id,…]
         [--scale 0.5] [--max-seconds 30] [--repeat 3] [--worktree] [--nodes 3|1] [--cluster .cache/kafka/local/state.json] [--out dir] [--doc] [--list] [--skip-warmup] [--from results.json]
  --scale: multiplies every run's record count except the soak's (10 million, as its target says)
  --nodes: brokers of the cluster the suite starts (3, replication factor 3; or 1, replication factor 1)
  --worktree: bundle @x from the work tree instead of the last commit
  --repeat: run every client N times (interleaved rounds); tables show the median run and the range
  --max-seconds: a Node client stops sending after this long in unthrottled runs (its figures cover what it sent)
  --where keys: kind (throughput|latency|soak), size, acks, partitions, compression, keyed, id
  clients: ${CLIENTS.map((c) => c.id).join(', ')}`)
  process.exit(0)
}

const profile: Profile = values.full ? 'full' : 'quick'
const filter = parseWorkloadFilter(values.where ?? [])
const workloads = profileWorkloads(profile).filter((w) => matchesFilter(w, filter))
const clients: ClientSpec[] = values.clients ? values.clients.split(',').map(clientById) : [...CLIENTS]
const maxSendMs = Number(values['max-seconds']) * 1000
const scale = Number(values.scale)
if (!(scale > 0)) throw new Error(`--scale ${values.scale}: expected a positive number`)

function recordsFor(spec: ClientSpec, workload: Workload): number {
  // The soak's 10 million records are the target's definition: --scale resizes the other runs only.
  if (workload.kind === 'soak') return workload.records
  const step = Math.max(1000, spec.batchRecords)
  return Math.max(step, Math.round((workload.records * spec.recordsScale * scale) / step) * step)
}

const nodes = Number(values.nodes)
if (nodes !== 1 && nodes !== 3) throw new Error(`--nodes ${values.nodes}: expected 1 or 3`)

const repeat = Number(values.repeat)
if (!(Number.isInteger(repeat) && repeat >= 1))
  throw new Error(`--repeat ${values.repeat}: expected a whole number ≥ 1`)
// Rounds run one after the other, each through every workload and client, so drift in the machine's load
// spreads over all clients instead of hitting one. The soak runs in every round too: its peak RSS depends
// on whether the broker kept up, so one soak is a draw, and the report takes the median with the range.
const plan = Array.from({ length: repeat }, (_, i) => i + 1).flatMap((round) =>
  workloads.flatMap((workload) => clients.map((spec) => ({ workload, spec, round }))),
)
console.log(
  `bench: profile ${profile}, ${workloads.length} workloads × ${clients.length} clients × ${repeat} rounds`,
)
for (const { workload, spec } of plan.filter((p) => p.round === 1)) {
  const why = spec.unsupported(workload)
  console.log(
    `  ${workload.id}  ${spec.id}${why ? `  (n/a: ${why})` : `  ${recordsFor(spec, workload)} records`}`,
  )
}
if (values.list) process.exit(0)

const log = (line: string) => console.log(`bench: ${line}`)

/** Runs the plan on one cluster and collects every run. */
async function runSuite(): Promise<SuiteResult> {
  const loadStart = os.loadavg()[0]!
  const startedAt = new Date()
  if (clients.some((c) => c.library === 'node-rdkafka')) ensureNodeRdkafka()
  const source = values.worktree ? 'worktree' : 'head'
  const scripts = await bundleChildren(
    clients.flatMap((c) => (c.entry ? [c.entry] : [])),
    source,
  )
  log(values.cluster ? `using the cluster of ${values.cluster}` : `starting a ${nodes}-node Kafka cluster`)
  const cluster = values.cluster ? BenchCluster.load(values.cluster) : await BenchCluster.start(log, nodes)
  const snapshot = cluster.cluster.snapshot()
  const runs: RunResult[] = []
  try {
    if (!values['skip-warmup']) await warmBrokers(cluster, scripts, log)
    for (const { workload, spec, round } of plan) {
      const why = spec.unsupported(workload)
      if (why) {
        if (round === 1)
          runs.push({ workloadId: workload.id, clientId: spec.id, status: 'unsupported', reason: why })
        continue
      }
      const records = recordsFor(spec, workload)
      const topic = await cluster.createTopic(spec.id, workload.partitions)
      const started = performance.now()
      try {
        const metrics = await runClient(spec, { cluster, topic, workload, records, scripts, log, maxSendMs })
        runs.push({
          workloadId: workload.id,
          clientId: spec.id,
          status: 'ok',
          metrics,
          wallMs: performance.now() - started,
          round,
        })
        const m = metrics
        log(
          `round ${round} ${workload.id} ${spec.id}: ${Math.round(m.recordsPerSec).toLocaleString('en-US')} records/s` +
            (m.latency ? `, p99 ${m.latency.p99Ms.toFixed(2)} ms` : '') +
            (m.peakRssKiB ? `, RSS ${Math.round(m.peakRssKiB / 1024)} MiB` : '') +
            (m.runQueueShare === undefined
              ? ''
              : `, waited for a CPU ${Math.round(m.runQueueShare * 100)}% of the run`),
        )
      } catch (error) {
        if (!(error instanceof RunFailure)) throw error
        runs.push({
          workloadId: workload.id,
          clientId: spec.id,
          status: 'failed',
          reason: error.message.split('\n')[0],
          round,
        })
        log(`round ${round} ${workload.id} ${spec.id}: FAILED ${error.message}`)
      }
      await cluster.deleteTopic(topic)
    }
  } finally {
    cluster.stop()
  }

  return {
    version: 1,
    profile,
    command: `npm run -w @x/bench suite -- ${process.argv.slice(2).join(' ')}`.trim(),
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: machineInfo(loadStart),
    versions: versions(snapshot.brokerVersion, snapshot.toolsVersion, source, snapshot.nodes.length),
    bufferMemory: BUFFER_MEMORY,
    workloads,
    clients: clients.map((c) => ({ id: c.id, label: c.label, library: c.library, runtime: c.runtime })),
    runs,
  }
}

// --from re-renders the report (and with --doc the docs) from a saved results file, running nothing
const suite: SuiteResult = values.from
  ? (JSON.parse(readFileSync(values.from, 'utf8')) as SuiteResult)
  : await runSuite()

const out = values.out!
mkdirSync(out, { recursive: true })
const stamp = suite.startedAt.replace(/[:.]/g, '-')
const jsonFile = values.from ?? join(out, `${stamp}.json`)
if (!values.from) writeFileSync(jsonFile, `${JSON.stringify(suite, null, 2)}\n`)
writeFileSync(join(out, 'latest.json'), `${JSON.stringify(suite, null, 2)}\n`)
const report = renderReport(suite)
writeFileSync(join(out, 'latest.md'), `${report}\n`)
console.log(`\n${report}\n`)
log(`results in ${jsonFile}`)

const python = join(repoRoot, '.cache', 'bench-venv', 'bin', 'python')
const chart = join(out, 'latest.png')
if (existsSync(python)) {
  const render = spawnSync(python, [join(benchDir, 'chart', 'render-chart.py'), jsonFile, chart], {
    stdio: 'inherit',
  })
  if (render.status !== 0) log('the chart could not be rendered (see above)')
} else {
  log('no chart: run bench/setup.sh to install matplotlib into .cache/bench-venv')
}

if (values.doc) {
  replaceDocSection(join(repoRoot, 'docs', 'benchmarks.md'), 'results', report)
  const json = join(repoRoot, 'docs', 'benchmarks.json')
  writeFileSync(json, `${JSON.stringify(suite, null, 2)}\n`)
  spawnSync('npx', ['biome', 'format', '--write', json], { stdio: 'inherit' })
  if (existsSync(chart)) copyFileSync(chart, join(repoRoot, 'docs', 'benchmarks.png'))
  updateReadmeSummary(join(repoRoot, 'README.md'), readmeSummary(suite))
  log('rewrote docs/benchmarks.md, docs/benchmarks.json, docs/benchmarks.png and the README summary')
}
