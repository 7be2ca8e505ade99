import { KafkaHarnessError } from '../kafka-harness-error.js'
import { tail } from '../run-command.js'
import { commandPropertyFlag, type JavaTools, runJavaTool } from './java-tools.js'

/** The final summary line of Kafka's ProducerPerformance tool, as numbers. */
export interface ProducerPerformanceResult {
  records: number
  recordsPerSec: number
  mbPerSec: number
  avgLatencyMs: number
  maxLatencyMs: number
  p50Ms: number
  p95Ms: number
  p99Ms: number
  p999Ms: number
}

// 3.9 prints records/sec with %f, 4.x with %.1f; both match.
const summary =
  /(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, ([\d.]+) ms max latency, (\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th, (\d+) ms 99\.9th/

/** Parses ProducerPerformance's stdout; undefined when it holds no final summary line. */
export function parseProducerPerformance(stdout: string): ProducerPerformanceResult | undefined {
  const match = summary.exec(stdout)
  if (!match) return undefined
  const n = match.slice(1).map(Number)
  return {
    records: n[0]!,
    recordsPerSec: n[1]!,
    mbPerSec: n[2]!,
    avgLatencyMs: n[3]!,
    maxLatencyMs: n[4]!,
    p50Ms: n[5]!,
    p95Ms: n[6]!,
    p99Ms: n[7]!,
    p999Ms: n[8]!,
  }
}

export interface ProducerPerformanceOptions {
  bootstrapServers: string
  topic: string
  numRecords: number
  recordSize: number
  /** Records per second; -1 (default) means unthrottled. */
  throughput?: number
  /**
   * Producer configs. Pin what you compare: `linger.ms` defaults to 0 on 3.9 and 5 on 4.x, and the tool's
   * own defaults (`acks=all`, `batch.size=16384`) apply otherwise.
   */
  producerProps?: Record<string, string>
  /** Max heap of the tool's JVM; default 512m as in Kafka's script. */
  heap?: string
  timeoutMs?: number
}

/**
 * Runs the official Java producer benchmark (`org.apache.kafka.tools.ProducerPerformance`) with the
 * optimising JIT on, and returns its final summary. Payloads are random A–Z bytes with null keys.
 */
export async function runProducerPerformance(
  tools: JavaTools,
  options: ProducerPerformanceOptions,
): Promise<ProducerPerformanceResult> {
  const props = { 'bootstrap.servers': options.bootstrapServers, ...options.producerProps }
  const args = [
    '--topic',
    options.topic,
    '--num-records',
    String(options.numRecords),
    '--record-size',
    String(options.recordSize),
    '--throughput',
    String(options.throughput ?? -1),
    commandPropertyFlag(tools, '--producer-props'),
    ...Object.entries(props).map(([key, value]) => `${key}=${value}`),
  ]
  const heap = options.heap ?? '512m'
  const run = await runJavaTool(tools, 'org.apache.kafka.tools.ProducerPerformance', args, {
    heap,
    quickStart: false,
    timeoutMs: options.timeoutMs ?? 300_000,
  })
  const stdout = run.stdout.toString('utf8')
  const result = parseProducerPerformance(stdout)
  if (run.status !== 0 || !result) {
    throw new KafkaHarnessError(
      'TOOL_FAILED',
      `ProducerPerformance on ${options.topic} failed (exit ${run.status}):\n${tail(stdout)}\n${tail(run.stderr)}`,
    )
  }
  return result
}
