// Transactions end to end against @x/testkit's embedded cluster (transaction coordinator with Kafka's fencing,
// CONCURRENT_TRANSACTIONS while an older producer's transaction aborts, commit/abort markers, read_committed
// reads), with errors injected on the transactional APIs and on Produce. Scenarios after Java's
// TransactionManagerTest and the reliability checklist's F13/F18.
import { ApiError, ErrorCode } from '@x/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { TimeoutError } from '../errors/timeout-error.js'
import { AbortableTransactionError } from './abortable-transaction-error.js'
import { ProducerFencedError } from './producer-fenced-error.js'
import { TransactionAbortedError } from './transaction-aborted-error.js'
import {
  createTxnFixture,
  type Outcome,
  settleResult,
  type TxnFixture,
  type TxnFixtureOptions,
} from './transaction-fixture.test-helper.js'
import { TransactionStateError } from './transaction-state-error.js'

const fixtures: TxnFixture[] = []

afterEach(async () => {
  // Producers sharing a cluster first, the cluster's owner last.
  for (const fixture of fixtures.reverse()) await fixture.stop()
  fixtures.length = 0
})

const codeOf = (error: unknown) => (error as { code?: string } | undefined)?.code

async function transactional(
  options: TxnFixtureOptions & { transactionalId?: string } = {},
): Promise<TxnFixture> {
  const fixture = await createTxnFixture({
    cluster: { topics: [{ name: 't', partitions: 2 }] },
    ...options,
    transactionManager: {
      transactionalId: options.transactionalId ?? 'tx-1',
      transactionTimeoutMs: 30_000,
      ...options.transactionManager,
    },
  })
  fixtures.push(fixture)
  return fixture
}

async function initialized(options: Parameters<typeof transactional>[0] = {}): Promise<TxnFixture> {
  const fixture = await transactional(options)
  expect(await settleResult(fixture, fixture.tm.initializeTransactions())).toBeUndefined()
  return fixture
}

/** Sends records in the open transaction and waits until each is acknowledged. */
async function written(fixture: TxnFixture, values: [string, number][]): Promise<Outcome[]> {
  const outcomes = values.map(([value, partition]) => fixture.sendInTransaction('t', value, partition))
  expect(await fixture.runUntilDone(outcomes)).toBe(true)
  expect(outcomes.map((outcome) => outcome.error)).toEqual(outcomes.map(() => undefined))
  return outcomes
}

const apisInOrder = (fixture: TxnFixture) =>
  fixture.cluster.requestLog
    .entries()
    .map((entry) => entry.api)
    .filter((api) => api !== 'Metadata' && api !== 'ApiVersions')

