import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { commandPropertyFlag, parseProducerPerformance } from '@x/kafka-harness'
import { type ChildConfig, type ChildReport, RESULT_PREFIX } from '../child/child-protocol.js'
import type { RunMetrics } from '../report/results.js'
import type { Workload } from '../workloads.js'
import type { BenchCluster } from './bench-cluster.js'
import { repoRoot } from './bundle-children.js'
import type { ClientSpec } from './client-specs.js'
import { type ProcessOutcome, runMeasured } from './measured-process.js'

export const node24Binary = join(repoRoot, '.cache', 'node24', 'node_modules', 'node', 'bin', 'node')
const MiB = 1024 * 1024

export interface RunContext {
  cluster: BenchCluster
  topic: string
  workload: Workload
  records: number
  /** Child script per entry, from `bundleChildren`. */
  scripts: Map<string, string>
  /** Throughput runs stop sending after this long (0: no limit). */
  maxSendMs: number
  /** Node children: profile the send loop (see `ChildConfig.profile`). */
  profile?: Pick<ChildConfig, 'profile' | 'profileFile'>
  log: (line: string) => void
}

export class RunFailure extends Error {}

function tailOf(text: string, lines = 12): string {
  return text.trim().split('\n').slice(-lines).join('\n')
}

function requireSuccess(what: string, outcome: ProcessOutcome): void {
  if (outcome.timedOut) throw new RunFailure(`${what} timed out after ${Math.round(outcome.wallMs / 1000)} s`)
  if (outcome.status !== 0) {
    throw new RunFailure(
      `${what} exited with ${outcome.status ?? outcome.signal}:\n${tailOf(outcome.stderr)}\n${tailOf(outcome.stdout, 4)}`,
    )
  }
}

/** Generous: a slow client on a loaded machine still finishes; a hung one does not stall the suite. */
function timeoutFor(workload: Workload, records: number): number {
  const floor = workload.rate ? (records / workload.rate) * 1000 : 0
  return Math.max(180_000, floor * 3, (records / 10_000) * 1000)
}

function withUsage(metrics: RunMetrics, outcome: ProcessOutcome): RunMetrics {
  if (!outcome.usage) return metrics
  return {
    ...metrics,
    peakRssKiB: outcome.usage.maxRssKiB,
    cpuUserSec: outcome.usage.userSec,
    cpuSysSec: outcome.usage.sysSec,
  }
}

async function runNodeClient(spec: ClientSpec, ctx: RunContext): Promise<RunMetrics> {
  const script = ctx.scripts.get(spec.entry!)
  if (!script) throw new Error(`no bundle for ${spec.entry}`)
  const node = spec.runtime === 'node24' ? node24Binary : process.execPath
  if (!existsSync(node)) throw new RunFailure(`${node} is missing: run bench/setup.sh (it fetches Node 24)`)
  const soak = ctx.workload.kind === 'soak'
  const config: ChildConfig = {
    client: spec.id,
    bootstrapServers: ctx.cluster.bootstrapServers,
    topic: ctx.topic,
    workload: ctx.workload,
    records: ctx.records,
    batchRecords: spec.batchRecords,
    window: spec.window,
    maxSendMs: ctx.workload.kind === 'throughput' ? ctx.maxSendMs : 0,
    ...(spec.producerOptions ? { producerOptions: spec.producerOptions } : {}),
    ...ctx.profile,
    soak,
  }
  const outcome = await runMeasured(node, [...(soak ? ['--expose-gc'] : []), script], {
    env: { ...process.env, BENCH_CHILD: JSON.stringify(config) },
    timeoutMs: timeoutFor(ctx.workload, ctx.records),
  })
  requireSuccess(spec.id, outcome)
  const line = outcome.stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX))
  if (!line) throw new RunFailure(`${spec.id} printed no result:\n${tailOf(outcome.stderr)}`)
  const report = JSON.parse(line.slice(RESULT_PREFIX.length)) as ChildReport
  const seconds = report.elapsedMs / 1000
  const { count: _count, ...latency } = report.latency
  return withUsage(
    {
      records: report.records,
      errors: report.errors,
      ...(report.firstError ? { firstError: report.firstError } : {}),
      elapsedMs: report.elapsedMs,
      recordsPerSec: report.records / seconds,
      mbPerSec: (report.records * ctx.workload.recordSize) / MiB / seconds,
      latency,
      peakHeapBytes: report.peakHeapUsedBytes,
      ...(report.allocatedBytes === undefined
        ? {}
        : { allocatedBytesPerRecord: report.allocatedBytes / Math.max(1, report.records) }),
      ...(report.gcPauseMs === undefined ? {} : { gcPauseMs: report.gcPauseMs }),
      ...(report.heapAfterGcByMillion ? { heapAfterGcByMillion: report.heapAfterGcByMillion } : {}),
      ...(report.rssByMillion ? { rssByMillion: report.rssByMillion } : {}),
      ...(report.runQueueShare === undefined ? {} : { runQueueShare: report.runQueueShare }),
      runtime: report.runtime,
    },
    outcome,
  )
}

