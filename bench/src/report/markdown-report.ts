import { BASELINE } from '../runner/client-specs.js'
import { TARGET, type Workload, workloadId } from '../workloads.js'
import { DASH, fixed, integer, mebibytes, millis, ratio } from './format.js'
import type { RunMetrics, RunResult, SuiteResult } from './results.js'

const MiB = 1024 * 1024

/** The baseline's records/s over this run's: how many times faster `x-send` is than the client. */
export function speedupOverClient(baseline: RunMetrics | undefined, client: RunMetrics | undefined): number {
  if (!baseline || !client || client.recordsPerSec === 0) return Number.NaN
  return baseline.recordsPerSec / client.recordsPerSec
}

/** The client's records/s relative to the baseline's (the tables' `× x-send` column). */
export function relativeToBaseline(baseline: RunMetrics | undefined, client: RunMetrics | undefined): number {
  if (!baseline || !client || baseline.recordsPerSec === 0) return Number.NaN
  return client.recordsPerSec / baseline.recordsPerSec
}

/** The key runs of one pair are ranked by: records/s, or p99 for fixed-rate (latency) workloads. */
function rankKey(workloadId: string): (m: RunMetrics) => number {
  if (workloadId.startsWith('soak-')) return (m) => m.peakRssKiB ?? Number.POSITIVE_INFINITY
  return workloadId.startsWith('latency-')
    ? (m) => m.latency?.p99Ms ?? Number.POSITIVE_INFINITY
    : (m) => m.recordsPerSec
}

/**
 * The representative of a client's repeated runs of one workload: the median run by records/s (by p99 at
 * a fixed rate, by peak RSS for the soak; the lower median for an even count), so one lucky or unlucky round on a shared machine
 * does not decide a ratio. Undefined when no run succeeded.
 */
export function medianRun(runs: readonly RunResult[], workloadId: string): RunMetrics | undefined {
  const key = rankKey(workloadId)
  const ok = runs
    .filter((r) => r.status === 'ok' && r.metrics)
    .map((r) => r.metrics!)
    .sort((a, b) => key(a) - key(b))
  return ok.length === 0 ? undefined : ok[Math.floor((ok.length - 1) / 2)]
}

function runsOf(suite: SuiteResult, workload: string, client: string): RunResult[] {
  return suite.runs.filter((r) => r.workloadId === workload && r.clientId === client)
}

function metricsOf(suite: SuiteResult, workload: string, client: string): RunMetrics | undefined {
  return medianRun(runsOf(suite, workload, client), workload)
}

/** `3: 41,000–122,000/s` (or the p99 range at a fixed rate), and how many runs failed. */
function spread(runs: readonly RunResult[], workloadId: string): string {
  const ok = runs.filter((r) => r.status === 'ok' && r.metrics).map((r) => r.metrics!)
  const failed = runs.length - ok.length
  const failedNote = failed > 0 ? `, ${failed} failed` : ''
  if (ok.length < 2) return `${runs.length}${failedNote}`
  const key = rankKey(workloadId)
  const values = ok.map(key)
  const [low, high] = [Math.min(...values), Math.max(...values)]
  const range = workloadId.startsWith('latency-')
    ? `p99 ${millis(low)}–${millis(high)} ms`
    : workloadId.startsWith('soak-')
      ? `RSS ${mebibytes(low * 1024)}–${mebibytes(high * 1024)} MiB`
      : `${integer(low)}–${integer(high)}/s`
  return `${runs.length}: ${range}${failedNote}`
}

const cpuSeconds = (m: RunMetrics) =>
  m.cpuUserSec === undefined ? undefined : m.cpuUserSec + (m.cpuSysSec ?? 0)

/** One workload's table: one row per client, ratios to `x-send`. */
export function workloadTable(suite: SuiteResult, workload: Workload): string {
  const baseline = metricsOf(suite, workload.id, BASELINE)
  const header = [
    'client',
    'records/s',
    '× x-send',
    'MB/s',
    'p50 ms',
    'p99 ms',
    'p99.9 ms',
    'peak RSS MiB',
    'peak heap MiB',
    'CPU s',
    'CPU µs/rec',
    'alloc B/rec',
    'broker CPU s',
    'CPU wait %',
    'records',
    'runs',
  ]
  const lines = [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
  ]
  for (const client of suite.clients) {
    const runs = runsOf(suite, workload.id, client.id)
    if (runs.length === 0) continue
    const label = client.label
    const m = medianRun(runs, workload.id)
    if (!m) {
      const run = runs[runs.length - 1]!
      const why =
        run.status === 'unsupported' ? `n/a: ${run.reason}` : `**failed**: ${run.reason ?? 'unknown'}`
      lines.push(`| ${label} | ${why} |${' |'.repeat(header.length - 2)}`)
      continue
    }
    const cpu = cpuSeconds(m)
    lines.push(
      `| ${[
        label,
        integer(m.recordsPerSec),
        ratio(relativeToBaseline(baseline, m)),
        fixed(m.mbPerSec, 1),
        millis(m.latency?.p50Ms),
        millis(m.latency?.p99Ms),
        millis(m.latency?.p999Ms),
        m.peakRssKiB === undefined ? DASH : (m.peakRssKiB / 1024).toFixed(0),
        mebibytes(m.peakHeapBytes),
        fixed(cpu, 1),
        cpu === undefined || m.records === 0 ? DASH : ((cpu * 1e6) / m.records).toFixed(2),
        m.allocatedBytesPerRecord === undefined ? DASH : integer(m.allocatedBytesPerRecord),
        fixed(m.brokerCpuSec, 1),
        m.runQueueShare === undefined ? DASH : (m.runQueueShare * 100).toFixed(0),
        integer(m.records) + (m.errors > 0 ? ` (${integer(m.errors)} errors)` : ''),
        spread(runs, workload.id),
      ].join(' | ')} |`,
    )
  }
  return lines.join('\n')
}

