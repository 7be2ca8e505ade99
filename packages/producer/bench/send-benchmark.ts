// Per-record send() against a real Apache Kafka broker, next to the Java producer's own benchmark
// (ProducerPerformance) on the same broker, topic layout and configs.
//
//   node --expose-gc --import tsx packages/producer/bench/send-benchmark.ts [options]
//
//   --bootstrap-servers host:port   use a running broker (default: start a single KRaft node with the harness)
//   --cluster-state file            use a running harness cluster (its state.json; topics are created there),
//                                   e.g. to interleave A/B runs of two checkouts on one broker
//   --rounds N                      measured rounds after the warm-up (default 3)
//   --records N                     records per run (default 1,000,000)     --record-size B   (default 100)
//   --partitions N                  of the topic (default 1)                --acks all|1|0    (default all)
//   --linger-ms N                   (default 5)                             --batch-size B    (default 16384)
//   --mode send|callback|batch      send() promises, send() with a callback (promises ignored), or sendBatch(1000)
//   --java                          also run ProducerPerformance with the same configs
//   --idempotence                   enable.idempotence=true on both sides (default false, as the figures below)
//
// The loop sends without awaiting each record, as ProducerPerformance does, and yields to the event loop
// every 2,000 records (so the sender's I/O runs while the loop goes on) and whenever the producer reports
// back-pressure (`buffer.memory` spent). Throughput counts from the first send to the last acknowledgement;
// CPU is this process's user + system time (V8's GC threads included). Idempotence is off on both sides
// unless --idempotence (the Java run gets the same enable.idempotence).
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { GCProfiler, getHeapStatistics } from 'node:v8'
import { createTopic, KafkaCluster, runProducerPerformance } from '@x/kafka-harness'
import { KafkaProducer, type RecordMetadata } from '@x/producer'

const { values: args } = parseArgs({
  options: {
    'bootstrap-servers': { type: 'string' },
    'cluster-state': { type: 'string' },
    rounds: { type: 'string', default: '3' },
    records: { type: 'string', default: '1000000' },
    'record-size': { type: 'string', default: '100' },
    partitions: { type: 'string', default: '1' },
    acks: { type: 'string', default: 'all' },
    'linger-ms': { type: 'string', default: '5' },
    'batch-size': { type: 'string', default: '16384' },
    mode: { type: 'string', default: 'send' },
    java: { type: 'boolean', default: false },
    idempotence: { type: 'boolean', default: false },
  },
})
const records = Number(args.records)
const recordSize = Number(args['record-size'])
const mode = args.mode as 'send' | 'callback' | 'batch'
const producerProps = {
  acks: args.acks!,
  'linger.ms': args['linger-ms']!,
  'batch.size': args['batch-size']!,
  'enable.idempotence': String(args.idempotence),
}

let cluster: KafkaCluster | undefined
let ownCluster = false
let bootstrapServers = args['bootstrap-servers']
if (args['cluster-state'] !== undefined) {
  cluster = KafkaCluster.load(args['cluster-state'])
  bootstrapServers = cluster.bootstrapServers
} else if (bootstrapServers === undefined) {
  ownCluster = true
  cluster = await KafkaCluster.start({ nodes: 1, name: 'producer-bench', reapWithOwner: true })
  bootstrapServers = cluster.bootstrapServers
}

async function topicFor(run: string): Promise<string> {
  const topic = `bench-${run}-${Date.now()}`
  if (cluster !== undefined) await createTopic(cluster, { topic, partitions: Number(args.partitions) })
  return topic
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

async function runOurs(
  topic: string,
): Promise<{ seconds: number; cpuSeconds: number; heapBytesPerRecord: number }> {
  const producer = new KafkaProducer({ bootstrapServers, ...producerProps })
  await producer.partitionsFor(topic)
  // Random A–Z bytes as ProducerPerformance sends; one value object reused, as it does.
  const value = Buffer.from(Array.from({ length: recordSize }, () => 65 + Math.floor(Math.random() * 26)))
  const record = { topic, value }
  let failed = 0
  const callback = (_metadata: RecordMetadata, error: Error | undefined) => {
    if (error) failed++
  }
  const batch = new Array(1000).fill(record)
  const profiler = new GCProfiler()
  ;(globalThis as { gc?: () => void }).gc?.()
  const heapBefore = getHeapStatistics().used_heap_size
  profiler.start()
  const cpu = process.cpuUsage()
  const started = process.hrtime.bigint()
  let last: Promise<unknown> | undefined
  for (let sent = 0; sent < records; ) {
    if (mode === 'batch') {
      last = producer.sendBatch(batch)
      sent += batch.length
    } else {
      last = mode === 'callback' ? producer.send(record, callback) : producer.send(record)
      sent++
    }
    const pressure = producer.backPressure()
    if (pressure !== undefined) await pressure
    else if (sent % 2000 === 0) await yieldToEventLoop()
  }
  await last
  await producer.flush()
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  const used = process.cpuUsage(cpu)
  const heapAfter = getHeapStatistics().used_heap_size
  let collected = 0
  for (const { beforeGC, afterGC } of profiler.stop()?.statistics ?? [])
    collected += beforeGC.heapStatistics.usedHeapSize - afterGC.heapStatistics.usedHeapSize
  const errors = producer.metrics()['record-error-total']! + failed
  await producer.close()
  if (errors > 0) throw new Error(`${errors} records failed`)
  return {
    seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    heapBytesPerRecord: (heapAfter - heapBefore + collected) / records,
  }
}

const rate = (perSecond: number) => `${Math.round(perSecond).toLocaleString('en')} records/s`
const mb = (perSecond: number) => `${((perSecond * recordSize) / 1024 / 1024).toFixed(1)} MiB/s`
console.log(
  `node ${process.version}; ${records.toLocaleString('en')} records × ${recordSize} B, ${args.partitions} partition(s), ` +
    `${JSON.stringify(producerProps)}, mode ${mode}; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
)
try {
  await runOurs(await topicFor('warmup')) // JIT warm-up, connections, a first metadata round
  for (let round = 1; round <= Number(args.rounds); round++) {
    const result = await runOurs(await topicFor(`ours-${round}`))
    console.log(
      `@x/producer round ${round}: ${rate(records / result.seconds)} (${mb(records / result.seconds)}), ` +
        `${rate(records / result.cpuSeconds)} per CPU-second, ${result.heapBytesPerRecord.toFixed(0)} heap bytes allocated per record`,
    )
  }
  if (args.java && cluster !== undefined) {
    const java = await runProducerPerformance(cluster.tools, {
      bootstrapServers,
      topic: await topicFor('java'),
      numRecords: records,
      recordSize,
      producerProps,
    })
    console.log(
      `Java ProducerPerformance: ${rate(java.recordsPerSec)} (${java.mbPerSec} MiB/s), avg latency ${java.avgLatencyMs} ms`,
    )
  }
} finally {
  if (ownCluster) cluster?.stop()
}
