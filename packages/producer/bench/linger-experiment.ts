// The experiment behind "adaptive linger" (issue 11, part B): what linger.ms does to latency at a fixed rate
// and to unthrottled throughput, on a real broker — the bound any adaptive linger works within. Each run is a
// new KafkaProducer on a new topic (6 partitions, acks=1, 100 B values, no keys, idempotence off, the
// side-by-side suite's targets' workload); latency is per record from send() to its callback.
//
//   npm run kafka -- start --nodes 1        # prints bootstrap.servers=…
//   node --expose-gc --import tsx packages/producer/bench/linger-experiment.ts --bootstrap-servers host:port \
//     [--linger 0,5] [--adaptive] [--rate 50000] [--seconds 8] [--records 600000] [--repeat 2]
//
// --adaptive adds a prototype policy (below): linger follows the measured arrival rate and request latency.
import { loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { createTopic, KafkaCluster } from '@x/kafka-harness'
import { KafkaProducer, type RecordMetadata } from '@x/producer'

const { values: args } = parseArgs({
  options: {
    'bootstrap-servers': { type: 'string' },
    'cluster-state': { type: 'string' },
    linger: { type: 'string', default: '0,5' },
    adaptive: { type: 'boolean', default: false },
    rate: { type: 'string', default: '50000' },
    seconds: { type: 'string', default: '8' },
    records: { type: 'string', default: '600000' },
    repeat: { type: 'string', default: '2' },
  },
})
const rate = Number(args.rate)
const seconds = Number(args.seconds)
const unthrottledRecords = Number(args.records)
const value = Buffer.alloc(100, 'x')
const cluster = args['cluster-state'] ? KafkaCluster.load(args['cluster-state']) : undefined
const bootstrapServers = cluster?.bootstrapServers ?? args['bootstrap-servers']
if (bootstrapServers === undefined) throw new Error('--bootstrap-servers or --cluster-state')

/** linger as a number, or 'adaptive'. */
type Linger = number | 'adaptive'

/**
 * Prototype adaptive policy, set every 20 ms: with `r` records/s arriving over `p` partitions and `n` records
 * per full batch, a batch fills in n·p/r seconds. Waiting longer than a request's round trip buys nothing the
 * in-flight pipeline does not already give (batches accumulate while requests are out), and waiting for a
 * batch that fills anyway is free; so linger = min(5 ms, fill time, measured request latency).
 */
function adapt(producer: KafkaProducer, arrivals: number, windowMs: number): void {
  const metrics = producer.metrics()
  const requestLatencyMs = metrics['request-latency-avg'] ?? 5
  const perSecond = (arrivals / windowMs) * 1000
  const fillMs = perSecond > 0 ? ((16384 / 170) * 6 * 1000) / perSecond : 5
  const linger = Math.max(0, Math.min(5, fillMs, Number.isFinite(requestLatencyMs) ? requestLatencyMs : 5))
  // The accumulator reads its linger on every ready check; the prototype sets it from outside.
  const internals = (producer as unknown as { stack: { accumulator: { internals: { lingerMs: number } } } })
    .stack.accumulator.internals
  internals.lingerMs = linger
}

async function run(kind: 'latency' | 'throughput', linger: Linger, round: number) {
  const topic = `linger-${kind}-${linger}-${round}-${Date.now()}`
  if (cluster) await createTopic(cluster, { topic, partitions: 6 })
  const producer = new KafkaProducer({
    bootstrapServers,
    acks: 1,
    enableIdempotence: false,
    lingerMs: linger === 'adaptive' ? 5 : linger,
  })
  if (!cluster) await producer.partitionsFor(topic) // auto-created with the broker's default partitions
  const total = kind === 'latency' ? rate * seconds : unthrottledRecords
  const latencies = new Float64Array(total)
  let acked = 0
  let failed = 0
  let done: () => void = () => {}
  const finished = new Promise<void>((resolve) => {
    done = resolve
  })
  const send = (index: number) => {
    const start = performance.now()
    producer.send({ topic, value }, (_m: RecordMetadata, error) => {
      latencies[index] = performance.now() - start
      if (error) failed++
      if (++acked === total) done()
    })
  }
  let arrivals = 0
  let lastAdapt = performance.now()
  const maybeAdapt = () => {
    const now = performance.now()
    if (linger === 'adaptive' && now - lastAdapt >= 20) {
      adapt(producer, arrivals, now - lastAdapt)
      arrivals = 0
      lastAdapt = now
    }
  }
  const cpu = process.cpuUsage()
  const t0 = performance.now()
  let sent = 0
  if (kind === 'latency') {
    while (sent < total) {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate))
      for (; sent < due; sent++) send(sent)
      arrivals += due
      maybeAdapt()
      await new Promise((resolve) => setTimeout(resolve, 1))
    }
  } else {
    while (sent < total) {
      const end = Math.min(total, sent + 2000)
      for (; sent < end; sent++) send(sent)
      arrivals += 2000
      maybeAdapt()
      const wait = producer.backPressure()
      await (wait ?? new Promise((resolve) => setImmediate(resolve)))
    }
  }
  await finished
  const wallS = (performance.now() - t0) / 1000
  const used = process.cpuUsage(cpu)
  const metrics = producer.metrics()
  await producer.close()
  const sorted = Array.from(latencies).sort((a, b) => a - b)
  const pct = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1)
  const cpuUs = ((used.user + used.system) / total).toFixed(2)
  const requests = metrics['request-total'] ?? Number.NaN
  console.log(
    `${kind} linger=${linger} #${round}: ${Math.round(total / wallS).toLocaleString('en')} rec/s, p50 ${pct(0.5)} p99 ${pct(0.99)} p99.9 ${pct(0.999)} ms, ` +
      `${cpuUs} CPU µs/rec, ${(total / requests).toFixed(0)} rec/request, failed ${failed}, load ${loadavg()[0]!.toFixed(1)}`,
  )
}

const lingers: Linger[] = args.linger!.split(',').map(Number)
if (args.adaptive) lingers.push('adaptive')
console.log('warm-up (not counted):')
await run('throughput', 5, 0)
// Interleaved, the order rotated each round so no setting always runs first after the other kind.
for (let round = 1; round <= Number(args.repeat); round++) {
  const order = lingers.map((_, i) => lingers[(i + round) % lingers.length]!)
  for (const kind of ['latency', 'throughput'] as const) {
    for (const linger of order) await run(kind, linger, round)
  }
}