export interface TargetCheck {
  target: string
  measured: string
  /** undefined when the run it needs is missing or failed. */
  met: boolean | undefined
}

const targetId = (kind: Workload['kind']) => workloadId({ kind, ...TARGET })

/** The issue's targets, checked against the runs of the targets' workload. */
export function checkTargets(suite: SuiteResult): TargetCheck[] {
  const checks: TargetCheck[] = []
  const throughput = targetId('throughput')
  const x = metricsOf(suite, throughput, BASELINE)
  const atLeast = (client: string, factor: number, what: string) => {
    const other = metricsOf(suite, throughput, client)
    const value = speedupOverClient(x, other)
    checks.push({
      target: `per-record send() ≥ ${factor}× ${what}`,
      measured: Number.isNaN(value) ? 'not measured' : ratio(value),
      met: Number.isNaN(value) ? undefined : value >= factor,
    })
  }
  atLeast('node-rdkafka', 2, "node-rdkafka's per-record produce()")
  atLeast('platformatic-batch', 2, '@platformatic/kafka pre-batched')
  atLeast('kafkajs-batch', 4, 'KafkaJS pre-batched')
  atLeast('java-perf', 0.8, 'Java ProducerPerformance')
  atLeast('kcat', 0.5, 'kcat')

  const batch = relativeToBaseline(x, metricsOf(suite, throughput, 'x-send-batch'))
  checks.push({
    target: 'sendBatch(1,000) ≥ 1.2× per-record send()',
    measured: Number.isNaN(batch) ? 'not measured' : ratio(batch),
    met: Number.isNaN(batch) ? undefined : batch >= 1.2,
  })

  const latencyWorkload = suite.workloads.find((w) => w.id === targetId('latency'))
  const latency = metricsOf(suite, targetId('latency'), BASELINE)
  if (latencyWorkload && latency?.latency) {
    const limit = latencyWorkload.lingerMs + 5
    checks.push({
      target: `p99 at ${integer(latencyWorkload.rate ?? 0)} records/s ≤ lingerMs + 5 ms = ${limit} ms`,
      measured: `${millis(latency.latency.p99Ms)} ms (achieved ${integer(latency.recordsPerSec)} records/s)`,
      met: latency.latency.p99Ms <= limit,
    })
  } else {
    checks.push({
      target: 'p99 at 50,000 records/s ≤ lingerMs + 5 ms',
      measured: 'not measured',
      met: undefined,
    })
  }

  const soak = metricsOf(suite, targetId('soak'), BASELINE)
  const soaks = runsOf(suite, targetId('soak'), BASELINE)
    .filter((r) => r.status === 'ok' && r.metrics?.peakRssKiB !== undefined)
    .map((r) => r.metrics!)
  const rssLimit = suite.bufferMemory + 80 * MiB
  if (soak?.peakRssKiB !== undefined) {
    const peak = soak.peakRssKiB * 1024
    const peaks = soaks.map((m) => m.peakRssKiB! * 1024)
    const under = peaks.filter((p) => p < rssLimit).length
    checks.push({
      target: `${integer(soak.records)}-record run: peak RSS < bufferMemory + 80 MB = ${mebibytes(rssLimit)} MiB`,
      measured:
        peaks.length < 2
          ? `${mebibytes(peak)} MiB`
          : `${mebibytes(peak)} MiB, median of ${peaks.length} soaks (${mebibytes(Math.min(...peaks))}–${mebibytes(Math.max(...peaks))}; ${under} under)`,
      met: peak < rssLimit,
    })
  } else {
    checks.push({ target: 'soak: peak RSS < bufferMemory + 80 MB', measured: 'not measured', met: undefined })
  }
  const heaps = soak?.heapAfterGcByMillion ?? []
  if (heaps.length >= 2) {
    const first = heaps[0]!
    const last = heaps[heaps.length - 1]!
    // Every soak must keep its heap flat, not only the median one.
    const grows = (m: RunMetrics) => {
      const h = m.heapAfterGcByMillion ?? []
      return h.length >= 2 && h[h.length - 1]! - h[0]! > MiB
    }
    const flat = soaks.filter((m) => !grows(m)).length
    checks.push({
      target: 'soak: heap after full GC does not grow from the first to the last million (tolerance 1 MiB)',
      measured: `${mebibytes(first)} → ${mebibytes(last)} MiB${soaks.length < 2 ? '' : ` (flat in ${flat} of ${soaks.length} soaks)`}`,
      met: last - first <= MiB && flat === soaks.length,
    })
  } else {
    checks.push({ target: 'soak: heap does not grow', measured: 'not measured', met: undefined })
  }
  return checks
}

