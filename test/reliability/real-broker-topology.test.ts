// Checklist §5.1 topology scenarios on the harness's real single node: R10 a topic deleted and recreated
// mid-stream (Java's ProducerSendWhileDeletionTest), R11 partitions added mid-stream
// (testSendBeforeAndAfterPartitionExpansion), R14 close({ timeoutMs }) with records still pending, R17 batches
// over the topic's max.message.bytes split and resent while one oversized record fails alone. Records are the
// delivery oracle's (sequence-numbered per key), read back by the Java consumer and kcat, which must agree.
// The shared node is never stopped: R14 silences only its own producer's connections (a held transport) and
// sends to a topic that does not exist.
import { randomFillSync } from 'node:crypto'
import { createTopic, type KafkaCluster, runJavaTool, waitForTopic } from '@x/kafka-harness'
import { kafkaSingleNode, uniqueTopic } from '@x/kafka-harness/vitest'
import { ProducerClosedError, RecordTooLargeError, TimeoutError } from '@x/producer'
import { ApiError } from '@x/protocol'
import { TcpTransport, type Transport, type TransportConnectOptions, type TransportSocket } from '@x/sender'
import {
  DeliveryChecker,
  DeliveryLedger,
  type DeliveryReport,
  leakedResources,
  snapshotActiveResources,
} from '@x/testkit'
import { afterAll, afterEach, expect, it } from 'vitest'
import {
  type OracleProducer,
  oracleProducer,
  sendRecorded,
  sleep,
  tableRow,
  until,
} from './support/oracle-producer.js'
import { readBothInto } from './support/real-readers.js'

const producers: OracleProducer[] = []
const unhandled: unknown[] = []
const onUnhandled = (reason: unknown) => unhandled.push(reason)
process.on('unhandledRejection', onUnhandled)
afterAll(() => {
  process.off('unhandledRejection', onUnhandled)
})
afterEach(async () => {
  for (const producer of producers.splice(0)) await producer.close({ timeoutMs: 0 })
})

function producer(options: Parameters<typeof oracleProducer>[1] = {}): OracleProducer {
  const created = oracleProducer('idempotent', {
    bootstrapServers: kafkaSingleNode().bootstrapServers,
    ...options,
  })
  producers.push(created)
  return created
}

/** Kafka's own TopicCommand (`kafka-topics.sh`), as the harness's `createTopic` runs it. */
async function topicCommand(cluster: KafkaCluster, args: string[]): Promise<void> {
  const run = await runJavaTool(
    cluster.tools,
    'org.apache.kafka.tools.TopicCommand',
    ['--bootstrap-server', cluster.bootstrapServers, ...args],
    { timeoutMs: 60_000 },
  )
  if (run.status !== 0) {
    throw new Error(
      `TopicCommand ${args.join(' ')} failed (exit ${run.status}): ${run.stdout.toString('utf8')}${run.stderr}`,
    )
  }
}

async function report(cluster: KafkaCluster, ledger: DeliveryLedger, topic: string): Promise<DeliveryReport> {
  const checker = new DeliveryChecker(ledger)
  await readBothInto(checker, cluster, topic)
  return checker.report({ idempotent: true })
}

/** Sends `perTick` records every 20 ms through `send` until `stop()` returns true. */
async function steady(perTick: number, stop: () => boolean, send: () => void): Promise<void> {
  while (!stop()) {
    for (let i = 0; i < perTick; i++) send()
    await sleep(20)
  }
}