describe('initTransactions()', () => {
  it('finds the coordinator, then gets the id and epoch for the transactional id with its timeout', async () => {
    const fixture = await initialized()
    expect(apisInOrder(fixture)).toEqual(['FindCoordinator', 'InitProducerId'])
    const [find] = fixture.cluster.requestLog.entries({ api: 'FindCoordinator' })
    expect(find!.request).toMatchObject({ keyType: 1 })
    const [init] = fixture.cluster.requestLog.entries({ api: 'InitProducerId' })
    expect(init!.request).toMatchObject({ transactionalId: 'tx-1', transactionTimeoutMs: 30_000 })
    expect(fixture.tm.state).toBe('READY')
    expect(fixture.tm.producerIdAndEpoch().producerId).toBeGreaterThanOrEqual(0n)
  })

  it('looks the coordinator up again on NOT_COORDINATOR and retries', async () => {
    const fixture = await transactional()
    fixture.cluster.faults.injectError({ api: 'InitProducerId', error: 'NOT_COORDINATOR' })
    fixture.cluster.faults.injectError({ api: 'FindCoordinator', error: 'COORDINATOR_NOT_AVAILABLE' })
    expect(await settleResult(fixture, fixture.tm.initializeTransactions())).toBeUndefined()
    expect(apisInOrder(fixture)).toEqual([
      'FindCoordinator', // COORDINATOR_NOT_AVAILABLE: retried
      'FindCoordinator',
      'InitProducerId', // NOT_COORDINATOR: look again
      'FindCoordinator',
      'InitProducerId',
    ])
  })

  it('times out its wait after maxBlockMs, and a second call waits for the same request', async () => {
    const fixture = await transactional()
    const held = fixture.cluster.faults.hold({ api: 'InitProducerId', count: 1 })
    const result = fixture.tm.initializeTransactions()
    const firstWait = result.await(1_000, fixture.clock).catch((error: unknown) => error)
    await fixture.clock.advance(1_000)
    const timedOut = await firstWait
    expect(TimeoutError.isInstance(timedOut)).toBe(true)
    expect((timedOut as TimeoutError).timeout).toBe('max.block.ms')
    expect(() => fixture.tm.beginTransaction()).toThrow(TransactionStateError)
    expect(fixture.tm.initializeTransactions()).toBe(result)
    expect(await fixture.runUntil(() => held.responses.length === 1)).toBe(true)
    held.releaseAll()
    expect(await settleResult(fixture, result)).toBeUndefined()
    await result.await(0, fixture.clock)
    fixture.tm.beginTransaction()
    expect(fixture.cluster.requestLog.entries({ api: 'InitProducerId' })).toHaveLength(1)
  })

  it('goes back to uninitialized on TRANSACTIONAL_ID_AUTHORIZATION_FAILED, so it can be called again', async () => {
    const fixture = await transactional()
    fixture.cluster.faults.injectError({
      api: 'InitProducerId',
      error: 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
    })
    const error = await settleResult(fixture, fixture.tm.initializeTransactions())
    expect(codeOf(error)).toBe('TRANSACTIONAL_ID_AUTHORIZATION_FAILED')
    await fixture.clock.advance(10)
    expect(fixture.tm.state).toBe('UNINITIALIZED')
    expect(await settleResult(fixture, fixture.tm.initializeTransactions())).toBeUndefined()
    expect(fixture.tm.state).toBe('READY')
  })
})

