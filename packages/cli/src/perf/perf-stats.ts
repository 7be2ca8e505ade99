import { formatJavaFixed } from './java-number-format.js'

/** Latencies kept for the percentiles: every n-th record, at most this many (as ProducerPerformance). */
const MAX_SAMPLES = 500_000
const MB = 1024 * 1024

export interface PerfStatsOptions {
  /** Records this run will send (sizes the latency sample). */
  readonly numRecords: number
  /** The steady-state statistics after `--warmup-records` (their summary says `steady state`). */
  readonly isSteadyState: boolean
  /** `--reporting-interval`: a progress line when a record completes this long after the window began. */
  readonly reportingIntervalMs: number
  /** Prints one line on stdout. */
  readonly print: (line: string) => void
  /** Milliseconds since the epoch; `Date.now` except in tests. */
  readonly clock?: () => number
}

/**
 * The statistics of Kafka's `ProducerPerformance` (its inner `Stats` class), with its output lines to the
 * character: a progress line per reporting window while records complete, and the final summary with
 * percentiles over a sample of at most 500,000 latencies (every `numRecords / 500000`-th record). Latencies
 * are whole milliseconds, from just before `send()` to the record's callback.
 */
export class PerfStats {
  private readonly clock: () => number
  private readonly start: number
  private readonly latencies: Int32Array
  private readonly sampling: number
  private iteration = 0
  private index = 0
  private count = 0
  private bytes = 0
  private maxLatency = 0
  private totalLatency = 0
  private windowCount = 0
  private windowMaxLatency = 0
  private windowTotalLatency = 0
  private windowBytes = 0
  private windowStart: number
  private suppressed = false

  constructor(private readonly options: PerfStatsOptions) {
    this.clock = options.clock ?? Date.now
    this.start = this.clock()
    this.windowStart = this.start
    const numRecords = options.numRecords
    this.sampling = Math.floor(numRecords / Math.min(numRecords, MAX_SAMPLES))
    this.latencies = new Int32Array(Math.floor(numRecords / this.sampling) + 1)
  }

  /** Records acknowledged so far. */
  get totalCount(): number {
    return this.count
  }

  /** One acknowledged record: its latency (ms), its value's size and when it completed. */
  record(latencyMs: number, bytes: number, nowMs: number): void {
    this.count++
    this.bytes += bytes
    this.totalLatency += latencyMs
    if (latencyMs > this.maxLatency) this.maxLatency = latencyMs
    this.windowCount++
    this.windowBytes += bytes
    this.windowTotalLatency += latencyMs
    if (latencyMs > this.windowMaxLatency) this.windowMaxLatency = latencyMs
    if (this.iteration % this.sampling === 0) this.latencies[this.index++] = latencyMs
    if (nowMs - this.windowStart >= this.options.reportingIntervalMs) {
      if (this.options.isSteadyState && this.count === this.windowCount)
        this.options.print('In steady state.')
      if (!this.suppressed) this.printWindow()
      this.newWindow()
    }
    this.iteration++
  }

  /** The progress line: `N records sent, X records/sec (Y MB/sec), Z ms avg latency, W ms max latency.` */
  printWindow(): void {
    const elapsed = this.clock() - this.windowStart
    const recordsPerSec = (1000 * this.windowCount) / elapsed
    const mbPerSec = (1000 * this.windowBytes) / elapsed / MB
    this.options.print(
      `${this.windowCount} records sent, ${formatJavaFixed(recordsPerSec, 1)} records/sec (${formatJavaFixed(mbPerSec, 2)} MB/sec), ${formatJavaFixed(this.windowTotalLatency / this.windowCount, 1)} ms avg latency, ${formatJavaFixed(this.windowMaxLatency, 1)} ms max latency.`,
    )
  }

  /** The summary line, with the 50th, 95th, 99th and 99.9th percentiles of the sampled latencies. */
  printTotal(): void {
    const elapsed = this.clock() - this.start
    const recordsPerSec = (1000 * this.count) / elapsed
    const mbPerSec = (1000 * this.bytes) / elapsed / MB
    const [p50, p95, p99, p999] = this.percentiles(0.5, 0.95, 0.99, 0.999)
    this.options.print(
      `${this.count}${this.options.isSteadyState ? ' steady state' : ''} records sent, ${formatJavaFixed(recordsPerSec, 6)} records/sec (${formatJavaFixed(mbPerSec, 2)} MB/sec), ${formatJavaFixed(this.totalLatency / this.count, 2)} ms avg latency, ${formatJavaFixed(this.maxLatency, 2)} ms max latency, ${p50} ms 50th, ${p95} ms 95th, ${p99} ms 99th, ${p999} ms 99.9th.`,
    )
  }

  /** From the warm-up's end on, only the steady-state statistics print progress lines. */
  suppressPrinting(): void {
    this.suppressed = true
  }

  private newWindow(): void {
    this.windowStart = this.clock()
    this.windowCount = 0
    this.windowMaxLatency = 0
    this.windowTotalLatency = 0
    this.windowBytes = 0
  }

  /** Nearest-rank on the sorted sample: the value at index ⌊p × size⌋. */
  private percentiles(...ranks: number[]): number[] {
    const size = Math.min(this.index, this.latencies.length)
    const sorted = this.latencies.subarray(0, size).sort()
    return ranks.map((rank) => (size === 0 ? this.latencies[0]! : sorted[Math.trunc(rank * size)]!))
  }
}
