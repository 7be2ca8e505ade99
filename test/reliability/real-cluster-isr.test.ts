// Checklist §5.1 on the harness's real 3-node KRaft cluster (every node a combined broker+controller, RF 3,
// min.insync.replicas 2 — the harness's default for 3 nodes, set again on each topic):
// R8 two of three nodes SIGKILLed mid-stream (ISR < min ISR; with combined nodes the KRaft quorum goes too,
// so the survivor can neither shrink the ISR nor answer acks=all): no record may be acknowledged until a
// node is back, every send is retried and succeeds within delivery.timeout.ms, and every acked record
// survives a later single-node kill.
// R9 the broker expiring the idempotent producer while it idles (KIP-360). `producer.id.expiration.check.
// interval.ms` is static (10 min by default, not lowered by the harness) and the 4.x line's jars hold no
// ConfigCommand, so the shared cluster cannot expire a producer within a test; R9 starts its own node with
// a 5 s expiry checked every second. (The checklist's DeleteRecords variant does not apply to Kafka 4.x:
// deleting up to the high watermark leaves the producer's state on the broker.)
// R7 partition reassignment (ReassignPartitionsCommand rotating each replica list) and a preferred-leader
// election (LeaderElectionCommand) mid-stream. Records are the delivery oracle's (sequence-numbered per key), read back by the
// Java consumer and kcat, which must agree.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTopic, KafkaCluster, leaderOf, runJavaTool } from '@x/kafka-harness'
import { kafkaCluster, uniqueTopic } from '@x/kafka-harness/vitest'
import { DeliveryChecker, DeliveryLedger, type DeliveryReport } from '@x/testkit'
import { afterEach, describe, expect, it } from 'vitest'
import { type OracleProducer, oracleProducer, sendMany, sleep, tableRow } from './support/oracle-producer.js'
import { readBothInto } from './support/real-readers.js'
import { steadyLoad } from './support/steady-load.js'

const producers: OracleProducer[] = []
const nodes: KafkaCluster[] = [] // started by a test for broker configs the shared cluster cannot take
afterEach(async () => {
  for (const producer of producers.splice(0)) await producer.close({ timeoutMs: 0 })
  for (const node of nodes.splice(0)) node.stop()
  await kafkaCluster().ensureHealthy()
})

/** Nothing failed, and every one of `records` was acked and read once, in order, with no oracle violation. */
function expectEveryRecordOnce(ledger: DeliveryLedger, report: DeliveryReport, records: number): void {
  expect(ledger.failures().map((f) => String(f.error))).toEqual([])
  expect(report.counts).toMatchObject({
    sent: records,
    acked: records,
    lost: 0,
    unseen: 0,
    duplicated: 0,
    reordered: 0,
    inconsistent: 0,
  })
  expect(report.violations).toEqual([])
}

async function isrTopic(cluster: KafkaCluster, name: string, partitions: number): Promise<string> {
  const topic = uniqueTopic(name)
  await createTopic(cluster, {
    topic,
    partitions,
    replicationFactor: 3,
    configs: { 'min.insync.replicas': '2', 'unclean.leader.election.enable': 'false' },
  })
  return topic
}

function idempotentProducer(
  cluster: KafkaCluster,
  options: Parameters<typeof oracleProducer>[1] = {},
): OracleProducer {
  const producer = oracleProducer('idempotent', { bootstrapServers: cluster.bootstrapServers, ...options })
  producers.push(producer)
  return producer
}

/** Retries counted by the error's code (NOT_ENOUGH_REPLICAS, REQUEST_TIMED_OUT, a connection error...). */
function retryCounter(producer: OracleProducer): Map<string, number> {
  const byCode = new Map<string, number>()
  producer.events$.subscribe((event) => {
    if (event.type !== 'batch-retried') return
    const error = event.error as { code?: unknown; name?: string }
    const code = typeof error.code === 'string' ? error.code : (error.name ?? 'Error')
    byCode.set(code, (byCode.get(code) ?? 0) + 1)
  })
  return byCode
}

