// Where a run's latency (and memory) goes, for one child process: enabled by `BENCH_LATENCY_DIAG=<file>`,
// written there as JSON when the run ends. Per 100 ms window it records the worst record latency acked in
// it next to what could explain it — time the main thread waited for a CPU (the kernel's run-queue delay,
// /proc/self/task/<pid>/schedstat), the event loop's worst delay, and GC pauses — so a p99 made by an
// oversubscribed machine tells itself apart from one made by the client. Clients add their own stage
// timings (`stage(name, ms)`), e.g. @x/producer's linger expiry → drain → response per batch. Also
// `process.memoryUsage()` where RSS peaked (heap, external, array buffers), to tell what the RSS is made of.
import { readFileSync, writeFileSync } from 'node:fs'
import { type IntervalHistogram, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks'

const WINDOW_MS = 100

interface Window {
  atMs: number
  maxLatencyMs: number
  runQueueMs: number
  loopDelayMaxMs: number
  gcMs: number
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
}

function summary(values: number[]): Record<string, number> {
  const sorted = [...values].sort((a, b) => a - b)
  const round = (v: number) => Math.round(v * 100) / 100
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 0.5)),
    p90: round(percentile(sorted, 0.9)),
    p99: round(percentile(sorted, 0.99)),
    max: round(sorted.at(-1) ?? Number.NaN),
    mean: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)),
  }
}

/** Run-queue delay of the main thread so far, in ms (0 where /proc is missing). */
export function runQueueMs(): number {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')
    return Number(fields[1]) / 1e6
  } catch {
    return 0
  }
}

export class LatencyDiagnostics {
  static fromEnv(): LatencyDiagnostics | undefined {
    const file = process.env.BENCH_LATENCY_DIAG
    return file ? new LatencyDiagnostics(file) : undefined
  }

  private readonly windows: Window[] = []
  private readonly stages = new Map<string, number[]>()
  private readonly loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: 1 })
  private readonly windowLoop: IntervalHistogram = monitorEventLoopDelay({ resolution: 1 })
  private readonly gcObserver: PerformanceObserver
  private current: Window
  private lastRunQueueMs = 0
  private startRunQueueMs = 0
  private startMs = 0
  private gcPauses: number[] = []
  private timer: ReturnType<typeof setInterval> | undefined
  /** process.memoryUsage() where RSS peaked (sampled per window): what the RSS is made of. */
  private peakMemory: NodeJS.MemoryUsage | undefined

  private constructor(private readonly file: string) {
    this.current = this.newWindow(0)
    this.gcObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        this.current.gcMs += entry.duration
        this.gcPauses.push(entry.duration)
      }
    })
  }

  private newWindow(atMs: number): Window {
    return { atMs, maxLatencyMs: 0, runQueueMs: 0, loopDelayMaxMs: 0, gcMs: 0 }
  }

  start(): void {
    this.startMs = performance.now()
    this.startRunQueueMs = this.lastRunQueueMs = runQueueMs()
    this.loopDelay.enable()
    this.windowLoop.enable()
    this.gcObserver.observe({ entryTypes: ['gc'] })
    this.timer = setInterval(() => this.closeWindow(), WINDOW_MS)
  }

  /** A record (or group) acked `latencyMs` after it was sent. */
  latency(latencyMs: number): void {
    if (latencyMs > this.current.maxLatencyMs) this.current.maxLatencyMs = latencyMs
  }

  /** One observation of a client's own stage (ms). */
  stage(name: string, ms: number): void {
    let list = this.stages.get(name)
    if (list === undefined) {
      list = []
      this.stages.set(name, list)
    }
    list.push(ms)
  }

  private closeWindow(): void {
    const rq = runQueueMs()
    this.current.runQueueMs = rq - this.lastRunQueueMs
    this.lastRunQueueMs = rq
    this.current.loopDelayMaxMs = this.windowLoop.max / 1e6
    const memory = process.memoryUsage()
    if (this.peakMemory === undefined || memory.rss > this.peakMemory.rss) this.peakMemory = memory
    this.windowLoop.reset()
    this.windows.push(this.current)
    this.current = this.newWindow(Math.round(performance.now() - this.startMs))
  }

  stop(extra: Record<string, unknown> = {}): void {
    if (this.timer) clearInterval(this.timer)
    this.closeWindow()
    this.gcObserver.disconnect()
    this.loopDelay.disable()
    this.windowLoop.disable()
    const elapsedMs = performance.now() - this.startMs
    const worst = [...this.windows].sort((a, b) => b.maxLatencyMs - a.maxLatencyMs).slice(0, 15)
    const ms = (ns: number) => Math.round(ns / 1e4) / 100
    const report = {
      elapsedMs: Math.round(elapsedMs),
      runQueueMs: Math.round(runQueueMs() - this.startRunQueueMs),
      runQueueShare: (runQueueMs() - this.startRunQueueMs) / elapsedMs,
      eventLoopDelayMs: {
        p50: ms(this.loopDelay.percentile(50)),
        p99: ms(this.loopDelay.percentile(99)),
        max: ms(this.loopDelay.max),
      },
      gcPauseMs: summary(this.gcPauses),
      windows: {
        maxLatencyMs: summary(this.windows.map((w) => w.maxLatencyMs)),
        runQueueMs: summary(this.windows.map((w) => w.runQueueMs)),
        loopDelayMaxMs: summary(this.windows.map((w) => w.loopDelayMaxMs)),
        /** Windows where the main thread waited under 5 ms for a CPU: what latency is when it is not starved. */
        maxLatencyMsWhereRunQueueUnder5Ms: summary(
          this.windows.filter((w) => w.runQueueMs < 5).map((w) => w.maxLatencyMs),
        ),
      },
      worstWindows: worst.map((w) => ({
        atMs: w.atMs,
        maxLatencyMs: Math.round(w.maxLatencyMs * 10) / 10,
        runQueueMs: Math.round(w.runQueueMs * 10) / 10,
        loopDelayMaxMs: Math.round(w.loopDelayMaxMs * 10) / 10,
        gcMs: Math.round(w.gcMs * 10) / 10,
      })),
      memoryAtPeakRssMiB: Object.fromEntries(
        Object.entries(this.peakMemory ?? {}).map(([k, v]) => [k, Math.round((v as number) / 104857.6) / 10]),
      ),
      stages: Object.fromEntries([...this.stages].map(([name, values]) => [name, summary(values)])),
      ...extra,
    }
    writeFileSync(this.file, `${JSON.stringify(report, null, 2)}\n`)
  }
}
