// What tracing and diagnostics_channel cost per record through KafkaProducer.send (the façade, not only the
// SendPath): send(record, callback) per CPU-second and heap bytes per record, without a network — the façade's
// per-record fields around the same SendPath, RecordAccumulator and BufferPool as send-path-throughput.ts,
// batches drained, closed, completed and deallocated as they fill. 100-byte values, explicit partition.
//   plain       nobody subscribes, tracing off (the path every producer takes by default)
//   subscribed  a no-op subscriber on x-kafka:producer:send (and ack/error)
//   traced      tracing on, an SDK BasicTracerProvider that samples every span and exports none
//
//   node --expose-gc --import tsx packages/producer/bench/send-observation.ts [--records N] [--rounds N]
//     [--only plain|subscribed|traced]
//
// `plain` runs on a checkout without tracing too (it imports nothing of src/tracing), for A/B runs.
import { subscribe } from 'node:diagnostics_channel'
import { KafkaProducer } from '../src/kafka-producer.js'
import {
  allocatedBytes,
  assertNoFailures,
  callback,
  config,
  drainAll,
  fmt,
  gc,
  median,
  option,
  printHeader,
  sendPath,
  value,
  yieldToEventLoop,
} from './send-path-rig.js'

const rounds = Number(option('rounds', '5'))
const recordsPerRound = Number(option('records', '1000000'))
const only = option('only', '')

/** The façade around the bench's SendPath: its per-record fields as the constructor sets them. */
async function facade(mode: string): Promise<KafkaProducer<Uint8Array, Uint8Array>> {
  const producer = Object.create(KafkaProducer.prototype) as KafkaProducer<Uint8Array, Uint8Array>
  const fields: Record<string, unknown> = {
    config,
    sendPath,
    interceptors: undefined,
    closing: undefined,
    transactionManager: undefined,
  }
  if (mode !== 'plain') {
    const channels = await import('../src/tracing/producer-channels.js')
    const instrumentation = await import('../src/tracing/send-instrumentation.js')
    fields['observation'] = channels.anyProducerChannel
    fields['telemetry'] = undefined
    if (mode === 'subscribed') {
      for (const name of [channels.SEND_CHANNEL_NAME, channels.ACK_CHANNEL_NAME, channels.ERROR_CHANNEL_NAME])
        subscribe(name, () => {})
    } else {
      const api = await import('@opentelemetry/api')
      const { BasicTracerProvider } = await import('@opentelemetry/sdk-trace-base')
      fields['observation'] = instrumentation.ALWAYS_OBSERVE
      fields['telemetry'] = new instrumentation.ProducerTelemetry({
        api,
        tracerProvider: new BasicTracerProvider(),
        meterProvider: undefined,
        propagate: true,
      })
    }
  } else {
    // The field as a producer without subscribers has it (absent on a checkout without tracing; older
    // checkouts gate on the send channel alone).
    try {
      const channels: Record<string, unknown> = await import('../src/tracing/producer-channels.js')
      fields['observation'] = channels['anyProducerChannel'] ?? channels['sendChannel']
    } catch {}
  }
  return Object.assign(producer, fields)
}

async function run(producer: KafkaProducer<Uint8Array, Uint8Array>, records: number): Promise<void> {
  for (let i = 0; i < records; i++) {
    producer.send({ topic: 'bench', partition: 3, value }, callback)
    if ((i & 0x3fff) === 0x3fff) {
      drainAll()
      await yieldToEventLoop()
    }
  }
  drainAll()
}

printHeader(rounds, recordsPerRound)
// One mode per process when measuring (`--only`): a subscriber, once added, stays for the process.
for (const mode of ['plain', 'subscribed', 'traced']) {
  if (only !== '' && only !== mode) continue
  const producer = await facade(mode)
  const warm = mode === 'plain' ? 1_000_000 : 200_000
  await run(producer, warm)
  gc()
  const perRecord = (await allocatedBytes(() => run(producer, 200_000))) / 200_000
  const cpuRates: number[] = []
  for (let round = 0; round < rounds; round++) {
    gc()
    const cpu = process.cpuUsage()
    await run(producer, recordsPerRound)
    const used = process.cpuUsage(cpu)
    cpuRates.push(recordsPerRound / ((used.user + used.system) / 1e6))
  }
  assertNoFailures()
  console.log(
    `${mode}: send(record, callback) via KafkaProducer.send ${fmt(median(cpuRates))} records/s per CPU-second (best ${fmt(Math.max(...cpuRates))}); ${perRecord.toFixed(0)} heap bytes per record`,
  )
}
