// KafkaProducer's idempotence and transactions against @x/testkit's embedded cluster (in-memory transport),
// which validates producer ids, sequences and transactions as a Kafka 4 broker does. Errors are injected
// with the cluster's faults; every test ends with the producer closed.
import {
  AbortableTransactionError,
  ProducerFencedError,
  TimeoutError,
  TransactionAbortedError,
} from '@x/sender'
import { EmbeddedKafkaCluster } from '@x/testkit'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { IllegalStateError } from '../errors/illegal-state-error.js'
import { ProducerClosedError } from '../errors/producer-closed-error.js'
import type { ProducerEvent } from '../events/producer-event.js'
import { KafkaProducer } from '../kafka-producer.js'
import type { KafkaProducerOptions } from '../options/java-properties.js'

let cluster: EmbeddedKafkaCluster
const producers: KafkaProducer[] = []

beforeEach(async () => {
  cluster = await EmbeddedKafkaCluster.start({
    brokers: 1,
    listen: false,
    topics: [
      { name: 'orders', partitions: 2 },
      { name: 'input', partitions: 1 },
    ],
  })
})
afterEach(async () => {
  for (const p of producers.splice(0)) await p.close({ timeoutMs: 0 })
  await cluster.stop()
})

type Bytes = Uint8Array | string
function producer(options: KafkaProducerOptions<Bytes, Bytes> = {}): KafkaProducer {
  const p = new KafkaProducer({
    bootstrapServers: cluster.bootstrapServers,
    transport: cluster.transport,
    lingerMs: 0,
    ...options,
  })
  producers.push(p)
  return p
}

const values = (partition: number, isolation: 'read_committed' | 'read_uncommitted' = 'read_committed') =>
  cluster.records('orders', partition, { isolation }).map((record) => new TextDecoder().decode(record.value!))

describe('the idempotent producer (the default)', () => {
  it('gives its batches a producer id and consecutive sequences, with no configuration warning', async () => {
    const p = producer()
    const events: ProducerEvent[] = []
    p.events$.subscribe((event) => events.push(event))
    for (let i = 0; i < 3; i++) await p.send({ topic: 'orders', partition: 0, value: `v${i}` })
    expect(events.filter((event) => event.type === 'config-warning')).toEqual([])
    const batches = cluster.batches('orders', 0)
    expect(batches.map((batch) => batch.baseSequence)).toEqual([0, 1, 2])
    expect(new Set(batches.map((batch) => batch.producerId)).size).toBe(1)
    expect(batches[0]!.producerId).toBeGreaterThanOrEqual(0n)
    expect(cluster.requestLog.entries({ api: 'InitProducerId' })).toHaveLength(1)
  })

  it('writes plain batches with enableIdempotence: false', async () => {
    const p = producer({ enableIdempotence: false })
    await p.send({ topic: 'orders', partition: 0, value: 'v' })
    expect(cluster.batches('orders', 0)[0]!.producerId).toBe(-1n)
    expect(cluster.requestLog.entries({ api: 'InitProducerId' })).toHaveLength(0)
  })

  it('does not duplicate a record whose acknowledgement was lost', async () => {
    const p = producer()
    await p.send({ topic: 'orders', partition: 0, value: 'first' })
    cluster.faults.disconnect({ api: 'Produce', when: 'after-handling' })
    const metadata = await p.send({ topic: 'orders', partition: 0, value: 'once' })
    expect(metadata.offset).toBe(1n)
    expect(values(0)).toEqual(['first', 'once'])
  })

  it('after a fatal error rejects every pending record with it, refuses later sends with it, and still closes', async () => {
    const p = producer()
    await p.send({ topic: 'orders', partition: 0, value: 'ok' })
    cluster.faults.injectError({ api: 'Produce', error: 'CLUSTER_AUTHORIZATION_FAILED' })
    const failed = p.send({ topic: 'orders', partition: 0, value: 'refused' })
    const error = await failed.then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toMatchObject({ code: 'CLUSTER_AUTHORIZATION_FAILED' })
    expect(() => p.send({ topic: 'orders', partition: 1, value: 'later' })).toThrow(error as Error)
    const batch = await p.sendBatch([{ topic: 'orders', partition: 1, value: 'later' }])
    expect(batch).toEqual([{ status: 'rejected', reason: error }])
    await p.close()
  })
})