describe('a transaction', () => {
  it('adds its partitions in one AddPartitionsToTxn before their first Produce, and commits after the last batch', async () => {
    const fixture = await initialized()
    fixture.tm.beginTransaction()
    const outcomes = [
      fixture.sendInTransaction('t', 'a', 0),
      fixture.sendInTransaction('t', 'b', 1),
      fixture.sendInTransaction('t', 'c', 0),
    ]
    const commit = fixture.tm.beginCommit()
    expect(await settleResult(fixture, commit)).toBeUndefined()
    expect(outcomes.every((outcome) => outcome.done && outcome.error === undefined)).toBe(true)
    expect(apisInOrder(fixture)).toEqual([
      'FindCoordinator',
      'InitProducerId',
      'AddPartitionsToTxn',
      'Produce',
      'EndTxn',
    ])
    const [add] = fixture.cluster.requestLog.entries({ api: 'AddPartitionsToTxn' })
    expect(add!.apiVersion).toBe(3)
    expect(add!.request).toMatchObject({
      v3AndBelowTransactionalId: 'tx-1',
      v3AndBelowTopics: [{ name: 't', partitions: [0, 1] }],
    })
    const [end] = fixture.cluster.requestLog.entries({ api: 'EndTxn' })
    expect(end!.apiVersion).toBe(4)
    expect(end!.request).toMatchObject({ transactionalId: 'tx-1', committed: true })
    expect(fixture.values('t', 0)).toEqual(['a', 'c'])
    expect(fixture.values('t', 1)).toEqual(['b'])
    expect(fixture.cluster.batches('t', 0)[0]!.isTransactional).toBe(true)
    const produce = fixture.cluster.requestLog.entries({ api: 'Produce' })
    expect(
      produce.every((entry) => (entry.request as { transactionalId: string }).transactionalId === 'tx-1'),
    ).toBe(true)
    expect(fixture.tm.state).toBe('READY')
  })

  it('aborts: written records stay invisible to read_committed, unsent ones fail with TransactionAbortedError', async () => {
    const fixture = await initialized()
    fixture.tm.beginTransaction()
    await written(fixture, [['written', 0]])
    // The second partition's AddPartitionsToTxn is held: its record cannot be sent before the abort.
    const held = fixture.cluster.faults.hold({ api: 'AddPartitionsToTxn', count: 1 })
    const unsent = fixture.sendInTransaction('t', 'unsent', 1)
    expect(await fixture.runUntil(() => held.responses.length === 1)).toBe(true)
    const abort = fixture.tm.beginAbort()
    await fixture.clock.advance(10)
    expect(unsent.done).toBe(false) // nothing happens while a transactional request is in flight (Java)
    held.releaseAll()
    expect(await settleResult(fixture, abort)).toBeUndefined()
    expect(unsent.completions).toBe(1)
    expect(TransactionAbortedError.isInstance(unsent.error)).toBe(true)
    expect(fixture.values('t', 0)).toEqual([])
    expect(fixture.values('t', 0, 'read_uncommitted')).toEqual(['written'])
    expect(fixture.values('t', 1, 'read_uncommitted')).toEqual([])
    const [end] = fixture.cluster.requestLog.entries({ api: 'EndTxn' })
    expect(end!.request).toMatchObject({ committed: false })
    // The next transaction commits normally.
    fixture.tm.beginTransaction()
    await written(fixture, [['next', 0]])
    expect(await settleResult(fixture, fixture.tm.beginCommit())).toBeUndefined()
    expect(fixture.values('t', 0)).toEqual(['next'])
  })

  it('ends a transaction that added nothing without an EndTxn', async () => {
    const fixture = await initialized()
    fixture.tm.beginTransaction()
    expect(await settleResult(fixture, fixture.tm.beginCommit())).toBeUndefined()
    expect(fixture.cluster.requestLog.entries({ api: 'EndTxn' })).toHaveLength(0)
    expect(fixture.tm.state).toBe('READY')
  })

  it('commits consumer offsets with the transaction (AddOffsetsToTxn, then TxnOffsetCommit to the group coordinator)', async () => {
    const fixture = await initialized({
      cluster: {
        topics: [
          { name: 't', partitions: 2 },
          { name: 'in', partitions: 2 },
        ],
      },
    })
    fixture.tm.beginTransaction()
    await written(fixture, [['out', 0]])
    const offsets = fixture.tm.sendOffsetsToTransaction(
      [
        { topic: 'in', partition: 0, offset: 42n },
        { topic: 'in', partition: 1, offset: 7n, metadata: 'm' },
      ],
      { groupId: 'copier' },
    )
    expect(await settleResult(fixture, offsets)).toBeUndefined()
    expect(fixture.cluster.committedOffsets('copier').size).toBe(0) // not before the commit
    expect(await settleResult(fixture, fixture.tm.beginCommit())).toBeUndefined()
    expect(Object.fromEntries(fixture.cluster.committedOffsets('copier'))).toEqual({
      'in-0': 42n,
      'in-1': 7n,
    })
    const finds = fixture.cluster.requestLog.entries({ api: 'FindCoordinator' })
    expect(finds.map((entry) => (entry.request as { keyType: number }).keyType)).toEqual([1, 0])
    expect(apisInOrder(fixture).slice(-4)).toEqual([
      'AddOffsetsToTxn',
      'FindCoordinator',
      'TxnOffsetCommit',
      'EndTxn',
    ])
  })

  it('retries AddPartitionsToTxn on CONCURRENT_TRANSACTIONS and EndTxn on COORDINATOR_LOAD_IN_PROGRESS', async () => {
    const fixture = await initialized()
    fixture.cluster.faults.injectError({
      api: 'AddPartitionsToTxn',
      error: 'CONCURRENT_TRANSACTIONS',
      count: 2,
    })
    fixture.cluster.faults.injectError({ api: 'EndTxn', error: 'COORDINATOR_LOAD_IN_PROGRESS' })
    fixture.tm.beginTransaction()
    await written(fixture, [['a', 0]])
    const adds = fixture.cluster.requestLog.entries({ api: 'AddPartitionsToTxn' })
    expect(adds).toHaveLength(3)
    // The first add of a transaction backs off 20 ms (the previous transaction is usually completing).
    expect(adds[1]!.receivedAtMs - adds[0]!.receivedAtMs).toBeLessThan(100)
    expect(await settleResult(fixture, fixture.tm.beginCommit())).toBeUndefined()
    expect(fixture.cluster.requestLog.entries({ api: 'EndTxn' })).toHaveLength(2)
    expect(fixture.values('t', 0)).toEqual(['a'])
  })

  it('sends the same commit again when the EndTxn answer is lost, never turning it into an abort', async () => {
    const fixture = await initialized()
    fixture.tm.beginTransaction()
    await written(fixture, [['a', 0]])
    fixture.cluster.faults.disconnect({ api: 'EndTxn', when: 'after-handling' })
    expect(await settleResult(fixture, fixture.tm.beginCommit())).toBeUndefined()
    const ends = fixture.cluster.requestLog.entries({ api: 'EndTxn' })
    expect(ends.map((entry) => [entry.outcome, (entry.request as { committed: boolean }).committed])).toEqual(
      [
        ['disconnected', true],
        ['responded', true],
      ],
    )
    expect(fixture.values('t', 0)).toEqual(['a'])
  })

  it('refuses calls the state does not allow, changing nothing', async () => {
    const fixture = await transactional()
    expect(() => fixture.tm.beginTransaction()).toThrow(TransactionStateError)
    expect(() => fixture.tm.failIfNotReadyForSend()).toThrow(/initTransactions/)
    expect(await settleResult(fixture, fixture.tm.initializeTransactions())).toBeUndefined()
    expect(() => fixture.tm.failIfNotReadyForSend()).toThrow(/beginTransaction/)
    expect(() => fixture.tm.beginCommit()).toThrow(
      /Invalid transition attempted from state READY to state COMMITTING_TRANSACTION/,
    )
    expect(() => fixture.tm.sendOffsetsToTransaction([], { groupId: 'g' })).toThrow(TransactionStateError)
    fixture.tm.beginTransaction()
    expect(() => fixture.tm.beginTransaction()).toThrow(TransactionStateError)
    expect(fixture.tm.state).toBe('IN_TRANSACTION')
  })
})

