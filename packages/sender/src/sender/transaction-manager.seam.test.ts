// The idempotence/transactions seam: a recording SenderTransactionManager sees the calls Java's Sender makes on
// TransactionManager, at the same points, and can take a pass for its own request. @x/testkit's embedded
// cluster as broker.
import type { ProducerBatch } from '@x/accumulator'
import { ErrorCode } from '@x/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { createSenderFixture, type SenderFixture } from '../testing/sender-fixture.js'
import type { PartitionResponse } from './partition-response.js'
import {
  noTransactionManager,
  type SenderTransactionManager,
  type TransactionalRequestContext,
} from './transaction-manager.js'

let fixture: SenderFixture | undefined

afterEach(async () => {
  await fixture?.stop()
  fixture = undefined
})

class RecordingTransactionManager implements SenderTransactionManager {
  readonly calls: string[] = []
  /** While true, every pass is taken by a (pretend) transactional request. */
  blocking = false
  transactionalPasses = 0
  transactionalId = 'tx-1'
  isTransactional = () => true
  maybeResolveSequences = () => {}
  hasFatalError = () => false
  lastError = () => undefined
  bumpIdempotentEpochAndResetIdIfNeeded = () => {}
  maybeSendTransactionalRequest = (context: TransactionalRequestContext) => {
    if (!this.blocking) return false
    this.transactionalPasses++
    context.wakeup(10)
    return true
  }
  canRetry = (response: PartitionResponse, batch: ProducerBatch) => {
    this.calls.push(`canRetry:${response.errorCode}:${batch.partition}`)
    return noTransactionManager.canRetry(response, batch)
  }
  handleCompletedBatch = (batch: ProducerBatch, response: PartitionResponse) => {
    this.calls.push(`completed:${batch.partition}@${response.baseOffset}`)
  }
  handleFailedBatch = (batch: ProducerBatch, error: Error, adjust: boolean) => {
    this.calls.push(`failed:${batch.partition}:${(error as { code?: string }).code}:${adjust}`)
  }
  removeInFlightBatch = () => {}
  markSequenceUnresolved = () => {}
  hasPendingRequests = () => false
  hasOngoingTransaction = () => false
  isCompleting = () => false
  beginAbort = () => {}
  close = () => {}
}

describe('the transaction manager seam', () => {
  it('is consulted on retries, completions and failures, and its id goes in every Produce request', async () => {
    const tm = new RecordingTransactionManager()
    fixture = await createSenderFixture({
      cluster: { topics: [{ name: 't', partitions: 2 }] },
      sender: { transactionManager: tm },
    })
    fixture.cluster.faults.injectError({
      api: 'Produce',
      topic: 't',
      partition: 0,
      error: 'NOT_ENOUGH_REPLICAS',
    })
    fixture.cluster.faults.injectError({ api: 'Produce', topic: 't', partition: 1, error: 'INVALID_RECORD' })
    const outcomes = [fixture.send('t', 'a', { partition: 0 }), fixture.send('t', 'b', { partition: 1 })]
    expect(await fixture.runUntilDone(outcomes)).toBe(true)
    expect(tm.calls).toEqual([
      `canRetry:${ErrorCode.NOT_ENOUGH_REPLICAS}:0`,
      `canRetry:${ErrorCode.INVALID_RECORD}:1`,
      'failed:1:INVALID_RECORD:true',
      'completed:0@0',
    ])
    for (const entry of fixture.cluster.requestLog.entries({ api: 'Produce' })) {
      expect((entry.request as { transactionalId: string | null }).transactionalId).toBe('tx-1')
    }
  })

  it('takes whole passes for transactional requests before any Produce is sent', async () => {
    const tm = new RecordingTransactionManager()
    tm.blocking = true
    fixture = await createSenderFixture({
      cluster: { topics: [{ name: 't', partitions: 1 }] },
      sender: { transactionManager: tm },
    })
    const outcome = fixture.send('t', 'a', { partition: 0 })
    await fixture.clock.advanceAsync(100)
    expect(fixture.cluster.requestLog.entries({ api: 'Produce' })).toHaveLength(0)
    // its wake-up timer (10 ms) keeps passes coming while it waits
    expect(tm.transactionalPasses).toBeGreaterThanOrEqual(10)
    tm.blocking = false
    expect(await fixture.runUntilDone([outcome])).toBe(true)
    expect(outcome.error).toBeUndefined()
  })
})
