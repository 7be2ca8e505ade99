import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { performance } from 'node:perf_hooks'
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import v8 from 'node:v8'
import { LatencyHistogram } from '../report/latency-histogram.js'
import { AllocationMeter } from './allocation-meter.js'
import { type ChildConfig, type ChildReport, RESULT_PREFIX } from './child-protocol.js'
import { LatencyDiagnostics, runQueueMs } from './latency-diagnostics.js'

const PAYLOADS = 64
const KEYS = 10_000
const A = 65

/** A client under test, as the driver sees it. */
export interface ClientAdapter {
  /** Connects and warms metadata for the topic (not timed). */
  connect(): Promise<void>
  /**
   * Sends records `from` (inclusive) to `to` (exclusive): `driver.value(i)`, `driver.key(i)`, and calls
   * `driver.acked(count, sentAtMs)` / `driver.failed(count, error)` as they settle. Returns a promise only
   * when the client asks the caller to wait (back-pressure).
   */
  send(from: number, to: number): Promise<void> | undefined
  /** Waits until everything sent is acknowledged (flush). */
  flush(): Promise<void>
  close(): Promise<void>
}

/** Random A–Z bytes, as Java's ProducerPerformance makes its payload. */
function randomLetters(size: number): Buffer {
  const bytes = Buffer.allocUnsafe(size)
  for (let i = 0; i < size; i++) bytes[i] = A + Math.floor(Math.random() * 26)
  return bytes
}

export function readChildConfig(): ChildConfig {
  const raw = process.env.BENCH_CHILD
  if (!raw)
    throw new Error('BENCH_CHILD is not set: this script is started by the bench runner (bench/src/cli.ts)')
  return JSON.parse(raw) as ChildConfig
}

/**
 * Runs one client through one workload in this process and prints a `ChildReport`: the send loop (paced
 * for fixed-rate workloads, bounded by `window` outstanding records), latency of every record from its
 * send call to its acknowledgement, memory samples, and heap allocation through GC traces.
 */
export class Driver {
  readonly config: ChildConfig
  private readonly payloads: Buffer[]
  private readonly keys: Buffer[] | null
  private readonly histogram = new LatencyHistogram()
  private settled = 0
  private ackedCount = 0
  private errors = 0
  private firstError: string | undefined
  private lastAckMs = 0
  private startMs = 0
  private waiter: (() => void) | undefined
  private waitUntilSettled = 0
  private peakHeap = 0
  private nextMillion = 1_000_000
  private readonly heapByMillion: number[] = []
  private readonly rssByMillion: number[] = []
  /** Set by `BENCH_LATENCY_DIAG=<file>`: where the latency of a run goes (see latency-diagnostics.ts). */
  readonly diagnostics = LatencyDiagnostics.fromEnv()

  constructor(config: ChildConfig = readChildConfig()) {
    this.config = config
    const size = config.workload.recordSize
    this.payloads = Array.from({ length: PAYLOADS }, () => randomLetters(size))
    this.keys = config.workload.keyed
      ? Array.from({ length: KEYS }, (_, i) => Buffer.from(`k${String(i).padStart(7, '0')}`))
      : null
  }

  value(i: number): Buffer {
    return this.payloads[i & (PAYLOADS - 1)]!
  }

  /** An 8-byte key cycling over 10,000 values, or null for unkeyed workloads. */
  key(i: number): Buffer | null {
    return this.keys === null ? null : this.keys[i % KEYS]!
  }

  /** `count` records sent at `sentAtMs` (performance.now()) were acknowledged. */
  acked(count: number, sentAtMs: number): void {
    const now = performance.now()
    this.histogram.record((now - sentAtMs) * 1000, count)
    this.diagnostics?.latency(now - sentAtMs)
    this.ackedCount += count
    this.lastAckMs = now
    this.settle(count)
  }

  failed(count: number, error: unknown): void {
    this.errors += count
    this.firstError ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    this.lastAckMs = performance.now()
    this.settle(count)
  }

  private settle(count: number): void {
    this.settled += count
    if (this.config.soak && this.ackedCount >= this.nextMillion) this.soakCheckpoint()
    if (this.waiter && this.settled >= this.waitUntilSettled) {
      const wake = this.waiter
      this.waiter = undefined
      wake()
    }
  }

  private soakCheckpoint(): void {
    this.nextMillion += 1_000_000
    const gc = (globalThis as { gc?: () => void }).gc
    if (!gc) throw new Error('soak runs need node --expose-gc')
    gc()
    const usage = process.memoryUsage()
    this.heapByMillion.push(usage.heapUsed)
    this.rssByMillion.push(usage.rss)
  }