it('R10: a topic deleted and recreated mid-stream: its sends settle once each (ack or typed error), none hangs, the other topic is untouched, sends after the recreate succeed', async () => {
  const cluster = kafkaSingleNode()
  const t = uniqueTopic('r10-t')
  const u = uniqueTopic('r10-u')
  await createTopic(cluster, { topic: t, partitions: 3 })
  await createTopic(cluster, { topic: u, partitions: 3 })
  const deliveryTimeoutMs = 5_000
  const p = producer({
    allowAutoCreateTopics: false,
    deliveryTimeoutMs,
    requestTimeoutMs: 3_000,
    lingerMs: 5,
    maxBlockMs: 3_000,
    metadataMaxAgeMs: 2_000,
  })
  await p.partitionsFor(t)
  await p.partitionsFor(u)
  const before = new DeliveryLedger({ runId: 'r10-t-before' }) // T up to and across the delete
  const after = new DeliveryLedger({ runId: 'r10-t-after' }) // T once recreated
  const other = new DeliveryLedger({ runId: 'r10-u' })
  let phase: 'before' | 'after' | 'done' = 'before'
  let n = 0
  const load = steady(
    10,
    () => phase === 'done',
    () => {
      n++
      sendRecorded(p, other, other.next({ topic: u, key: `k${n % 6}`, valueBytes: 100 }))
      const ledger = phase === 'before' ? before : after
      sendRecorded(p, ledger, ledger.next({ topic: t, key: `k${n % 6}`, valueBytes: 100 }))
    },
  )
  await until('1000 records sent to T', () => before.size >= 1_000)
  await topicCommand(cluster, ['--delete', '--topic', t])
  await cluster.waitUntil(30_000, `topic ${t} gone`, async () => {
    const found = (await cluster.metadata([t])).topics.find((topic) => topic.name === t)
    return found === undefined || found.errorCode !== 0
  })
  const goneAt = Date.now()
  // absent for longer than the delivery timeout, so records sent meanwhile must fail rather than wait
  await sleep(deliveryTimeoutMs + 3_000)
  await topicCommand(cluster, ['--create', '--topic', t, '--partitions', '3', '--replication-factor', '1'])
  await waitForTopic(cluster, t, 3)
  const absentMs = Date.now() - goneAt
  const sentBeforeRecreate = before.size
  phase = 'after'
  await until('1000 records sent to the recreated T', () => after.size >= 1_000, 60_000)
  phase = 'done'
  await load
  await p.flush()
  // every send settles within the delivery timeout (plus a blocked metadata wait): none hangs
  for (const ledger of [before, after, other]) await ledger.whenCompleted(deliveryTimeoutMs + 30_000)

  const failures = before.failures()
  const failureKinds = new Map<string, number>()
  for (const failure of failures) {
    // which timeout: a queued batch's delivery.timeout.ms, or a send's metadata wait (max.block.ms)
    const error = failure.error as { name?: string; code?: string; timeout?: string }
    const kind = `${error.name}/${error.code}${error.timeout ? ` ${error.timeout}` : ''}`
    failureKinds.set(kind, (failureKinds.get(kind) ?? 0) + 1)
  }
  const uReport = await report(cluster, other, u)
  const afterReport = await report(cluster, after, t)
  const beforeChecker = new DeliveryChecker(before).report({ idempotent: true })
  const kinds = [...failureKinds].map(([kind, count]) => `${count} ${kind}`).join(', ')
  tableRow({
    id: 'R10',
    scenario: `topic T (3 partitions) deleted after 1000 sends, absent for ${absentMs} ms (delivery.timeout.ms ${deliveryTimeoutMs}), recreated; U alongside`,
    broker: 'kafka 1 node',
    mode: 'idempotent',
    report: uReport,
    note: `U (the untouched topic); T before recreate: ${sentBeforeRecreate} sent, ${before.size - failures.length} acked, ${failures.length} failed (${kinds})`,
  })
  tableRow({
    id: 'R10',
    scenario: 'sends to T after it was recreated',
    broker: 'kafka 1 node',
    mode: 'idempotent',
    report: afterReport,
    note: `${afterReport.counts.foreign} records of before the recreate read from the new T`,
  })

  // T, before and across the delete: each send completed exactly once; failures are typed
  expect(beforeChecker.counts).toMatchObject({ uncompleted: 0, multipleCompletions: 0, outcomeMismatches: 0 })
  expect(failures.length, 'the delete reached the producer').toBeGreaterThan(0)
  for (const failure of failures) {
    const error = failure.error as { code?: string }
    expect(
      TimeoutError.isInstance(failure.error) || error.code === 'UNKNOWN_TOPIC_OR_PARTITION',
      String(failure.error),
    ).toBe(true)
  }
  // U: all acked, read back once, in order
  expect(uReport.counts).toMatchObject({ sent: other.size, acked: other.size, lost: 0, unseen: 0 })
  expect(uReport.violations).toEqual([])
  // T after the recreate: all acked and read back once, in order
  expect(afterReport.counts).toMatchObject({
    sent: after.size,
    acked: after.size,
    read: after.size,
    lost: 0,
    unseen: 0,
    duplicated: 0,
    reordered: 0,
    uncompleted: 0,
    multipleCompletions: 0,
    inconsistent: 0,
  })
  expect(unhandled).toEqual([])
}, 300_000)

