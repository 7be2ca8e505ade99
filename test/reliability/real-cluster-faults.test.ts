// Checklist §5.1 on the harness's real 3-node KRaft cluster (RF 3, min.insync.replicas 2, 6 partitions):
// R2 SIGKILL of a partition leader and restart, R3 clean bounces (SIGTERM: controlled shutdown) of a leader
// and then of every node in turn, R4 SIGSTOP/SIGCONT of a leader (request timeout < pause <
// delivery timeout), R5 every broker down for longer than delivery.timeout.ms. Each scenario drives two
// producers through the same fault at once — idempotent (Kafka 4's defaults) on one topic, plain
// (idempotence off, acks=all) on another as the negative control — with steady, sequence-numbered oracle
// records, read back by the Java consumer and kcat, which must agree.
import { createTopic, type KafkaCluster, leaderOf } from '@x/kafka-harness'
import { kafkaCluster, uniqueTopic } from '@x/kafka-harness/vitest'
import { TimeoutError } from '@x/producer'
import { DeliveryChecker, DeliveryLedger, type DeliveryPolicy, type DeliveryReport } from '@x/testkit'
import { afterEach, describe, expect, it } from 'vitest'
import {
  type OracleProducer,
  oracleProducer,
  type ProducerMode,
  sleep,
  tableRow,
} from './support/oracle-producer.js'
import { readBothInto } from './support/real-readers.js'
import { type Lane, steadyLoad } from './support/steady-load.js'

const producers: OracleProducer[] = []
afterEach(async () => {
  for (const producer of producers.splice(0)) await producer.close({ timeoutMs: 0 })
  await kafkaCluster().ensureHealthy()
})

interface ModeLane extends Lane {
  readonly mode: ProducerMode
  retries: number
}

async function lanes(
  cluster: KafkaCluster,
  name: string,
  options: Parameters<typeof oracleProducer>[1] = {},
): Promise<ModeLane[]> {
  const result: ModeLane[] = []
  for (const mode of ['idempotent', 'plain'] as const) {
    const topic = uniqueTopic(`${name}-${mode}`)
    await createTopic(cluster, {
      topic,
      partitions: 6,
      replicationFactor: 3,
      configs: { 'min.insync.replicas': '2', 'unclean.leader.election.enable': 'false' },
    })
    const producer = oracleProducer(mode, { bootstrapServers: cluster.bootstrapServers, ...options })
    producers.push(producer)
    await producer.partitionsFor(topic)
    const lane: ModeLane = {
      mode,
      topic,
      producer,
      ledger: new DeliveryLedger({ runId: `${name}-${mode}` }),
      retries: 0,
    }
    producer.events$.subscribe((event) => {
      if (event.type === 'batch-retried') lane.retries++
    })
    result.push(lane)
  }
  return result
}

async function check(
  cluster: KafkaCluster,
  lane: ModeLane,
  policy: Partial<DeliveryPolicy> = {},
): Promise<DeliveryReport> {
  const checker = new DeliveryChecker(lane.ledger)
  await readBothInto(checker, cluster, lane.topic)
  return checker.report({ idempotent: lane.mode === 'idempotent', ...policy })
}

/**
 * After a fault: flushes every lane, waits until each record settled and the cluster healed, reads each topic
 * back and prints its reliability row. `note` describes a lane beyond its counts.
 */
async function settleAndReport(
  cluster: KafkaCluster,
  all: ModeLane[],
  row: { id: string; scenario: string; note: (lane: ModeLane) => string },
): Promise<Map<ModeLane, DeliveryReport>> {
  for (const lane of all) {
    await lane.producer.flush()
    await lane.ledger.whenCompleted(120_000)
  }
  await cluster.ensureHealthy()
  const reports = new Map<ModeLane, DeliveryReport>()
  for (const lane of all) {
    const report = await check(cluster, lane)
    reports.set(lane, report)
    tableRow({
      id: row.id,
      scenario: row.scenario,
      broker: 'kafka 3 nodes',
      mode: lane.mode,
      report,
      note: row.note(lane),
    })
  }
  return reports
}

