import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import type { KafkaProducer, RecordMetadata, SendCallback } from '@x/producer'
import type { CliIo } from '../cli-io.js'
import { openTargetCluster } from '../cluster/target-cluster.js'
import { createProducer } from '../producer-properties.js'
import { PayloadSource, readPayloadFile } from './payload-source.js'
import { type PerfOptions, parsePerfOptions, perfUsage } from './perf-options.js'
import { PerfStats } from './perf-stats.js'
import { formatMetrics } from './print-metrics.js'
import { ProgressBar } from './progress-bar.js'
import { ThroughputThrottler } from './throughput-throttler.js'

/**
 * Records sent between two yields to the event loop. Java's sender is a thread of its own; here the send
 * loop must let the sender, the sockets and the callbacks run, and 1,000 records (about 100 KB at 100
 * bytes) keeps several batches in flight without starving them.
 */
const RECORDS_PER_YIELD = 1000
/** How many failed records are printed one by one (Java prints every stack trace). */
const PRINTED_FAILURES = 10

/**
 * `x-kafka perf`: Kafka's ProducerPerformance over @x/producer, same loop and same output. Returns the exit
 * code: 0, or 1 when any record failed (the Java tool prints the failures but exits 0).
 *
 * @throws CliUsageError for a wrong command line, ConfigError for a wrong producer property.
 */
export async function runPerf(argv: readonly string[], io: CliIo): Promise<number> {
  const options = parsePerfOptions(argv)
  if (options.help) {
    io.stdout.write(perfUsage)
    return 0
  }
  let bar: ProgressBar | undefined
  const print = (line: string) => {
    bar?.clear()
    io.stdout.write(`${line}\n`)
  }
  const payloads =
    options.payloadFile !== undefined
      ? PayloadSource.fromPayloads(readPayloadFile(options.payloadFile, options.payloadDelimiter, print))
      : options.payloadMonotonic
        ? PayloadSource.monotonic()
        : PayloadSource.randomLetters(options.recordSize!)
  const cluster = await openTargetCluster({
    bootstrapServers: options.bootstrapServers,
    command: 'perf',
    stderr: io.stderr,
    validateRecords: false,
  })
  try {
    const properties = new Map(options.properties).set('bootstrap.servers', cluster.bootstrapServers)
    const producer = createProducer('perf', properties, io.stderr)
    const run = new PerfRun(producer, options, payloads, print, io)
    bar = ProgressBar.start(io.stderr, options.numRecords, () => run.acknowledged)
    try {
      await run.sendAll()
      await run.finish(properties.get('client.id')!)
    } catch (error) {
      await producer.close({ timeoutMs: 0 }).catch(() => {})
      throw error
    } finally {
      bar?.stop()
    }
    return run.exitCode()
  } finally {
    await cluster.close()
  }
}

/** One perf run: ProducerPerformance's send loop, its statistics and its end. */
class PerfRun {
  private readonly stats: PerfStats
  private steadyStateStats: PerfStats | undefined
  private failed = 0

  constructor(
    private readonly producer: KafkaProducer<Uint8Array, Uint8Array>,
    private readonly options: PerfOptions,
    private readonly payloads: PayloadSource,
    private readonly print: (line: string) => void,
    private readonly io: CliIo,
  ) {
    if (options.warmupRecords > 0) {
      print(
        `Warmup first ${options.warmupRecords} records. Steady state results will print after the complete test summary.`,
      )
    }
    this.stats = this.newStats(options.numRecords, false)
  }

  /** Records acknowledged so far (the progress bar's count). */
  get acknowledged(): number {
    return this.stats.totalCount
  }

  async sendAll(): Promise<void> {
    const { producer, options } = this
    const transactional = options.transactionalId !== undefined
    if (transactional) await producer.initTransactions()
    const throttler = new ThroughputThrottler(options.throughput, Date.now())
    let transactionSize = 0
    let transactionStart = 0
    let reuse = false
    for (let index = 0; index < options.numRecords && this.io.signal?.aborted !== true; index++) {
      const payload = this.payloads.next(index, reuse)
      if (transactional && transactionSize === 0) {
        producer.beginTransaction()
        transactionStart = Date.now()
      }
      const sendStartMs = Date.now()
      if (options.warmupRecords > 0 && index === options.warmupRecords) {
        this.steadyStateStats = this.newStats(options.numRecords - options.warmupRecords, true)
        this.stats.suppressPrinting()
      }
      producer.send({ topic: options.topic, value: payload }, this.callback(sendStartMs, payload.length))
      transactionSize++
      if (transactional && options.transactionDurationMs! <= sendStartMs - transactionStart) {
        await producer.commitTransaction()
        transactionSize = 0
      }
      if (throttler.shouldThrottle(index, sendStartMs)) await throttler.throttle()
      // A send that waits for metadata or memory still holds its value: the next one gets a new buffer.
      const wait = producer.backPressure()
      reuse = wait === undefined
      if (wait !== undefined) await wait
      else if ((index + 1) % RECORDS_PER_YIELD === 0) await yieldToEventLoop()
    }
    if (transactional && transactionSize !== 0) await producer.commitTransaction()
  }

  /** The tool's end: close (or flush, then metrics) and the summary lines. */
  async finish(clientId: string): Promise<void> {
    if (!this.options.printMetrics) {
      await this.producer.close()
      this.printTotals()
      return
    }
    await this.producer.flush()
    this.printTotals()
    for (const line of formatMetrics(this.producer.metrics(), clientId)) this.print(line)
    await this.producer.close()
  }

  exitCode(): number {
    if (this.failed === 0) return 0
    this.io.stderr.write(
      `x-kafka perf: ${this.failed} of ${this.options.numRecords} records failed and are not in the statistics.\n`,
    )
    return 1
  }

  private printTotals(): void {
    this.stats.printTotal()
    this.steadyStateStats?.printTotal()
  }

  private newStats(numRecords: number, isSteadyState: boolean): PerfStats {
    return new PerfStats({
      numRecords,
      isSteadyState,
      reportingIntervalMs: this.options.reportingIntervalMs,
      print: this.print,
    })
  }

  /** Java's `PerfCallback`: a record counts only when it succeeded. */
  private callback(sendStartMs: number, bytes: number): SendCallback {
    const stats = this.stats
    const steadyStateStats = this.steadyStateStats
    return (_metadata: RecordMetadata, error: Error | undefined) => {
      const now = Date.now()
      if (error === undefined) {
        const latency = now - sendStartMs
        stats.record(latency, bytes, now)
        steadyStateStats?.record(latency, bytes, now)
      } else if (++this.failed <= PRINTED_FAILURES) {
        this.io.stderr.write(`x-kafka perf: a record failed: ${error.stack ?? error.message}\n`)
      }
    }
  }
}
