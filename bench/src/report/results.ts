import type { Workload } from '../workloads.js'
import type { LatencySummary } from './latency-histogram.js'

/** What one client measured in one workload. */
export interface RunMetrics {
  /** Records acknowledged. */
  records: number
  errors: number
  firstError?: string
  /** First send to last acknowledgement (the tool's own figure for ProducerPerformance and kcat). */
  elapsedMs: number
  recordsPerSec: number
  /** Value bytes per second in MiB, as ProducerPerformance counts it (records/s × record size). */
  mbPerSec: number
  latency?: Omit<LatencySummary, 'count'>
  /** Peak resident set of the client's process (getrusage maxrss through /usr/bin/time). */
  peakRssKiB?: number
  /** Node clients: peak `heapUsed`, sampled every 100 ms. */
  peakHeapBytes?: number
  cpuUserSec?: number
  cpuSysSec?: number
  /** Node clients: V8 heap bytes allocated per acknowledged record, from GC traces. */
  allocatedBytesPerRecord?: number
  gcPauseMs?: number
  /** CPU the brokers burned during the run, all three together. */
  brokerCpuSec?: number
  heapAfterGcByMillion?: number[]
  rssByMillion?: number[]
  /** Node clients: share of the run the main thread waited for a CPU (run-queue delay; see ChildReport). */
  runQueueShare?: number
  runtime?: string
}

export interface RunResult {
  workloadId: string
  clientId: string
  status: 'ok' | 'failed' | 'unsupported'
  /** Why it failed or is unsupported. */
  reason?: string
  metrics?: RunMetrics
  /** Wall time of the whole run, process start to exit. */
  wallMs?: number
  /** 1-based round of `--repeat` (every client runs once per round, rounds one after the other). */
  round?: number
}

export interface MachineInfo {
  cpu: string
  cores: number
  memoryGiB: number
  os: string
  kernel: string
  /** 1-minute load average when the suite started and finished (others' work on a shared machine). */
  loadAverage: { start: number; end: number }
}

export interface SuiteResult {
  version: 1
  profile: string
  command: string
  startedAt: string
  finishedAt: string
  machine: MachineInfo
  /** Library and tool versions, e.g. `{ kafkajs: '2.2.4', broker: 'Apache Kafka 4.4.0 (3 nodes)' }`. */
  versions: Record<string, string>
  /** @x/producer's `bufferMemory` in the runs (the soak target is relative to it). */
  bufferMemory: number
  workloads: Workload[]
  clients: { id: string; label: string; library: string; runtime: string }[]
  runs: RunResult[]
}