it('R11: partitions added mid-stream: keyless records reach the new partitions after a metadata refresh, nothing lost', async () => {
  const cluster = kafkaSingleNode()
  const topic = uniqueTopic('r11')
  await createTopic(cluster, { topic, partitions: 2 })
  const p = producer({ lingerMs: 5, metadataMaxAgeMs: 1_000 })
  await p.partitionsFor(topic)
  const ledger = new DeliveryLedger({ runId: 'r11' })
  let stop = false
  let n = 0
  const load = steady(
    10,
    () => stop,
    () => {
      n++
      sendRecorded(p, ledger, ledger.next({ topic, key: `k${n % 6}`, keyed: false, valueBytes: 100 }))
    },
  )
  await until('1500 records sent', () => ledger.size >= 1_500)
  await topicCommand(cluster, ['--alter', '--topic', topic, '--partitions', '6'])
  await waitForTopic(cluster, topic, 6)
  const firstAfterAlter = ledger.size
  await until('4000 more records sent', () => ledger.size >= firstAfterAlter + 4_000, 60_000)
  stop = true
  await load
  await p.flush()
  await ledger.whenCompleted(60_000)
  const perPartition = [0, 0, 0, 0, 0, 0]
  let beforeOnNew = 0
  for (let id = 0; id < ledger.size; id++) {
    const outcome = ledger.outcome(id)
    if (outcome.state !== 'ok') continue
    if (id >= firstAfterAlter) perPartition[outcome.partition]!++
    else if (outcome.partition >= 2) beforeOnNew++
  }
  const result = await report(cluster, ledger, topic)
  tableRow({
    id: 'R11',
    scenario:
      'keyless steady produce, topic altered from 2 to 6 partitions mid-stream, metadata.max.age.ms 1000',
    broker: 'kafka 1 node',
    mode: 'idempotent',
    report: result,
    note: `acked after the alter per partition: ${perPartition.join('/')}`,
  })
  expect(beforeOnNew, 'no record sent before the alter was placed on a partition that did not exist').toBe(0)
  expect(
    perPartition.slice(2).reduce((a, b) => a + b),
    'records on the new partitions 2..5',
  ).toBeGreaterThan(0)
  expect(result.counts).toMatchObject({
    sent: ledger.size,
    acked: ledger.size,
    read: ledger.size,
    lost: 0,
    unseen: 0,
  })
  expect(result.violations).toEqual([])
}, 300_000)

/**
 * TCP to the real broker, with a switch that makes this producer's connections go silent in both directions:
 * from `hold()` on, requests are dropped before the socket (reported written) and answers are dropped on
 * arrival. To the producer the broker looks paused (as under SIGSTOP), while the shared node stays up.
 */
class HeldTransport implements Transport {
  private held = false
  private readonly inner = new TcpTransport()

  hold(): void {
    this.held = true
  }

  async connect(options: TransportConnectOptions): Promise<TransportSocket> {
    const socket = await this.inner.connect(options)
    return {
      write: (chunks, onWritten) => {
        if (this.held) onWritten?.()
        else socket.write(chunks, onWritten)
      },
      onData: (listener) => socket.onData((chunk) => this.held || listener(chunk)),
      onClose: (listener) => socket.onClose(listener),
      close: () => socket.close(),
    }
  }
}

it('R14: close({ timeoutMs: 2000 }) with records pending (in flight to a silent broker, or waiting for a topic that does not exist): close resolves, each pending send rejects once with the forced-close error, no handle is left', async () => {
  const cluster = kafkaSingleNode()
  const topic = uniqueTopic('r14')
  await createTopic(cluster, { topic, partitions: 2 })
  const missing = uniqueTopic('r14-missing')
  const resources = snapshotActiveResources()
  const transport = new HeldTransport()
  const p = producer({ transport, allowAutoCreateTopics: false, maxBlockMs: 60_000, lingerMs: 5 })
  let requests = 0
  p.events$.subscribe((event) => {
    if (event.type === 'request-sent') requests++
  })
  await p.partitionsFor(topic)
  await p.send({ topic, key: null, value: new Uint8Array(1) }) // the connection and producer id are up
  transport.hold()
  const sentBefore = requests
  const ledger = new DeliveryLedger({ runId: 'r14' })
  for (let i = 0; i < 100; i++) {
    sendRecorded(p, ledger, ledger.next({ topic, key: `k${i % 4}`, valueBytes: 100 }))
    sendRecorded(p, ledger, ledger.next({ topic: missing, key: `k${i % 4}`, valueBytes: 100 }))
  }
  await until('Produce requests in flight to the silent broker', () => requests > sentBefore)
  await sleep(500)
  expect(ledger.pending).toBe(200)
  const started = Date.now()
  await p.close({ timeoutMs: 2_000 })
  const closeMs = Date.now() - started
  await ledger.whenCompleted(5_000)
  await sleep(100) // a second completion, if any, would arrive by now
  const result = new DeliveryChecker(ledger).report({ idempotent: true })
  tableRow({
    id: 'R14',
    scenario:
      'close({ timeoutMs: 2000 }) with 100 records in flight to a silent broker (held transport) and 100 waiting for a missing topic',
    broker: 'kafka 1 node',
    mode: 'idempotent',
    report: result,
    note: `close resolved after ${closeMs} ms; all 200 rejected once with ProducerClosedError (PRODUCER_CLOSED_FORCEFULLY)`,
  })
  expect(closeMs, 'close resolved (generous bound)').toBeLessThan(30_000)
  expect(result.counts).toMatchObject({
    sent: 200,
    acked: 0,
    failed: 200,
    uncompleted: 0,
    multipleCompletions: 0,
    outcomeMismatches: 0,
  })
  for (const failure of ledger.failures()) {
    expect(ProducerClosedError.isInstance(failure.error), String(failure.error)).toBe(true)
    expect((failure.error as ProducerClosedError).code).toBe('PRODUCER_CLOSED_FORCEFULLY')
    expect((failure.error as Error).message).toMatch(/^Producer is closed forcefully/)
  }
  expect(await leakedResources(resources, 5_000)).toEqual([])
  expect(unhandled).toEqual([])
}, 180_000)