describe('faults on the real 3-node cluster', () => {
  it('R2: SIGKILL of a partition leader mid-stream, then restart: nothing lost; idempotent: no duplicate, no reordering', async () => {
    const cluster = kafkaCluster()
    const all = await lanes(cluster, 'r2')
    const victim = await leaderOf(cluster, all[0]!.topic, 0)
    const load = steadyLoad(all, { records: 20_000, perSecond: 2_000 })
    await load.reached(6_000)
    await cluster.kill(victim)
    await sleep(4_000)
    await cluster.restart(victim)
    await load.done
    const reports = await settleAndReport(cluster, all, {
      id: 'R2',
      scenario: `SIGKILL leader (node ${victim}) of p0 mid-stream, restart after 4 s`,
      note: (lane) => `${lane.retries} batch retries`,
    })
    for (const [lane, report] of reports) {
      expect(lane.retries, `${lane.mode}: the fault reached the producer`).toBeGreaterThan(0)
      expect(report.counts).toMatchObject({
        sent: 20_000,
        acked: 20_000,
        lost: 0,
        unseen: 0,
        inconsistent: 0,
      })
      expect(report.violations).toEqual([])
    }
  }, 600_000)

  it('R3: clean bounce (SIGTERM, controlled shutdown) of a leader, then a rolling restart of all 3 nodes: nothing lost; idempotent: no duplicate, no reordering', async () => {
    const cluster = kafkaCluster()
    const all = await lanes(cluster, 'r3')
    const topic = all[0]!.topic
    const victim = await leaderOf(cluster, topic, 0)
    const load = steadyLoad(all, { records: 120_000, perSecond: 1_500 })
    await load.reached(6_000)
    // Controlled shutdown moves the node's leaderships away before it exits.
    await cluster.kill(victim, 'SIGTERM')
    const leaderWhileDown = await leaderOf(cluster, topic, 0)
    await sleep(2_000)
    await cluster.restart(victim)
    await cluster.ensureHealthy()
    for (const nodeId of cluster.nodeIds()) {
      await cluster.kill(nodeId, 'SIGTERM')
      await cluster.restart(nodeId)
      await cluster.ensureHealthy()
    }
    const sentDuringFaults = load.sent
    await load.done
    const reports = await settleAndReport(cluster, all, {
      id: 'R3',
      scenario: `SIGTERM leader (node ${victim}) of p0, restart; then SIGTERM + restart of each of the 3 nodes in turn`,
      note: (lane) => `${lane.retries} batch retries; ${sentDuringFaults} records sent while the bounces ran`,
    })
    expect(leaderWhileDown, 'leadership of p0 moved off the stopped node').not.toBe(victim)
    for (const [lane, report] of reports) {
      expect(lane.retries, `${lane.mode}: the bounces reached the producer`).toBeGreaterThan(0)
      expect(report.counts).toMatchObject({
        sent: 120_000,
        acked: 120_000,
        lost: 0,
        unseen: 0,
        inconsistent: 0,
      })
      expect(report.violations).toEqual([])
    }
  }, 900_000)

  it('R4: SIGSTOP of a leader for 8 s (request timeout 5 s < pause < delivery timeout), then SIGCONT', async () => {
    const cluster = kafkaCluster()
    const all = await lanes(cluster, 'r4', { requestTimeoutMs: 5_000, deliveryTimeoutMs: 60_000 })
    const victim = await leaderOf(cluster, all[0]!.topic, 0)
    const load = steadyLoad(all, { records: 24_000, perSecond: 2_000 })
    await load.reached(6_000)
    await cluster.pause(victim)
    await sleep(8_000)
    await cluster.resume(victim)
    await load.done
    const reports = await settleAndReport(cluster, all, {
      id: 'R4',
      scenario: `SIGSTOP leader (node ${victim}) of p0 for 8 s, request.timeout.ms 5 s`,
      note: (lane) => `${lane.retries} batch retries`,
    })
    for (const [lane, report] of reports) {
      // the control shows the fault arrived: requests timed out and were retried
      expect(lane.retries, `${lane.mode}: requests to the stalled broker were retried`).toBeGreaterThan(0)
      expect(report.counts).toMatchObject({
        sent: 24_000,
        acked: 24_000,
        lost: 0,
        unseen: 0,
        inconsistent: 0,
      })
      expect(report.violations).toEqual([])
    }
  }, 600_000)

  it('R5: every broker down longer than delivery.timeout.ms: pending sends fail with a timeout in time, none hangs, the producer recovers', async () => {
    const cluster = kafkaCluster()
    const deliveryTimeoutMs = 10_000
    const all = await lanes(cluster, 'r5', { deliveryTimeoutMs, requestTimeoutMs: 5_000, lingerMs: 5 })
    const load = steadyLoad(all, { records: 8_000, perSecond: 1_000 })
    await load.reached(2_000)
    await Promise.all(cluster.nodeIds().map((id) => cluster.kill(id)))
    const downAt = Date.now()
    await load.done // 6 s of records sent into a dead cluster
    for (const lane of all) await lane.ledger.whenCompleted(deliveryTimeoutMs + 15_000)
    const allFailedWithin = Date.now() - downAt
    await sleep(Math.max(0, deliveryTimeoutMs + 5_000 - (Date.now() - downAt))) // down for > delivery timeout
    await cluster.ensureHealthy()
    const recovery = all.map((lane) => {
      const before = lane.ledger.size
      return { lane, before }
    })
    const after = steadyLoad(all, { records: 2_000, perSecond: 1_000 })
    await after.done
    for (const lane of all) {
      await lane.producer.flush()
      await lane.ledger.whenCompleted(120_000)
    }
    const reports = new Map<ModeLane, DeliveryReport>()
    for (const { lane } of recovery) {
      const report = await check(cluster, lane, { deliveryTimeoutMs, epsilonMs: 3_000 })
      reports.set(lane, report)
      tableRow({
        id: 'R5',
        scenario: `all 3 brokers SIGKILLed for > delivery.timeout.ms (${deliveryTimeoutMs} ms), then restarted`,
        broker: 'kafka 3 nodes',
        mode: lane.mode,
        report,
        note: `every pending send completed ${allFailedWithin} ms after the kill`,
      })
    }
    for (const { lane, before } of recovery) {
      const report = reports.get(lane)!
      const failures = lane.ledger.failures()
      expect(failures.length).toBeGreaterThan(0)
      for (const failure of failures) {
        expect(TimeoutError.isInstance(failure.error), String(failure.error)).toBe(true)
        expect(failure.persisted).not.toBe('yes')
      }
      // nothing sent after the restart failed
      for (let id = before; id < lane.ledger.size; id++) expect(lane.ledger.outcome(id).state).toBe('ok')
      expect(report.counts).toMatchObject({
        lost: 0,
        unseen: 0,
        inconsistent: 0,
        lateCompletions: 0,
        uncompleted: 0,
      })
      expect(report.violations).toEqual([])
    }
  }, 600_000)
})
