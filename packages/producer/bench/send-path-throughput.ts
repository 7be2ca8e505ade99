// send() per second and heap bytes allocated per record on the synchronous path, without a network: the
// producer's SendPath over a real RecordAccumulator and BufferPool, batches drained, closed (CRC32C),
// completed and deallocated as they fill — what the sender does, minus the socket. 100-byte values, no key,
// 16 KiB batches, bytes serializer, no interceptors. The ways of sending:
//   send(record, callback)   Java's style (what the side-by-side suite's x-send does); its result is ignored
//   send(record)             the promise kept only for the chunk's last record, awaited in bulk
//   Promise.all(1,000 sends) every promise subscribed (KafkaJS-style code)
//   sendBatch(1,000)         one promise per call
// The record object is made per send, as a caller would (about 48 of the bytes per record).
//
//   node --expose-gc --import tsx packages/producer/bench/send-path-throughput.ts [--records N] [--rounds N]
//     [--only callback|promise|all|batch]
//
// Rates are per CPU-second of this process (user + system, so V8's GC threads count) and per wall second.
import type { RecordMetadata } from '../src/record/record-metadata.js'
import {
  allocatedBytes,
  assertNoFailures,
  callback,
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
const recordsPerRound = Number(option('records', '2000000'))
const only = option('only', '')

type Runner = (records: number, partition: number | undefined) => Promise<void>

// sendBatch: 1,000 records per call, one promise per call.
const runBatches: Runner = async (records, partition) => {
  let last: Promise<unknown> | undefined
  for (let i = 0; i < records; i += 1000) {
    const batch = new Array(1000)
    for (let j = 0; j < 1000; j++) batch[j] = { topic: 'bench', partition, value }
    last = sendPath.sendBatch(batch)
    if ((i & 0x3fff) >= 0x3fff - 999 || i + 1000 >= records) {
      drainAll()
      await last
    }
  }
  drainAll()
  await last
}

// Each chunk's records all complete inside drainAll(), so awaiting the chunk's last promise is only a yield:
// what is measured is send() plus settling its promise, not Promise.all's own per-element cost.
const runPromises: Runner = async (records, partition) => {
  let last: Promise<RecordMetadata> | undefined
  for (let i = 0; i < records; i++) {
    last = sendPath.send({ topic: 'bench', partition, value }, undefined)
    if ((i & 0x3fff) === 0x3fff) {
      drainAll()
      await last
    }
  }
  drainAll()
  await last
}

const runCallbacks: Runner = async (records, partition) => {
  for (let i = 0; i < records; i++) {
    sendPath.send({ topic: 'bench', partition, value }, callback)
    if ((i & 0x3fff) === 0x3fff) {
      drainAll()
      await yieldToEventLoop()
    }
  }
  drainAll()
}

// Promise.all over each 1,000 sends, subscribed while pending; drained every 16 of them.
const runAll: Runner = async (records, partition) => {
  let pending: Promise<RecordMetadata[]>[] = []
  for (let i = 0; i < records; i += 1000) {
    const chunk = new Array<Promise<RecordMetadata>>(1000)
    for (let j = 0; j < 1000; j++) chunk[j] = sendPath.send({ topic: 'bench', partition, value }, undefined)
    pending.push(Promise.all(chunk))
    if (pending.length === 16 || i + 1000 >= records) {
      drainAll()
      await Promise.all(pending)
      pending = []
    }
  }
}

printHeader(rounds, recordsPerRound)
const modes: [string, string, number | undefined, Runner][] = [
  ['callback', 'send(record, callback), explicit partition', 3, runCallbacks],
  ['callback', 'send(record, callback), built-in sticky', undefined, runCallbacks],
  ['promise', 'send(record), explicit partition', 3, runPromises],
  ['all', 'Promise.all(1,000 × send(record)), explicit partition', 3, runAll],
  ['batch', 'sendBatch(1,000), explicit partition', 3, runBatches],
]
for (const [mode, label, partition, runner] of modes) {
  if (only !== '' && only !== mode) continue
  await runner(1_000_000, partition)
  gc()
  const perRecord = (await allocatedBytes(() => runner(500_000, partition))) / 500_000
  const cpuRates: number[] = []
  const wallRates: number[] = []
  for (let round = 0; round < rounds; round++) {
    gc()
    const cpu = process.cpuUsage()
    const wall = process.hrtime.bigint()
    await runner(recordsPerRound, partition)
    const used = process.cpuUsage(cpu)
    cpuRates.push(recordsPerRound / ((used.user + used.system) / 1e6))
    wallRates.push(recordsPerRound / (Number(process.hrtime.bigint() - wall) / 1e9))
  }
  assertNoFailures()
  console.log(
    `${label}: ${fmt(median(cpuRates))} records/s per CPU-second (best ${fmt(Math.max(...cpuRates))}), wall ${fmt(median(wallRates))}; ${perRecord.toFixed(0)} heap bytes per record`,
  )
}