describe('abortable errors', () => {
  it('a failed record makes the commit fail; the abort bumps the epoch (KIP-588) and the next transaction commits', async () => {
    const fixture = await initialized()
    const { producerId, epoch } = fixture.tm.producerIdAndEpoch()
    fixture.tm.beginTransaction()
    await written(fixture, [['ok', 1]])
    fixture.cluster.faults.injectError({ api: 'Produce', topic: 't', partition: 0, error: 'INVALID_RECORD' })
    const failed = fixture.sendInTransaction('t', 'bad', 0)
    expect(await fixture.runUntilDone([failed])).toBe(true)
    expect(codeOf(failed.error)).toBe('INVALID_RECORD')
    expect(fixture.tm.state).toBe('ABORTABLE_ERROR')
    expect(() => fixture.tm.beginCommit()).toThrow(AbortableTransactionError)
    expect(() => fixture.tm.failIfNotReadyForSend()).toThrow(AbortableTransactionError)
    expect(await settleResult(fixture, fixture.tm.beginAbort())).toBeUndefined()
    expect(fixture.tm.producerIdAndEpoch()).toEqual({ producerId, epoch: epoch + 1 })
    const inits = fixture.cluster.requestLog.entries({ api: 'InitProducerId' })
    expect(inits[1]!.request).toMatchObject({ producerId, producerEpoch: epoch })
    fixture.tm.beginTransaction()
    await written(fixture, [['after', 0]])
    expect(await settleResult(fixture, fixture.tm.beginCommit())).toBeUndefined()
    expect(fixture.values('t', 0)).toEqual(['after'])
    expect(fixture.values('t', 1)).toEqual([])
    expect(fixture.cluster.batches('t', 0).at(-1)!.producerEpoch).toBe(epoch + 1)
  })

  it('a record failing during the commit fails the commit with that error', async () => {
    const fixture = await initialized()
    fixture.tm.beginTransaction()
    fixture.cluster.faults.injectError({ api: 'Produce', topic: 't', partition: 0, error: 'INVALID_RECORD' })
    const failed = fixture.sendInTransaction('t', 'bad', 0)
    const commit = fixture.tm.beginCommit()
    const error = await settleResult(fixture, commit)
    expect(codeOf(error)).toBe('INVALID_RECORD')
    expect(failed.error).toBe(error)
    expect(fixture.tm.state).toBe('ABORTABLE_ERROR')
    expect(await settleResult(fixture, fixture.tm.beginAbort())).toBeUndefined()
    expect(fixture.tm.state).toBe('READY')
  })

  it('TOPIC_AUTHORIZATION_FAILED from AddPartitionsToTxn is abortable; the waiting records fail when aborted', async () => {
    const fixture = await initialized()
    fixture.tm.beginTransaction()
    fixture.cluster.faults.injectError({ api: 'AddPartitionsToTxn', error: 'TOPIC_AUTHORIZATION_FAILED' })
    const waiting = fixture.sendInTransaction('t', 'never', 0)
    expect(await fixture.runUntil(() => fixture.tm.state === 'ABORTABLE_ERROR')).toBe(true)
    expect(fixture.tm.lastError()!.message).toContain('Not authorized to access topics: [t]')
    expect(await fixture.runUntilDone([waiting])).toBe(true)
    expect(TransactionAbortedError.isInstance(waiting.error)).toBe(true)
    expect(codeOf((waiting.error as Error).cause)).toBe('TOPIC_AUTHORIZATION_FAILED')
    expect(await settleResult(fixture, fixture.tm.beginAbort())).toBeUndefined()
  })

  it('TRANSACTION_ABORTABLE from Produce (KIP-890 verification) is abortable', async () => {
    const fixture = await initialized()
    fixture.tm.beginTransaction()
    fixture.cluster.faults.injectError({
      api: 'Produce',
      topic: 't',
      partition: 0,
      error: 'TRANSACTION_ABORTABLE',
    })
    const failed = fixture.sendInTransaction('t', 'x', 0)
    expect(await fixture.runUntilDone([failed])).toBe(true)
    expect(fixture.tm.state).toBe('ABORTABLE_ERROR')
    expect(await settleResult(fixture, fixture.tm.beginAbort())).toBeUndefined()
  })

  it('INVALID_PRODUCER_ID_MAPPING on EndTxn: the abort skips EndTxn and goes straight to InitProducerId', async () => {
    const fixture = await initialized()
    fixture.tm.beginTransaction()
    await written(fixture, [['a', 0]])
    fixture.cluster.faults.injectError({ api: 'EndTxn', error: 'INVALID_PRODUCER_ID_MAPPING' })
    const error = await settleResult(fixture, fixture.tm.beginCommit())
    expect(codeOf(error)).toBe('INVALID_PRODUCER_ID_MAPPING')
    expect(fixture.tm.state).toBe('ABORTABLE_ERROR')
    const endTxnsBefore = fixture.cluster.requestLog.entries({ api: 'EndTxn' }).length
    expect(await settleResult(fixture, fixture.tm.beginAbort())).toBeUndefined()
    expect(fixture.cluster.requestLog.entries({ api: 'EndTxn' })).toHaveLength(endTxnsBefore)
    // The coordinator still has the transaction open: it aborts it (CONCURRENT_TRANSACTIONS meanwhile).
    const inits = fixture.cluster.requestLog.entries({ api: 'InitProducerId' }).slice(1)
    expect(inits.map((entry) => (entry.response as { errorCode: number }).errorCode)).toEqual([
      ErrorCode.CONCURRENT_TRANSACTIONS,
      ErrorCode.NONE,
    ])
    expect(fixture.tm.state).toBe('READY')
    expect(fixture.values('t', 0)).toEqual([])
  })
})