it('R17: batches over the topic’s max.message.bytes (64 KiB) are split and resent; the one 70 KiB record fails alone with MESSAGE_TOO_LARGE; the rest are acked and read once, in order', async () => {
  const cluster = kafkaSingleNode()
  const topic = uniqueTopic('r17')
  await createTopic(cluster, { topic, partitions: 2, configs: { 'max.message.bytes': '65536' } })
  const p = producer({ batchSize: 1_048_576, lingerMs: 50, compressionType: 'lz4' })
  let splitEvents = 0
  p.events$.subscribe((event) => {
    if (event.type === 'batch-split') splitEvents++
  })
  await p.partitionsFor(topic)
  const ledger = new DeliveryLedger({ runId: 'r17' })
  const send = (key: string, valueBytes: number, incompressible: boolean) => {
    const record = ledger.next({ topic, key, valueBytes })
    // the oracle reads the value up to its fourth '|'; what follows is free padding
    if (incompressible) randomFillSync(record.value, record.value.indexOf(0x2e))
    sendRecorded(p, ledger, record)
    return record.id
  }
  let bigId = -1
  for (let burst = 0; burst < 5; burst++) {
    // 400 records of 1 KiB, every other one random: ~200 KiB of lz4 output per burst, far over 64 KiB
    for (let i = 0; i < 400; i++) {
      send(`k${i % 4}`, 1_024, i % 2 === 1)
      if (burst === 2 && i === 200) bigId = send('big', 70 * 1_024, true)
    }
    await sleep(200)
  }
  await p.flush()
  await ledger.whenCompleted(120_000)
  const splits = p.metrics()['batch-split-total'] ?? 0
  const result = await report(cluster, ledger, topic)
  tableRow({
    id: 'R17',
    scenario:
      'max.message.bytes 64 KiB, batch.size 1 MiB, linger 50 ms, lz4, alternating compressible/random 1 KiB values, one 70 KiB random record',
    broker: 'kafka 1 node',
    mode: 'idempotent',
    report: result,
    note: `${splits} batch splits; the 70 KiB record failed alone with ${String(ledger.failures()[0]?.error)}`,
  })
  expect(splits, 'batch-split-total').toBeGreaterThan(0)
  expect(splitEvents, 'batch-split events').toBe(splits)
  const failures = ledger.failures()
  expect(failures.map((f) => f.id)).toEqual([bigId])
  // The broker's refusal reaches the record as the broker's error (Java maps it to RecordTooLargeException;
  // @x keeps RecordTooLargeError for the client-side size check, sharing its code MESSAGE_TOO_LARGE).
  const error = failures[0]!.error
  expect(ApiError.isInstance(error), String(error)).toBe(true)
  expect(RecordTooLargeError.isInstance(error)).toBe(false)
  expect((error as ApiError).code).toBe('MESSAGE_TOO_LARGE')
  expect((error as ApiError).retriable).toBe(false)
  expect((error as Error).message).toContain("the topic's max.message.bytes")
  expect(result.counts).toMatchObject({
    sent: 2_001,
    acked: 2_000,
    failed: 1,
    read: 2_000,
    lost: 0,
    unseen: 0,
    duplicated: 0,
    reordered: 0,
    abortedRead: 0,
  })
  expect(result.violations).toEqual([])
}, 300_000)
