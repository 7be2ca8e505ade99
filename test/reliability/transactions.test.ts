// Transactions and idempotence-only faults on the embedded cluster: the oracle with aborted transactions
// marked in the ledger (reading them is an aborted read, G1a), the read_uncommitted negative control that
// must see them, B13's transactional misuse, B11's cluster authorization failure and fencing (F13).
import { IllegalStateError, ProducerFencedError } from '@x/producer'
import { DeliveryChecker, DeliveryLedger, readEmbeddedTopic } from '@x/testkit'
import { describe, expect, it } from 'vitest'
import { useEmbeddedCluster } from './support/embedded-fixture.js'
import { sendMany, tableRow } from './support/oracle-producer.js'

const fixture = useEmbeddedCluster()

describe('transactional producer on the embedded cluster', () => {
  it('committed transactions are read once, aborted ones never under read_committed (and the read_uncommitted control sees them)', async () => {
    const cluster = await fixture.start()
    cluster.createTopic({ name: 'txn', partitions: 3, replicationFactor: 3 })
    const producer = fixture.producer('idempotent', { transactionalId: 'txn-oracle', lingerMs: 5 })
    await producer.initTransactions()
    const ledger = new DeliveryLedger({ runId: 'txn' })
    for (let txn = 0; txn < 6; txn++) {
      producer.beginTransaction()
      const ids = await sendMany(producer, ledger, { topic: 'txn', count: 200, keys: 6 })
      await producer.flush()
      if (txn % 3 === 2) {
        await producer.abortTransaction()
        ledger.markAborted(ids)
      } else {
        await producer.commitTransaction()
      }
    }
    await ledger.whenCompleted()
    const committed = new DeliveryChecker(ledger)
      .read('cluster', readEmbeddedTopic(cluster, 'txn', { isolation: 'read_committed' }))
      .report({ idempotent: true })
    tableRow({
      id: 'T1',
      scenario: '6 transactions × 200, every third aborted, read_committed',
      broker: 'embedded',
      mode: 'idempotent',
      report: committed,
    })
    expect(committed.counts).toMatchObject({
      acked: 1200,
      read: 800,
      abortedRead: 0,
      duplicated: 0,
      reordered: 0,
    })
    // the acked records of aborted transactions are "lost" to a read_committed reader: that is the point
    expect(committed.violations.filter((v) => !v.startsWith('lost') && !v.startsWith('unseen'))).toEqual([])
    expect(committed.counts.lost + committed.counts.unseen).toBe(400)
    const uncommitted = new DeliveryChecker(ledger)
      .read('cluster', readEmbeddedTopic(cluster, 'txn', { isolation: 'read_uncommitted' }))
      .report({ idempotent: true })
    expect(uncommitted.counts.abortedRead).toBe(400) // the negative control sees the aborted records
  })

  it('B13: a transactional send before beginTransaction, and a commit without one, throw IllegalStateError', async () => {
    const cluster = await fixture.start()
    cluster.createTopic({ name: 'txn', partitions: 1, replicationFactor: 3 })
    const producer = fixture.producer('idempotent', { transactionalId: 'txn-misuse' })
    await producer.initTransactions()
    expect(() => producer.send({ topic: 'txn', value: new Uint8Array(1) })).toThrow(IllegalStateError)
    await expect(producer.commitTransaction()).rejects.toSatisfy(IllegalStateError.isInstance)
    expect(cluster.records('txn', 0)).toEqual([])
  })

  it('F13: an older producer with the same transactional id is fenced: its next operation fails with ProducerFencedError', async () => {
    const cluster = await fixture.start()
    cluster.createTopic({ name: 'txn', partitions: 1, replicationFactor: 3 })
    const older = fixture.producer('idempotent', { transactionalId: 'txn-fence' })
    await older.initTransactions()
    older.beginTransaction()
    const newer = fixture.producer('idempotent', { transactionalId: 'txn-fence' })
    await newer.initTransactions()
    const ledger = new DeliveryLedger({ runId: 'fence' })
    await sendMany(older, ledger, { topic: 'txn', count: 5, keys: 1 })
    await expect(older.commitTransaction()).rejects.toSatisfy(ProducerFencedError.isInstance)
    await older.close()
    expect(cluster.records('txn', 0, { isolation: 'read_committed' })).toEqual([])
  })

  it('B11: CLUSTER_AUTHORIZATION_FAILED on InitProducerId is fatal: every send fails with it, close still resolves', async () => {
    const cluster = await fixture.start()
    cluster.createTopic({ name: 'idem', partitions: 2, replicationFactor: 3 })
    cluster.faults.injectError({
      api: 'InitProducerId',
      error: 'CLUSTER_AUTHORIZATION_FAILED',
      count: Number.POSITIVE_INFINITY,
    })
    const producer = fixture.producer('idempotent', { maxBlockMs: 2_000 })
    const ledger = new DeliveryLedger({ runId: 'b11' })
    await sendMany(producer, ledger, { topic: 'idem', count: 20, keys: 2 })
    await ledger.whenCompleted(10_000)
    const failures = ledger.failures()
    expect(failures).toHaveLength(20)
    for (const failure of failures)
      expect((failure.error as { code?: string }).code).toBe('CLUSTER_AUTHORIZATION_FAILED')
    const later = ledger.next({ topic: 'idem', key: 'later' })
    await expect(
      (async () => {
        await producer.send(later)
      })(),
    ).rejects.toMatchObject({ code: 'CLUSTER_AUTHORIZATION_FAILED' })
    await producer.close({ timeoutMs: 5_000 })
    expect(cluster.records('idem', 0)).toEqual([])
  })
})