async function runJavaPerf(ctx: RunContext): Promise<RunMetrics> {
  const { workload } = ctx
  const tools = ctx.cluster.cluster.tools
  const props = {
    'bootstrap.servers': ctx.cluster.bootstrapServers.join(','),
    acks: workload.acks === 'all' ? 'all' : '1',
    'linger.ms': String(workload.lingerMs),
    'compression.type': workload.compression,
  }
  const args = [
    '-Xmx512m',
    '-Djava.awt.headless=true',
    tools.toolsLogFlag,
    '-cp',
    tools.toolsClasspath,
    'org.apache.kafka.tools.ProducerPerformance',
    '--topic',
    ctx.topic,
    '--num-records',
    String(ctx.records),
    '--record-size',
    String(workload.recordSize),
    '--throughput',
    String(workload.rate ?? -1),
    commandPropertyFlag(tools, '--producer-props'),
    ...Object.entries(props).map(([k, v]) => `${k}=${v}`),
  ]
  const outcome = await runMeasured('java', args, { timeoutMs: timeoutFor(workload, ctx.records) })
  requireSuccess('ProducerPerformance', outcome)
  const summary = parseProducerPerformance(outcome.stdout)
  if (!summary) throw new RunFailure(`ProducerPerformance printed no summary:\n${tailOf(outcome.stdout)}`)
  return withUsage(
    {
      records: summary.records,
      errors: 0,
      elapsedMs: (summary.records / summary.recordsPerSec) * 1000,
      recordsPerSec: summary.recordsPerSec,
      mbPerSec: summary.mbPerSec,
      latency: {
        meanMs: summary.avgLatencyMs,
        p50Ms: summary.p50Ms,
        p99Ms: summary.p99Ms,
        p999Ms: summary.p999Ms,
        maxMs: summary.maxLatencyMs,
      },
      runtime: 'java',
    },
    outcome,
  )
}

/** kcat reads its records from a file (page-cached after the first run): lines of A–Z, keys before `:`. */
function kcatInput(workload: Workload, records: number): string {
  const dir = join(tmpdir(), 'x-bench-data')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `kcat-${workload.recordSize}-${workload.keyed ? 'keyed' : 'unkeyed'}-${records}.txt`)
  if (existsSync(file)) return file
  const payloads = Array.from({ length: 64 }, () => {
    let s = ''
    for (let i = 0; i < workload.recordSize; i++)
      s += String.fromCharCode(65 + Math.floor(Math.random() * 26))
    return s
  })
  const lines: string[] = []
  for (let i = 0; i < records; i++) {
    const key = workload.keyed ? `k${String(i % 10_000).padStart(7, '0')}:` : ''
    lines.push(`${key}${payloads[i & 63]}`)
  }
  // written aside then renamed, so a half-written file is never reused by a later run
  writeFileSync(`${file}.tmp`, `${lines.join('\n')}\n`)
  renameSync(`${file}.tmp`, file)
  return file
}

async function runKcat(ctx: RunContext): Promise<RunMetrics> {
  const { workload } = ctx
  const input = kcatInput(workload, ctx.records)
  const args = [
    '-P',
    '-b',
    ctx.cluster.bootstrapServers.join(','),
    '-t',
    ctx.topic,
    '-X',
    `acks=${workload.acks === 'all' ? -1 : 1}`,
    '-X',
    `linger.ms=${workload.lingerMs}`,
    '-X',
    `compression.codec=${workload.compression}`,
    ...(workload.keyed ? ['-K', ':'] : []),
    '-l',
    input,
  ]
  const outcome = await runMeasured('kcat', args, { timeoutMs: timeoutFor(workload, ctx.records) })
  requireSuccess('kcat', outcome)
  const failed = (outcome.stderr.match(/Delivery failed/g) ?? []).length
  // kcat reports nothing per record: throughput is records over the process's wall time (start-up included)
  const seconds = outcome.wallMs / 1000
  return withUsage(
    {
      records: ctx.records - failed,
      errors: failed,
      elapsedMs: outcome.wallMs,
      recordsPerSec: (ctx.records - failed) / seconds,
      mbPerSec: ((ctx.records - failed) * workload.recordSize) / MiB / seconds,
      runtime: 'native',
    },
    outcome,
  )
}

/** Runs one client through one workload in its own process and returns what it measured. */
export async function runClient(spec: ClientSpec, ctx: RunContext): Promise<RunMetrics> {
  const cpuBefore = ctx.cluster.brokerCpuSeconds()
  let metrics: RunMetrics
  if (spec.runtime === 'java') metrics = await runJavaPerf(ctx)
  else if (spec.runtime === 'kcat') metrics = await runKcat(ctx)
  else metrics = await runNodeClient(spec, ctx)
  metrics.brokerCpuSec = ctx.cluster.brokerCpuSeconds() - cpuBefore
  const stored = await ctx.cluster.waitForRecords(ctx.topic, metrics.records)
  if (stored !== metrics.records) {
    throw new RunFailure(
      `${spec.id} counted ${metrics.records} records acknowledged, the brokers hold ${stored}`,
    )
  }
  return metrics
}
