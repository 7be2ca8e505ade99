// Produce throughput of the embedded cluster as a script, reporting wall-clock and per-CPU-second rates
// (the second stays meaningful on a loaded shared machine, where vitest bench's wall-clock hz swings):
//
//   npx tsx --tsconfig tsconfig.json packages/testkit/bench/produce-throughput.ts [full|crc] [memory|tcp] [seconds]
//
// Pipelined Produce requests (acks=-1, 64 in flight) of one 100-record batch (100-byte values, 11.8 KB,
// uncompressed) to one broker, client and broker in this process, request log off; `crc` turns record
// validation off (header and CRC32C only). The log is trimmed after each round to keep memory flat.
import { RecordBatchBuilder } from '@x/protocol'
import { EmbeddedKafkaCluster, KafkaWireClient, tcpTransport } from '@x/testkit'

const validation = process.argv[2] ?? 'full'
const via = process.argv[3] ?? 'memory'
const seconds = Number(process.argv[4] ?? 5)
const IN_FLIGHT = 64

async function main(): Promise<void> {
  const builder = new RecordBatchBuilder(new Uint8Array(16 * 1024))
  const value = new Uint8Array(100).fill(0x61)
  const key = new TextEncoder().encode('key-0001')
  for (let i = 0; i < 100; i++) builder.append(Date.now(), key, value, [])
  const records = builder.close().slice()
  const cluster = await EmbeddedKafkaCluster.start({
    listen: via === 'tcp',
    requestLog: false,
    validateRecords: validation === 'full',
    topics: ['bench'],
  })
  const broker = cluster.brokers[0]!
  const client = await KafkaWireClient.connect({
    host: broker.host,
    port: broker.port,
    transport: via === 'tcp' ? tcpTransport : cluster.transport,
  })
  const request = {
    acks: -1,
    timeoutMs: 30_000,
    topicData: [{ name: 'bench', partitionData: [{ index: 0, records }] }],
  }
  const cpuStart = process.cpuUsage()
  const start = performance.now()
  let requests = 0
  while (performance.now() - start < seconds * 1000) {
    const pending: Promise<unknown>[] = []
    for (let i = 0; i < IN_FLIGHT; i++) pending.push(client.request('Produce', request))
    await Promise.all(pending)
    requests += IN_FLIGHT
    cluster.deleteRecords('bench', 0, Number.MAX_SAFE_INTEGER)
  }
  const wall = (performance.now() - start) / 1000
  const used = process.cpuUsage(cpuStart)
  const cpu = (used.user + used.system) / 1e6
  const rate = (per: number) =>
    `${Math.round(requests / per)} requests, ${((requests * 100) / per / 1e6).toFixed(2)} M records, ${((requests * records.length) / per / 1e6).toFixed(0)} MB`
  console.log(`${via}, ${validation} validation: per second ${rate(wall)}; per CPU-second ${rate(cpu)}`)
  client.close()
  await cluster.stop()
}

await main()