describe('fatal errors', () => {
  it('a second producer with the same transactional id fences the first, whose commit fails with ProducerFencedError', async () => {
    const first = await initialized()
    first.tm.beginTransaction()
    const pending = await written(first, [['from-first', 0]])
    expect(pending[0]!.error).toBeUndefined()
    // The second producer's InitProducerId aborts the first's open transaction (CONCURRENT_TRANSACTIONS
    // while it does), then gets a newer epoch.
    const second = await initialized({ sharedCluster: first.cluster })
    expect(second.tm.producerIdAndEpoch().epoch).toBeGreaterThan(first.tm.producerIdAndEpoch().epoch)
    const error = await settleResult(first, first.tm.beginCommit())
    expect(ProducerFencedError.isInstance(error)).toBe(true)
    expect(ApiError.isInstance(error) && error.errorCode).toBe(ErrorCode.PRODUCER_FENCED)
    expect(error!.message).toContain("transactionalId 'tx-1'")
    expect(first.tm.hasFatalError()).toBe(true)
    expect(() => first.tm.beginTransaction()).toThrow(error!)
    expect(() => first.tm.failIfNotReadyForSend()).toThrow(error!)
    expect(first.values('t', 0)).toEqual([])
    // The new producer carries on.
    second.tm.beginTransaction()
    await written(second, [['from-second', 0]])
    expect(await settleResult(second, second.tm.beginCommit())).toBeUndefined()
    expect(second.values('t', 0)).toEqual(['from-second'])
  })

  it('aborts the transaction an abandoned producer left open when the next one initializes', async () => {
    const abandoned = await initialized()
    abandoned.tm.beginTransaction()
    await written(abandoned, [['left-open', 0]])
    const next = await initialized({ sharedCluster: abandoned.cluster })
    const inits = next.cluster.requestLog.entries({ api: 'InitProducerId' })
    expect(inits.slice(1).map((entry) => (entry.response as { errorCode: number }).errorCode)).toEqual([
      ErrorCode.CONCURRENT_TRANSACTIONS,
      ErrorCode.NONE,
    ])
    expect(next.values('t', 0)).toEqual([])
    expect(next.values('t', 0, 'read_uncommitted')).toEqual(['left-open'])
    next.tm.beginTransaction()
    await written(next, [['mine', 0]])
    expect(await settleResult(next, next.tm.beginCommit())).toBeUndefined()
    expect(next.values('t', 0)).toEqual(['mine'])
  })

  it('TRANSACTIONAL_ID_AUTHORIZATION_FAILED on AddPartitionsToTxn is fatal: records fail with it, later calls too', async () => {
    const fixture = await initialized()
    fixture.tm.beginTransaction()
    fixture.cluster.faults.injectError({
      api: 'AddPartitionsToTxn',
      error: 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
    })
    const record = fixture.sendInTransaction('t', 'x', 0)
    expect(await fixture.runUntilDone([record])).toBe(true)
    expect(fixture.tm.hasFatalError()).toBe(true)
    const fatal = fixture.tm.lastError()!
    expect(codeOf(fatal)).toBe('TRANSACTIONAL_ID_AUTHORIZATION_FAILED')
    expect(record.error).toBe(fatal)
    expect(() => fixture.tm.beginCommit()).toThrow(fatal)
    expect(() => fixture.tm.beginAbort()).toThrow(fatal)
    await fixture.sender.close({ timeoutMs: 1_000 })
    expect(fixture.pool.availableMemory).toBe(fixture.pool.totalMemory)
  })

  it('PRODUCER_FENCED from AddOffsetsToTxn is fatal', async () => {
    const fixture = await initialized()
    fixture.tm.beginTransaction()
    fixture.cluster.faults.injectError({ api: 'AddOffsetsToTxn', error: 'PRODUCER_FENCED' })
    const error = await settleResult(
      fixture,
      fixture.tm.sendOffsetsToTransaction([{ topic: 'in', partition: 0, offset: 1n }], { groupId: 'g' }),
    )
    expect(ProducerFencedError.isInstance(error)).toBe(true)
    expect(fixture.tm.hasFatalError()).toBe(true)
  })

  it('a forced close fails the operation waited on and what is still queued', async () => {
    const fixture = await initialized()
    fixture.tm.beginTransaction()
    await written(fixture, [['a', 0]])
    fixture.cluster.faults.hold({ api: 'EndTxn', count: 1 })
    const commit = fixture.tm.beginCommit()
    fixture.sender.wakeup()
    await fixture.clock.advance(10)
    await fixture.sender.forceClose()
    expect(commit.isCompleted).toBe(true)
    expect(codeOf(commit.error)).toBe('PRODUCER_CLOSED_FORCEFULLY')
    expect(fixture.tm.hasFatalError()).toBe(false)
  })
})
