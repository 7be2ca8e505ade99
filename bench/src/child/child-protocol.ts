import type { LatencySummary } from '../report/latency-histogram.js'
import type { Workload } from '../workloads.js'

/** What the runner hands a Node client's child process (JSON in the `BENCH_CHILD` environment variable). */
export interface ChildConfig {
  client: string
  bootstrapServers: string[]
  topic: string
  workload: Workload
  /** Records to produce in this run. */
  records: number
  /** Records handed to the client per call of its send function (1,000 for the pre-batched modes). */
  batchRecords: number
  /** Most records sent but not yet acknowledged; 0: only the client's own back-pressure. */
  window: number
  /** Stop sending after this long (the run then reports what was acknowledged); 0: send every record. */
  maxSendMs: number
  /** @x/producer options the client variant sets (e.g. `batchSize`). */
  producerOptions?: Record<string, number | string | boolean>
  /**
   * Profile the send loop (connect excluded) through the inspector: `cpu` (sampling CPU profiler) or `heap`
   * (sampling heap profiler that keeps samples of collected objects, i.e. every allocation site), written as
   * JSON to `profileFile`.
   */
  profile?: 'cpu' | 'heap'
  profileFile?: string
  /** Soak: force a full GC at every millionth acknowledgement and record heap and RSS there. */
  soak: boolean
}

/** What a Node client's child prints on its last stdout line, after `RESULT_PREFIX`. */
export interface ChildReport {
  records: number
  errors: number
  firstError?: string
  /** From the first send to the last acknowledgement. */
  elapsedMs: number
  latency: LatencySummary
  /** Peak V8 heap used, sampled every 100 ms. */
  peakHeapUsedBytes: number
  /** Bytes the V8 heap allocated during the run (from GC traces), when measured. */
  allocatedBytes?: number
  gcCount?: number
  gcPauseMs?: number
  /** Soak only: heap used right after a forced full GC, and RSS, at each millionth acknowledgement. */
  heapAfterGcByMillion?: number[]
  rssByMillion?: number[]
  /**
   * Share of the run's wall time the main thread was runnable but waiting for a CPU (kernel run-queue
   * delay): near 0 on a quiet machine; a latency figure taken well above 0 measures the machine's load.
   */
  runQueueShare?: number
  runtime: string
}

export const RESULT_PREFIX = '@@bench-result@@ '
