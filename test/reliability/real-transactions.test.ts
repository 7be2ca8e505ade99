// A broker killed during a transaction (checklist R13 (a), simplified: the producer alone, no copier), on the
// real 3-node cluster: 8 transactions of 1,500 oracle records over 6 partitions; during the third, the
// leader of partition 0 is SIGKILLed and restarted 4 s later. Each transaction either commits or — if the
// producer reports an abortable error — is aborted and marked in the ledger. Read back read_committed by
// the Java consumer and kcat: every committed record exactly once, in order, no aborted record visible.
import { createTopic, leaderOf } from '@x/kafka-harness'
import { kafkaCluster, uniqueTopic } from '@x/kafka-harness/vitest'
import { DeliveryChecker, DeliveryLedger } from '@x/testkit'
import { afterEach, expect, it } from 'vitest'
import { type OracleProducer, oracleProducer, sendMany, sleep, tableRow } from './support/oracle-producer.js'
import { readBothInto } from './support/real-readers.js'

const producers: OracleProducer[] = []
afterEach(async () => {
  for (const producer of producers.splice(0)) await producer.close({ timeoutMs: 0 })
  await kafkaCluster().ensureHealthy()
})

it('R13a: a partition leader SIGKILLed mid-transaction — committed records once, aborted ones invisible to read_committed', async () => {
  const cluster = kafkaCluster()
  const topic = uniqueTopic('txn-kill')
  await createTopic(cluster, {
    topic,
    partitions: 6,
    replicationFactor: 3,
    configs: { 'min.insync.replicas': '2' },
  })
  const producer = oracleProducer('idempotent', {
    bootstrapServers: cluster.bootstrapServers,
    transactionalId: `${topic}-tx`,
    lingerMs: 5,
  })
  producers.push(producer)
  await producer.initTransactions()
  const victim = await leaderOf(cluster, topic, 0)
  const ledger = new DeliveryLedger({ runId: 'r13a' })
  const outcomes: string[] = []
  let killing: Promise<void> | undefined
  for (let txn = 0; txn < 8; txn++) {
    producer.beginTransaction()
    const ids: number[] = []
    for (let chunk = 0; chunk < 5; chunk++) {
      ids.push(...(await sendMany(producer, ledger, { topic, count: 300, keys: 12 })))
      if (txn === 2 && chunk === 2) {
        killing = (async () => {
          await cluster.kill(victim)
          await sleep(4_000)
          await cluster.restart(victim)
        })()
      }
      await sleep(50)
    }
    try {
      await producer.commitTransaction()
      outcomes.push('commit')
    } catch (error) {
      outcomes.push(`abort (${(error as { code?: string }).code})`)
      await producer.abortTransaction()
      ledger.markAborted(ids)
    }
  }
  await killing
  await ledger.whenCompleted()
  await cluster.ensureHealthy()
  const checker = new DeliveryChecker(ledger)
  await readBothInto(checker, cluster, topic, { isolationLevel: 'read_committed' })
  const report = checker.report({ idempotent: true })
  const aborted = outcomes.filter((o) => o !== 'commit').length
  tableRow({
    id: 'R13a',
    scenario: `leader (node ${victim}) SIGKILLed in transaction 3 of 8 × 1500; ${outcomes.join(', ')}`,
    broker: 'kafka 3 nodes',
    mode: 'idempotent',
    report,
    note: 'transactional, read_committed',
  })
  expect(outcomes.filter((o) => o === 'commit').length).toBeGreaterThanOrEqual(7)
  expect(report.counts).toMatchObject({
    duplicated: 0,
    reordered: 0,
    abortedRead: 0,
    inconsistent: 0,
    uncompleted: 0,
  })
  // acked records of aborted transactions are not read under read_committed; every other acked one is
  expect(report.counts.read).toBe(report.counts.acked - aborted * 1_500)
}, 600_000)