describe('a transactional producer', () => {
  it('refuses sends before initTransactions() and outside a transaction, synchronously', async () => {
    const onSendError = vi.fn()
    const p = producer({ transactionalId: 'tx', interceptors: [{ onAcknowledgement: onSendError }] })
    expect(() => p.send({ topic: 'orders', value: 'v' })).toThrow(IllegalStateError)
    expect(() => p.send({ topic: 'orders', value: 'v' })).toThrow(/initTransactions/)
    await p.initTransactions()
    expect(() => p.send({ topic: 'orders', value: 'v' })).toThrow(/beginTransaction/)
    expect(onSendError).toHaveBeenCalledTimes(3)
    await expect(p.commitTransaction()).rejects.toThrow(IllegalStateError)
    expect(cluster.records('orders', 0)).toEqual([])
  })

  it('commits: read_committed sees the records once EndTxn went through, including sends that waited for metadata', async () => {
    const p = producer({ transactionalId: 'tx', lingerMs: 1_000 })
    await p.initTransactions()
    p.beginTransaction()
    const sent = [
      p.send({ topic: 'orders', partition: 0, value: 'a' }),
      p.send({ topic: 'orders', partition: 1, value: 'b' }),
      p.send({ topic: 'created-on-demand', value: 'c' }), // waits for metadata
    ]
    await p.commitTransaction()
    expect((await Promise.all(sent)).map((m) => m.offset)).toEqual([0n, 0n, 0n])
    expect(values(0)).toEqual(['a'])
    expect(values(1)).toEqual(['b'])
    expect(cluster.records('created-on-demand', 0, { isolation: 'read_committed' })).toHaveLength(1)
    // Every partition was added to the transaction before the first Produce that carried it.
    const log = cluster.requestLog.entries()
    const addedAt = new Map<string, number>()
    for (const entry of log.filter((e) => e.api === 'AddPartitionsToTxn')) {
      const body = entry.request as { v3AndBelowTopics: { name: string; partitions: number[] }[] }
      for (const topic of body.v3AndBelowTopics)
        for (const partition of topic.partitions) addedAt.set(`${topic.name}-${partition}`, entry.sequence)
    }
    expect([...addedAt.keys()].sort()).toEqual(['created-on-demand-0', 'orders-0', 'orders-1'])
    for (const entry of log.filter((e) => e.api === 'Produce')) {
      const body = entry.request as { topicData: { name: string; partitionData: { index: number }[] }[] }
      for (const topic of body.topicData)
        for (const data of topic.partitionData)
          expect(addedAt.get(`${topic.name}-${data.index}`)).toBeLessThan(entry.sequence)
    }
  })

  it('aborts: written records never reach read_committed, unsent ones reject with TransactionAbortedError', async () => {
    const p = producer({ transactionalId: 'tx' })
    await p.initTransactions()
    p.beginTransaction()
    await p.send({ topic: 'orders', partition: 0, value: 'written' })
    const held = cluster.faults.hold({ api: 'AddPartitionsToTxn', count: 1 })
    const unsent = p.send({ topic: 'orders', partition: 1, value: 'unsent' })
    await held.waitFor(1)
    const aborting = p.abortTransaction()
    held.releaseAll()
    await aborting
    await expect(unsent).rejects.toSatisfy((e: unknown) => TransactionAbortedError.isInstance(e))
    expect(values(0)).toEqual([])
    expect(values(0, 'read_uncommitted')).toEqual(['written'])
    p.beginTransaction()
    await p.send({ topic: 'orders', partition: 1, value: 'next' })
    await p.commitTransaction()
    expect(values(1)).toEqual(['next'])
  })

  it('commits consumed offsets with the transaction', async () => {
    const p = producer({ transactionalId: 'copier' })
    await p.initTransactions()
    p.beginTransaction()
    await p.send({ topic: 'orders', partition: 0, value: 'copied' })
    await p.sendOffsetsToTransaction([{ topic: 'input', partition: 0, offset: 17n }], {
      groupId: 'copy-group',
    })
    expect(cluster.committedOffsets('copy-group').size).toBe(0)
    await p.commitTransaction()
    expect(Object.fromEntries(cluster.committedOffsets('copy-group'))).toEqual({ 'input-0': 17n })
  })

  it('rejects the commit after a failed record with the error; abortTransaction() recovers', async () => {
    const p = producer({ transactionalId: 'tx' })
    await p.initTransactions()
    p.beginTransaction()
    cluster.faults.injectError({ api: 'Produce', topic: 'orders', partition: 0, error: 'INVALID_RECORD' })
    await expect(p.send({ topic: 'orders', partition: 0, value: 'bad' })).rejects.toMatchObject({
      code: 'INVALID_RECORD',
    })
    await expect(p.commitTransaction()).rejects.toSatisfy((e: unknown) =>
      AbortableTransactionError.isInstance(e),
    )
    expect(() => p.send({ topic: 'orders', partition: 1, value: 'x' })).toThrow(AbortableTransactionError)
    await p.abortTransaction()
    p.beginTransaction()
    await p.send({ topic: 'orders', partition: 1, value: 'recovered' })
    await p.commitTransaction()
    expect(values(1)).toEqual(['recovered'])
  })

  it('is fenced by a newer producer with the same transactionalId: ProducerFencedError, then every call rejects with it', async () => {
    const first = producer({ transactionalId: 'shared' })
    await first.initTransactions()
    first.beginTransaction()
    await first.send({ topic: 'orders', partition: 0, value: 'from-first' })
    const second = producer({ transactionalId: 'shared' })
    await second.initTransactions() // aborts the first one's open transaction
    const fenced = await first.commitTransaction().then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(ProducerFencedError.isInstance(fenced)).toBe(true)
    expect(() => first.beginTransaction()).toThrow(fenced as Error)
    expect(() => first.send({ topic: 'orders', value: 'x' })).toThrow(fenced as Error)
    await expect(first.abortTransaction()).rejects.toBe(fenced)
    await first.close()
    second.beginTransaction()
    await second.send({ topic: 'orders', partition: 0, value: 'from-second' })
    await second.commitTransaction()
    expect(values(0)).toEqual(['from-second'])
  })

  it('times initTransactions() out after maxBlockMs, and a second call waits for the same request', async () => {
    const p = producer({ transactionalId: 'tx', maxBlockMs: 200 })
    const held = cluster.faults.hold({ api: 'InitProducerId', count: 1 })
    await expect(p.initTransactions()).rejects.toSatisfy(
      (e: unknown) => TimeoutError.isInstance(e) && e.timeout === 'max.block.ms',
    )
    expect(() => p.beginTransaction()).toThrow(/timed out and must be retried/)
    const retried = p.initTransactions()
    held.releaseAll()
    await retried
    expect(cluster.requestLog.entries({ api: 'InitProducerId' })).toHaveLength(1)
  })

  it('aborts a transaction left open when the producer closes', async () => {
    const p = producer({ transactionalId: 'tx' })
    await p.initTransactions()
    p.beginTransaction()
    await p.send({ topic: 'orders', partition: 0, value: 'left-open' })
    await p.close()
    const [end] = cluster.requestLog.entries({ api: 'EndTxn' })
    expect(end!.request).toMatchObject({ committed: false })
    expect(values(0)).toEqual([])
    await expect(p.commitTransaction()).rejects.toSatisfy((e: unknown) => ProducerClosedError.isInstance(e))
  })

  it('settles an initTransactions() still waiting when the producer closes', async () => {
    const p = producer({ transactionalId: 'tx', maxBlockMs: 60_000 })
    cluster.faults.hold({ api: 'InitProducerId', count: 1 })
    const init = p.initTransactions()
    await p.close({ timeoutMs: 100 })
    await expect(init).rejects.toMatchObject({ code: expect.stringMatching(/PRODUCER_CLOSED/) })
  })
})
