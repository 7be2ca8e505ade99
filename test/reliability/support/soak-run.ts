// The soak (checklist S1) shared by the suite's bounded run and the longer script: oracle records at a
// steady rate to a real broker, RSS and heap (after a forced GC) sampled along the way, then the whole topic
// streamed back through kcat and the Java consumer into the delivery oracle.

import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { type KafkaCluster, listLatestOffsets } from '@x/kafka-harness'
import { DeliveryChecker, DeliveryLedger, type DeliveryReport } from '@x/testkit'
import { oracleProducer, type ProducerMode, sendRecorded, sleep } from './oracle-producer.js'
import { streamJava, streamKcat } from './stream-readers.js'

export interface SoakOptions {
  readonly cluster: KafkaCluster
  readonly topic: string
  readonly records: number
  /** Target send rate; the loop also waits whenever the producer signals back-pressure. */
  readonly perSecond: number
  readonly mode: ProducerMode
  readonly valueBytes?: number
  readonly sampleEvery?: number
  readonly bufferMemory?: number
  readonly log?: (line: string) => void
}

export interface SoakSample {
  readonly records: number
  readonly elapsedMs: number
  readonly rssMiB: number
  readonly heapUsedMiB: number
  /** The ledger's own typed arrays, inside RSS but not the producer's. */
  readonly ledgerMiB: number
  readonly activeHandles: number
}

export interface SoakResult {
  readonly samples: readonly SoakSample[]
  readonly report: DeliveryReport
  readonly sendSeconds: number
  readonly recordsPerSecond: number
  readonly readSeconds: number
  readonly bufferAvailableAtEnd: number
  readonly bufferMemory: number
}

const MiB = 1024 * 1024

/** A forced full GC, so heap samples compare live data rather than garbage. */
function collector(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc
  if (existing) return existing
  setFlagsFromString('--expose-gc')
  return runInNewContext('gc') as () => void
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const { cluster, topic, records } = options
  const log = options.log ?? (() => undefined)
  const gc = collector()
  const bufferMemory = options.bufferMemory ?? 32 * MiB
  const producer = oracleProducer(options.mode, {
    bootstrapServers: cluster.bootstrapServers,
    batchSize: 64 * 1024,
    lingerMs: 5,
    bufferMemory,
  })
  const ledger = new DeliveryLedger({
    runId: `soak-${options.mode}-${Date.now().toString(36)}`,
    capacity: records,
  })
  const samples: SoakSample[] = []
  const sampleEvery = options.sampleEvery ?? Math.max(1, Math.floor(records / 8))
  const sample = (sent: number, started: number) => {
    gc()
    const memory = process.memoryUsage()
    const entry: SoakSample = {
      records: sent,
      elapsedMs: Date.now() - started,
      rssMiB: Math.round(memory.rss / MiB),
      heapUsedMiB: Math.round((memory.heapUsed / MiB) * 10) / 10,
      ledgerMiB: Math.round(ledger.byteLength / MiB),
      activeHandles: process.getActiveResourcesInfo().length,
    }
    samples.push(entry)
    log(`soak ${JSON.stringify(entry)}`)
  }
  try {
    await producer.partitionsFor(topic)
    const started = Date.now()
    sample(0, started)
    const perTick = Math.max(1, Math.round(options.perSecond / 100))
    let sent = 0
    for (let tick = 0; sent < records; tick++) {
      const until = Math.min(records, sent + perTick)
      for (; sent < until; sent++) {
        sendRecorded(
          producer,
          ledger,
          ledger.next({ topic, key: `k${sent % 16}`, valueBytes: options.valueBytes ?? 100 }),
        )
        if (sent % sampleEvery === sampleEvery - 1) sample(sent + 1, started)
      }
      const waiting = producer.backPressure()
      if (waiting) await waiting
      await sleep(Math.max(0, started + (tick + 1) * 10 - Date.now()))
    }
    await producer.flush()
    await ledger.whenCompleted(300_000)
    const sendSeconds = (Date.now() - started) / 1000
    sample(records, started)
    const bufferAvailableAtEnd = producer.metrics()['buffer-available-bytes']!
    await producer.close()

    const readStarted = Date.now()
    const metadata = await cluster.metadata([topic])
    const partitions = metadata.topics[0]!.partitions
    let total = 0
    for (const partition of partitions) {
      const port = Number(cluster.brokerAddress(partition.leader).split(':')[1])
      const [latest] = await listLatestOffsets({ host: '127.0.0.1', port }, topic, [partition.partition])
      total += Number(latest!.offset)
    }
    const checker = new DeliveryChecker(ledger)
    await Promise.all([
      streamKcat(checker, cluster.bootstrapServers, topic),
      streamJava(checker, cluster.tools, cluster.bootstrapServers, topic, total),
    ])
    const readSeconds = (Date.now() - readStarted) / 1000
    return {
      samples,
      report: checker.report({ idempotent: options.mode === 'idempotent' }),
      sendSeconds,
      recordsPerSecond: Math.round(records / sendSeconds),
      readSeconds,
      bufferAvailableAtEnd,
      bufferMemory,
    }
  } finally {
    await producer.close({ timeoutMs: 0 })
  }
}