  private untilSettled(count: number): Promise<void> {
    if (this.settled >= count) return Promise.resolve()
    this.waitUntilSettled = count
    return new Promise((resolve) => {
      this.waiter = resolve
    })
  }

  // heap only: peak RSS comes from the kernel (GNU time), and process.memoryUsage() reads /proc each call
  private sampleMemory = (): void => {
    const used = v8.getHeapStatistics().used_heap_size
    if (used > this.peakHeap) this.peakHeap = used
  }

  /** Connects, runs the send loop, flushes, and prints the report. */
  async run(client: ClientAdapter): Promise<void> {
    const { records, batchRecords, window, workload, maxSendMs } = this.config
    await client.connect()
    const profiler = await startProfile(this.config)
    const sampler = setInterval(this.sampleMemory, 100)
    const meter = new AllocationMeter()
    meter.start()
    this.diagnostics?.start()
    const runQueueStartMs = runQueueMs()
    const rate = workload.rate
    // per-record clients hand over this many records between yields to the event loop
    const chunk = Math.max(batchRecords, 1000)
    this.startMs = performance.now()
    let sent = 0
    while (sent < records) {
      if (maxSendMs > 0 && performance.now() - this.startMs > maxSendMs) break
      let n = Math.min(chunk, records - sent)
      if (window > 0) n = Math.min(n, window)
      if (rate !== undefined) {
        const allowed = Math.floor(((performance.now() - this.startMs) * rate) / 1000) + batchRecords
        // whole batches only, except the last one
        if (allowed - sent < n) n = Math.floor((allowed - sent) / batchRecords) * batchRecords
        if (n <= 0) {
          await new Promise((resolve) => setTimeout(resolve, 1))
          continue
        }
      }
      if (window > 0 && sent - this.settled + n > window) {
        await this.untilSettled(sent + n - window)
        continue
      }
      if (rate !== undefined && this.diagnostics)
        this.diagnostics.stage(
          'pacing: send behind schedule',
          performance.now() - this.startMs - (sent * 1000) / rate,
        )
      for (let from = sent; from < sent + n; from += batchRecords) {
        const pending = client.send(from, Math.min(from + batchRecords, sent + n))
        if (pending) await pending
      }
      sent += n
      await yieldToEventLoop()
    }
    await client.flush()
    await this.untilSettled(sent)
    const allocation = meter.stop()
    const runQueueShare = (runQueueMs() - runQueueStartMs) / (performance.now() - this.startMs)
    this.diagnostics?.stop({ allocation })
    clearInterval(sampler)
    await profiler?.()
    this.sampleMemory()
    const report: ChildReport = {
      records: this.ackedCount,
      errors: this.errors,
      ...(this.firstError ? { firstError: this.firstError } : {}),
      elapsedMs: this.lastAckMs - this.startMs,
      latency: this.histogram.summary(),
      peakHeapUsedBytes: this.peakHeap,
      ...allocation,
      ...(this.config.soak
        ? { heapAfterGcByMillion: this.heapByMillion, rssByMillion: this.rssByMillion }
        : {}),
      runQueueShare,
      runtime: `node ${process.version}`,
    }
    await client.close()
    process.stdout.write(`\n${RESULT_PREFIX}${JSON.stringify(report)}\n`)
  }
}

/** Starts the inspector profile the config asks for; returns the function that stops it and writes it. */
async function startProfile(config: ChildConfig): Promise<(() => Promise<void>) | undefined> {
  if (!config.profile || !config.profileFile) return undefined
  const file = config.profileFile
  const session = new Session()
  session.connect()
  if (config.profile === 'cpu') {
    await session.post('Profiler.enable')
    await session.post('Profiler.setSamplingInterval', { interval: 200 })
    await session.post('Profiler.start')
    return async () => {
      const { profile } = await session.post('Profiler.stop')
      writeFileSync(file, JSON.stringify(profile))
      session.disconnect()
    }
  }
  await session.post('HeapProfiler.enable')
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 256,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  })
  return async () => {
    const { profile } = await session.post('HeapProfiler.stopSampling')
    writeFileSync(file, JSON.stringify(profile))
    session.disconnect()
  }
}

/** Entry point of every Node child: runs, and exits non-zero with the error on stderr if anything throws. */
export function main(create: (driver: Driver) => ClientAdapter): void {
  const driver = new Driver()
  driver.run(create(driver)).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error)
      process.exit(1)
    },
  )
}