const describeCounts = (counts: Map<string, number>) =>
  [...counts].map(([code, n]) => `${n} ${code}`).join(', ') || 'none'

async function readBack(
  cluster: KafkaCluster,
  ledger: DeliveryLedger,
  topic: string,
): Promise<DeliveryReport> {
  const checker = new DeliveryChecker(ledger)
  await readBothInto(checker, cluster, topic)
  return checker.report({ idempotent: true })
}

/** Kafka's TransactionsCommand `describe-producers`: the producer ids the partition leader holds state for. */
async function describeProducers(cluster: KafkaCluster, topic: string, partition: number): Promise<string[]> {
  const run = await runJavaTool(
    cluster.tools,
    'org.apache.kafka.tools.TransactionsCommand',
    [
      '--bootstrap-server',
      cluster.bootstrapServers,
      'describe-producers',
      '--topic',
      topic,
      '--partition',
      String(partition),
    ],
    { timeoutMs: 60_000 },
  )
  const out = run.stdout.toString('utf8')
  if (run.status !== 0) throw new Error(`describe-producers failed (exit ${run.status}): ${out}${run.stderr}`)
  // a header line (ProducerId ProducerEpoch ...) then one row per producer, its id first
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((first) => /^\d+$/.test(first))
}

/** Runs one of Kafka's admin tools with a JSON file argument; returns its stdout, failing on a non-zero exit. */
async function toolWithJson(
  cluster: KafkaCluster,
  mainClass: string,
  json: unknown,
  args: (file: string) => string[],
): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'r7-tool-'))
  const file = join(dir, 'input.json')
  writeFileSync(file, JSON.stringify(json))
  try {
    const run = await runJavaTool(
      cluster.tools,
      mainClass,
      ['--bootstrap-server', cluster.bootstrapServers, ...args(file)],
      { timeoutMs: 60_000 },
    )
    const out = run.stdout.toString('utf8')
    if (run.status !== 0) throw new Error(`${mainClass} failed (exit ${run.status}): ${out}${run.stderr}`)
    return out
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

describe('min ISR and producer-state loss on the real 3-node cluster', () => {
  it('R8: with 2 of 3 nodes SIGKILLed nothing is acked; sends are retried and all succeed after a restart, once each and in order; acked records survive a later single-node kill', async () => {
    const cluster = kafkaCluster()
    const topic = await isrTopic(cluster, 'r8', 6)
    const deliveryTimeoutMs = 120_000
    const producer = idempotentProducer(cluster, { deliveryTimeoutMs, requestTimeoutMs: 10_000 })
    await producer.partitionsFor(topic)
    const retries = retryCounter(producer)
    const ledger = new DeliveryLedger({ runId: 'r8' })
    const records = 40_000
    const load = steadyLoad([{ producer, ledger, topic }], { records, perSecond: 1_000 })
    await load.reached(5_000)

    const p0Leader = await leaderOf(cluster, topic, 0)
    const victims = [p0Leader, ...cluster.nodeIds().filter((id) => id !== p0Leader)].slice(0, 2)
    const survivor = cluster.nodeIds().find((id) => !victims.includes(id))!
    await Promise.all(victims.map((id) => cluster.kill(id)))
    const downAt = Date.now()
    await sleep(18_000)
    const restartAt = Date.now()
    await cluster.restart(victims[0]!)
    const firstBackAt = Date.now()
    await load.done
    await producer.flush()
    await ledger.whenCompleted(deliveryTimeoutMs + 30_000)
    await cluster.ensureHealthy()

    // Every ack's time against the outage. A response the leader wrote just before its kill may arrive a
    // moment later, hence the grace after `downAt`; acks may resume as soon as the restart begins.
    const graceMs = 5_000
    let ackedWhileDown = 0
    let ackedBeforeKill = 0
    let ackedAfterRestart = 0
    for (let id = 0; id < ledger.size; id++) {
      if (ledger.outcome(id).state !== 'ok') continue
      const at = ledger.completedAt[id]!
      if (at > downAt + graceMs && at < restartAt) ackedWhileDown++
      else if (at <= downAt + graceMs) ackedBeforeKill++
      else ackedAfterRestart++
    }

    // durability of the acks: one node down, both readers must still find every acked record
    const reread = await leaderOf(cluster, topic, 0)
    await cluster.kill(reread)
    await cluster.waitUntil(30_000, `leaders moved off node ${reread}`, async () => {
      const partitions = (await cluster.metadata([topic])).topics[0]!.partitions
      return partitions.every((p) => p.leader >= 0 && p.leader !== reread)
    })
    const report = await readBack(cluster, ledger, topic)
    await cluster.restart(reread)
    await cluster.ensureHealthy()

    tableRow({
      id: 'R8',
      scenario: `SIGKILL nodes ${victims.join('+')} of 3 (survivor ${survivor}; quorum lost too) for ${restartAt - downAt} ms at ~1000 rec/s, restart node ${victims[0]} (up after ${firstBackAt - restartAt} ms), then the third; re-read with node ${reread} killed`,
      broker: 'kafka 3 nodes',
      mode: 'idempotent',
      report,
      note: `acks: ${ackedBeforeKill} before kill+${graceMs} ms, ${ackedWhileDown} while 2 nodes down, ${ackedAfterRestart} after restart began; retries: ${describeCounts(retries)}`,
    })
    expect(ackedWhileDown, 'records acknowledged while fewer than 2 replicas were up').toBe(0)
    expect(ackedAfterRestart, 'sends held during the outage succeeded after the restart').toBeGreaterThan(0)
    expect(
      [...retries.values()].reduce((a, b) => a + b, 0),
      'the outage reached the producer',
    ).toBeGreaterThan(0)
    expectEveryRecordOnce(ledger, report, records)
  }, 600_000)

  it('R9: the broker expires the idempotent producer while it idles: the producer goes on without a fatal error and every record before and after is acked and read once, in order', async () => {
    // producer.id.expiration.check.interval.ms is static (default 10 min), so the shared cluster cannot
    // expire a producer within a test: this scenario gets its own node with a 1 s check and a 5 s expiry.
    const node = await KafkaCluster.start({
      nodes: 1,
      name: 'r9-producer-id-expiry',
      reapWithOwner: true,
      brokerConfig: {
        'producer.id.expiration.ms': '5000',
        'producer.id.expiration.check.interval.ms': '1000',
      },
    })
    nodes.push(node)
    const partitions = 3
    const topic = uniqueTopic('r9')
    await createTopic(node, { topic, partitions, replicationFactor: 1 })
    const producer = idempotentProducer(node, { lingerMs: 5 })
    await producer.partitionsFor(topic)
    const retries = retryCounter(producer)
    const states = new Map<string, number>() // "pid/epoch" of every completed batch, with its batch count
    const failed: string[] = []
    producer.events$.subscribe((event) => {
      if (event.type === 'batch-completed') {
        const state = `${event.batch.producerId}/${event.batch.producerEpoch}`
        states.set(state, (states.get(state) ?? 0) + 1)
      } else if (event.type === 'batch-failed' || event.type === 'batch-expired') {
        failed.push(String(event.error))
      }
    })

    const ledger = new DeliveryLedger({ runId: 'r9' })
    const send = () =>
      sendMany(producer, ledger, { topic, count: 3_000, keys: 6, valueBytes: 100, yieldEvery: 200 })
    await send()
    await producer.flush()
    await ledger.whenCompleted(60_000)
    const statesBefore = [...states.keys()]
    const pid = statesBefore[0]?.split('/')[0]
    const knownBefore = await describeProducers(node, topic, 0)

    const idleFrom = Date.now()
    await node.waitUntil(60_000, 'the broker expired the producer', async () => {
      return (await describeProducers(node, topic, 0)).length === 0
    })
    const idleMs = Date.now() - idleFrom

    // same producer, same epoch, sequences going on from where they were: the broker no longer knows them
    await send()
    await producer.flush()
    await ledger.whenCompleted(60_000)
    const knownAfter = await describeProducers(node, topic, 0)
    const report = await readBack(node, ledger, topic)

    const statesAfter = [...states.keys()].filter((s) => !statesBefore.includes(s))
    tableRow({
      id: 'R9',
      scenario: `3000 idempotent records to ${partitions} partitions, idle until the broker expired the producer (producer.id.expiration.ms 5000, check every 1 s; own 1-node broker), 3000 more from the same producer`,
      broker: 'kafka 1 node',
      mode: 'idempotent',
      report,
      note: `expired after ${idleMs} ms idle; describe-producers p0: [${knownBefore}] before, [] after expiry, [${knownAfter}] after resuming; pid/epoch ${statesBefore.join(',')}, new afterwards: ${statesAfter.join(',') || 'none'}; retries: ${describeCounts(retries)}`,
    })
    expect(statesBefore).toHaveLength(1)
    expect(knownBefore, 'the broker held the producer before the idle period').toEqual([pid])
    expect(failed).toEqual([])
    expectEveryRecordOnce(ledger, report, 6_000)
  }, 300_000)

  it('R7: a partition reassignment (replica order rotated) and a preferred-leader election mid-stream move every leader; nothing lost, duplicated or reordered', async () => {
    const cluster = kafkaCluster()
    const partitionCount = 6
    const topic = await isrTopic(cluster, 'r7', partitionCount)
    const producer = idempotentProducer(cluster)
    await producer.partitionsFor(topic)
    const retries = retryCounter(producer)
    const ledger = new DeliveryLedger({ runId: 'r7' })
    const records = 30_000
    const load = steadyLoad([{ producer, ledger, topic }], { records, perSecond: 1_000 })
    await load.reached(5_000)

    const before = (await cluster.metadata([topic])).topics[0]!.partitions
    const rotated = before.map((p) => ({
      partition: p.partition,
      replicas: [...p.replicas.slice(1), p.replicas[0]!],
    }))
    const reassignment = {
      version: 1,
      partitions: rotated.map((p) => ({ topic, partition: p.partition, replicas: p.replicas })),
    }
    const reassign = 'org.apache.kafka.tools.reassign.ReassignPartitionsCommand'
    await toolWithJson(cluster, reassign, reassignment, (file) => [
      '--reassignment-json-file',
      file,
      '--execute',
    ])
    await cluster.waitUntil(60_000, 'the reassignment completed', async () => {
      const out = await toolWithJson(cluster, reassign, reassignment, (file) => [
        '--reassignment-json-file',
        file,
        '--verify',
      ])
      return !/in progress|failed/i.test(out)
    })
    // the new first replica is the preferred leader; the broker's balancer would elect it within 5 s too
    await toolWithJson(
      cluster,
      'org.apache.kafka.tools.LeaderElectionCommand',
      { partitions: rotated.map((p) => ({ topic, partition: p.partition })) },
      (file) => ['--election-type', 'PREFERRED', '--path-to-json-file', file],
    )
    await cluster.waitUntil(60_000, 'every partition led by its new preferred replica', async () => {
      const now = (await cluster.metadata([topic])).topics[0]!.partitions
      return now.every((p) => p.leader === rotated.find((r) => r.partition === p.partition)!.replicas[0])
    })
    const movedAt = load.sent
    await load.done
    await producer.flush()
    await ledger.whenCompleted(120_000)
    const report = await readBack(cluster, ledger, topic)
    tableRow({
      id: 'R7',
      scenario: `6 partitions at ~1000 rec/s: ReassignPartitionsCommand rotating each replica list, then LeaderElectionCommand PREFERRED; every leader moved (done after ${movedAt} records)`,
      broker: 'kafka 3 nodes',
      mode: 'idempotent',
      report,
      note: `leaders ${before.map((p) => p.leader).join(',')} -> ${rotated.map((p) => p.replicas[0]).join(',')}; retries: ${describeCounts(retries)}`,
    })
    expectEveryRecordOnce(ledger, report, records)
  }, 300_000)
})