export function targetsTable(checks: readonly TargetCheck[]): string {
  const mark = (met: boolean | undefined) =>
    met === undefined ? 'not measured' : met ? 'met' : '**not met**'
  return [
    '| target | measured | result |',
    '| --- | --- | --- |',
    ...checks.map((c) => `| ${c.target} | ${c.measured} | ${mark(c.met)} |`),
  ].join('\n')
}

function describe(w: Workload): string {
  const how =
    w.kind === 'latency'
      ? `paced at ${integer(w.rate ?? 0)} records/s`
      : w.kind === 'soak'
        ? `soak of ${integer(w.records)} records`
        : 'unthrottled'
  return `${w.recordSize} B values, ${w.keyed ? '8 B keys' : 'no keys'}, acks=${w.acks}, ${w.partitions} partitions, compression ${w.compression}, linger ${w.lingerMs} ms, ${how}`
}

function soakDetail(suite: SuiteResult, w: Workload): string {
  const m = metricsOf(suite, w.id, BASELINE)
  if (!m?.heapAfterGcByMillion) return ''
  const heaps = m.heapAfterGcByMillion.map((b) => mebibytes(b)).join(', ')
  const rss = (m.rssByMillion ?? []).map((b) => mebibytes(b)).join(', ')
  return `\n\nAt each millionth acknowledgement, heap used after a forced full GC (MiB): ${heaps}; RSS (MiB): ${rss}.`
}

/** The whole results section: machine and versions, the targets, then one table per workload. */
export function renderReport(suite: SuiteResult): string {
  const out: string[] = []
  const m = suite.machine
  out.push(
    `Run of ${suite.startedAt} → ${suite.finishedAt}, profile \`${suite.profile}\`: \`${suite.command}\``,
  )
  out.push('')
  out.push(
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Linux ${m.kernel}; load average ${m.loadAverage.start.toFixed(1)} at the start and ${m.loadAverage.end.toFixed(1)} at the end (the machine is shared).`,
  )
  out.push('')
  out.push(
    `Versions: ${Object.entries(suite.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join('; ')}.`,
  )
  out.push('')
  out.push('### Targets')
  out.push('')
  out.push(targetsTable(checkTargets(suite)))
  for (const w of suite.workloads) {
    if (!suite.runs.some((r) => r.workloadId === w.id)) continue
    out.push('')
    out.push(`### \`${w.id}\``)
    out.push('')
    out.push(`${describe(w)}.${soakDetail(suite, w)}`)
    out.push('')
    out.push(workloadTable(suite, w))
  }
  return out.join('\n')
}

/** The root README's one line: the last documented run's ratios for the targets' workload. */
export function readmeSummary(suite: SuiteResult): string {
  const throughput = targetId('throughput')
  const x = metricsOf(suite, throughput, BASELINE)
  if (!x) return 'Last run: per-record `send()` was not measured.'
  const versus = (client: string, name: string) => {
    const value = speedupOverClient(x, metricsOf(suite, throughput, client))
    return Number.isNaN(value) ? undefined : `${ratio(value)} ${name}`
  }
  const parts = [
    versus('node-rdkafka', 'node-rdkafka'),
    versus('platformatic-batch', '@platformatic/kafka pre-batched'),
    versus('kafkajs-batch', 'KafkaJS pre-batched'),
    versus('java-perf', 'Java ProducerPerformance'),
    versus('kcat', 'kcat'),
  ].filter((part) => part !== undefined)
  const rounds = Math.max(...suite.runs.map((r) => r.round ?? 1))
  const nodes = /(\d+) KRaft node/.exec(suite.versions['broker'] ?? '')?.[1]
  const brokers = nodes === undefined ? '' : nodes === '1' ? ', one broker' : `, ${nodes} brokers`
  return `Last run (${suite.startedAt.slice(0, 10)}, ${suite.machine.cores} shared cores, median of ${rounds}): per-record \`send()\` at ${integer(x.recordsPerSec)} records/s (100 B, acks=1, 6 partitions${brokers}) is ${parts.join(', ')}.`
}
