// Produce throughput of the embedded cluster, the path `x-kafka perf` drives without -b: pipelined
// Produce requests (acks=-1) of one 100-record batch (100-byte values, uncompressed, ~11 KiB) each, answered
// by one broker, through the in-memory transport and through loopback TCP, with full record validation
// (the default) and header+CRC only. One iteration = 64 requests in flight at once, awaited together, so
// requests/s = 64 × hz and records/s = 6,400 × hz. The request log is off, as for throughput runs.
//
//   npx vitest bench --run --project testkit packages/testkit/src/embedded-kafka-cluster.bench.ts
import { RecordBatchBuilder } from '@x/protocol'
import { afterAll, bench, describe } from 'vitest'
import { EmbeddedKafkaCluster } from './embedded-kafka-cluster.js'
import { tcpTransport } from './network/tcp-transport.js'
import { KafkaWireClient } from './wire-client/kafka-wire-client.js'

const IN_FLIGHT = 64
const RECORDS_PER_BATCH = 100

function batch(): Uint8Array {
  const builder = new RecordBatchBuilder(new Uint8Array(16 * 1024))
  const value = new Uint8Array(100).fill(0x61)
  const key = new TextEncoder().encode('key-0001')
  for (let i = 0; i < RECORDS_PER_BATCH; i++) builder.append(Date.now(), key, value, [])
  return builder.close().slice()
}

const records = batch()
const stops: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const stop of stops) await stop()
})

async function setUp(via: 'in-memory' | 'tcp', validateRecords: boolean) {
  const cluster = await EmbeddedKafkaCluster.start({
    listen: via === 'tcp',
    requestLog: false,
    validateRecords,
    topics: [{ name: 'bench', partitions: 1 }],
  })
  const broker = cluster.brokers[0]!
  const client = await KafkaWireClient.connect({
    host: broker.host,
    port: broker.port,
    transport: via === 'tcp' ? tcpTransport : cluster.transport,
  })
  stops.push(async () => {
    client.close()
    await cluster.stop()
  })
  const request = {
    transactionalId: null,
    acks: -1,
    timeoutMs: 30_000,
    topicData: [{ name: 'bench', partitionData: [{ index: 0, records }] }],
  }
  return async () => {
    const pending: Promise<unknown>[] = []
    for (let i = 0; i < IN_FLIGHT; i++) pending.push(client.request('Produce', request))
    await Promise.all(pending)
    // keep memory flat across iterations: drop what was appended
    cluster.deleteRecords('bench', 0, Number.MAX_SAFE_INTEGER)
  }
}

const produceInMemory = await setUp('in-memory', true)
const produceInMemoryCrcOnly = await setUp('in-memory', false)
const produceTcp = await setUp('tcp', true)
const produceTcpCrcOnly = await setUp('tcp', false)

describe(`produce ${IN_FLIGHT} x ${records.length}-byte batches (${RECORDS_PER_BATCH} records) per iteration`, () => {
  bench('in-memory transport, full validation', produceInMemory)
  bench('in-memory transport, header + CRC only', produceInMemoryCrcOnly)
  bench('loopback TCP, full validation', produceTcp)
  bench('loopback TCP, header + CRC only', produceTcpCrcOnly)
})
