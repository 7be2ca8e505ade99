// The transaction manager's decisions on their own, as Java's TransactionManagerTest checks them: which
// UNKNOWN_PRODUCER_ID / OUT_OF_ORDER_SEQUENCE_NUMBER answers are retried and when the epoch is bumped (the
// log-start-offset cases the embedded broker cannot produce), sequence bookkeeping (wrap at 2^31 - 1,
// adjustment after a failed batch), and the state machine's transitions.
import { ProducerBatch, recordBatchBuilderFactory } from '@x/accumulator'
import { ErrorCode, errorForCode } from '@x/protocol'
import { describe, expect, it } from 'vitest'
import type { PartitionResponse } from '../sender/partition-response.js'
import { ManualClock } from '../testing/manual-clock.js'
import { incrementSequence } from './producer-id-and-epoch.js'
import { TransactionManager } from './transaction-manager.js'
import { isTransitionValid, type TransactionState } from './transaction-state.js'

const TP = { topic: 't', partition: 0 }
const factory = recordBatchBuilderFactory()

function idempotent(transactionalId: string | null = null): TransactionManager {
  const tm = new TransactionManager({ transactionalId, clock: new ManualClock() })
  tm.transitionTo('INITIALIZING')
  tm.setProducerIdAndEpoch({ producerId: 5n, epoch: 1 })
  tm.transitionTo('READY')
  if (transactionalId !== null) tm.beginTransaction()
  return tm
}

/** A batch of `records` records drained now: producer state and sequence assigned, tracked in flight. */
function drained(tm: TransactionManager, records = 1): ProducerBatch {
  const batch = new ProducerBatch({
    topic: TP.topic,
    partition: TP.partition,
    buffer: new Uint8Array(1024),
    factory,
    createdMs: 0,
  })
  for (let i = 0; i < records; i++) {
    batch.tryAppend(0, null, new Uint8Array(4), null, { onCompletion: () => {} }, 0)
  }
  tm.maybeUpdateProducerIdAndEpoch(TP)
  const { producerId, epoch } = tm.producerIdAndEpoch()
  batch.setProducerState(producerId, epoch, tm.sequenceNumber(TP), tm.isTransactional())
  tm.incrementSequenceNumber(TP, records)
  tm.addInFlightBatch(batch)
  batch.close()
  return batch
}

function response(errorCode: number, logStartOffset = -1n, baseOffset = -1n): PartitionResponse {
  return {
    errorCode,
    error: errorForCode(errorCode) ?? undefined,
    baseOffset,
    logAppendTimeMs: -1,
    logStartOffset,
    recordErrors: [],
    errorMessage: null,
    currentLeader: undefined,
  }
}

/** Runs the sender hook that applies a requested bump. */
function bump(tm: TransactionManager): void {
  tm.bumpIdempotentEpochAndResetIdIfNeeded(0)
}

describe('UNKNOWN_PRODUCER_ID', () => {
  it('is retried without a bump while the log start offset is unknown (-1)', () => {
    const tm = idempotent()
    const batch = drained(tm)
    expect(tm.canRetry(response(ErrorCode.UNKNOWN_PRODUCER_ID, -1n), batch)).toBe(true)
    bump(tm)
    expect(tm.producerIdAndEpoch().epoch).toBe(1)
  })

  it('bumps the epoch and resends from 0 when retention removed what was acknowledged (idempotent)', () => {
    const tm = idempotent()
    const first = drained(tm, 2)
    tm.handleCompletedBatch(first, response(ErrorCode.NONE, 0n, 10n)) // offsets 10-11 acknowledged
    const second = drained(tm, 3) // sequence 2
    expect(second.baseSequence).toBe(2)
    expect(tm.canRetry(response(ErrorCode.UNKNOWN_PRODUCER_ID, 20n), second)).toBe(true)
    bump(tm)
    expect(tm.producerIdAndEpoch()).toEqual({ producerId: 5n, epoch: 2 })
    expect([second.producerEpoch, second.baseSequence]).toEqual([2, 0])
    expect(tm.sequenceNumber(TP)).toBe(3)
  })

  it('restarts the sequences without a bump for a transactional producer after retention', () => {
    const tm = idempotent('tx')
    tm.handleCompletedBatch(drained(tm, 2), response(ErrorCode.NONE, 0n, 0n)) // offsets 0-1
    const batch = drained(tm, 2) // sequence 2
    expect(tm.canRetry(response(ErrorCode.UNKNOWN_PRODUCER_ID, 5n), batch)).toBe(true)
    expect([batch.producerEpoch, batch.baseSequence]).toEqual([1, 0])
    expect(tm.sequenceNumber(TP)).toBe(2)
    expect(tm.producerIdAndEpoch().epoch).toBe(1)
  })

  it('is retried for a batch whose sequence was already reset by an earlier UNKNOWN_PRODUCER_ID', () => {
    const tm = idempotent('tx')
    const batch = drained(tm)
    tm.handleCompletedBatch(drained(tm), response(ErrorCode.NONE, 0n, 50n))
    batch.resetProducerState(5n, 1, 0)
    expect(batch.sequenceHasBeenReset()).toBe(true)
    expect(tm.canRetry(response(ErrorCode.UNKNOWN_PRODUCER_ID, 10n), batch)).toBe(true)
  })

  it('fails a transactional batch when the data was really lost (the transaction becomes abortable)', () => {
    const tm = idempotent('tx')
    const batch = drained(tm)
    tm.handleCompletedBatch(drained(tm), response(ErrorCode.NONE, 0n, 50n))
    expect(tm.canRetry(response(ErrorCode.UNKNOWN_PRODUCER_ID, 10n), batch)).toBe(false)
  })

  it('bumps and retries for an idempotent producer when the data was really lost', () => {
    const tm = idempotent()
    const batch = drained(tm)
    tm.handleCompletedBatch(drained(tm), response(ErrorCode.NONE, 0n, 50n))
    expect(tm.canRetry(response(ErrorCode.UNKNOWN_PRODUCER_ID, 10n), batch)).toBe(true)
    bump(tm)
    expect(tm.producerIdAndEpoch().epoch).toBe(2)
  })
})

describe('OUT_OF_ORDER_SEQUENCE_NUMBER', () => {
  it('is retried without a bump for a batch that does not follow the last acknowledged one', () => {
    const tm = idempotent()
    drained(tm)
    const second = drained(tm)
    expect(tm.canRetry(response(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER), second)).toBe(true)
    bump(tm)
    expect(tm.producerIdAndEpoch().epoch).toBe(1)
  })

  it('is fatal to the batch (not retried) for a transactional producer at the head', () => {
    const tm = idempotent('tx')
    const first = drained(tm)
    expect(tm.canRetry(response(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER), first)).toBe(false)
  })

  it('waits for an unresolved sequence unless the batch is the one right after it', () => {
    const tm = idempotent()
    const expired = drained(tm) // sequence 0, expired after a retry
    const next = drained(tm) // sequence 1
    const later = drained(tm) // sequence 2
    tm.markSequenceUnresolved(expired)
    tm.handleFailedBatch(expired, new Error('expired'), false)
    expect(tm.canRetry(response(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER), later)).toBe(true)
    bump(tm)
    expect(tm.producerIdAndEpoch().epoch).toBe(1) // sequence 2 may still be explained by the unresolved one
    expect(tm.canRetry(response(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER), next)).toBe(true)
    bump(tm)
    expect(tm.producerIdAndEpoch().epoch).toBe(2) // sequence 1 right after it: a real gap
  })
})

describe('sequences', () => {
  it('wrap from 2^31 - 1 to 0 (Java DefaultRecordBatch.incrementSequence)', () => {
    expect(incrementSequence(2_147_483_646, 1)).toBe(2_147_483_647)
    expect(incrementSequence(2_147_483_647, 1)).toBe(0)
    expect(incrementSequence(2_147_483_640, 10)).toBe(2)
  })

  it('move down after a transactional batch failed for sure, so later batches do not leave a gap', () => {
    const tm = idempotent('tx')
    const first = drained(tm, 2) // 0-1
    const failed = drained(tm, 3) // 2-4
    const after = drained(tm, 2) // 5-6
    tm.handleFailedBatch(failed, errorForCode(ErrorCode.MESSAGE_TOO_LARGE)!, true)
    expect([first.baseSequence, after.baseSequence]).toEqual([0, 2])
    expect(tm.sequenceNumber(TP)).toBe(4)
    expect(tm.firstInFlightSequence(TP)).toBe(0)
  })

  it('restart at 0 for a partition whose batches all completed under an older epoch', () => {
    const tm = idempotent()
    tm.handleCompletedBatch(drained(tm, 4), response(ErrorCode.NONE, 0n, 0n))
    tm.setProducerIdAndEpoch({ producerId: 5n, epoch: 2 })
    expect(tm.hasStaleProducerIdAndEpoch(TP)).toBe(true)
    const batch = drained(tm)
    expect([batch.producerEpoch, batch.baseSequence]).toEqual([2, 0])
  })

  it('asks for a new producer id instead of bumping past epoch 32767', () => {
    const tm = idempotent()
    tm.setProducerIdAndEpoch({ producerId: 5n, epoch: 32_767 })
    tm.handleFailedBatch(drained(tm), errorForCode(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER)!, true)
    bump(tm)
    expect(tm.producerIdAndEpoch().producerId).toBe(-1n)
    expect(tm.state).toBe('INITIALIZING') // InitProducerId queued
  })
})

describe('the state machine', () => {
  const states: TransactionState[] = [
    'UNINITIALIZED',
    'INITIALIZING',
    'READY',
    'IN_TRANSACTION',
    'COMMITTING_TRANSACTION',
    'ABORTING_TRANSACTION',
    'ABORTABLE_ERROR',
    'FATAL_ERROR',
  ]

  it("allows exactly Java's transitions", () => {
    const allowed = states.flatMap((source) =>
      states.filter((target) => isTransitionValid(source, target)).map((target) => `${source}→${target}`),
    )
    expect(allowed.filter((edge) => !edge.endsWith('FATAL_ERROR'))).toEqual([
      'UNINITIALIZED→INITIALIZING',
      'INITIALIZING→READY',
      'INITIALIZING→ABORTABLE_ERROR',
      'READY→UNINITIALIZED',
      'READY→IN_TRANSACTION',
      'IN_TRANSACTION→COMMITTING_TRANSACTION',
      'IN_TRANSACTION→ABORTING_TRANSACTION',
      'IN_TRANSACTION→ABORTABLE_ERROR',
      'COMMITTING_TRANSACTION→READY',
      'COMMITTING_TRANSACTION→ABORTABLE_ERROR',
      'ABORTING_TRANSACTION→INITIALIZING',
      'ABORTING_TRANSACTION→READY',
      'ABORTABLE_ERROR→UNINITIALIZED',
      'ABORTABLE_ERROR→ABORTING_TRANSACTION',
      'ABORTABLE_ERROR→ABORTABLE_ERROR',
    ])
    expect(states.every((source) => isTransitionValid(source, 'FATAL_ERROR'))).toBe(true)
  })

  it('poisons itself (fatal) on an invalid transition from the sender side', () => {
    const tm = idempotent('tx')
    // READY: a failed batch cannot make a transaction that is not open abortable.
    tm.transitionTo('COMMITTING_TRANSACTION')
    tm.completeTransaction()
    expect(tm.state).toBe('READY')
    tm.handleFailedBatch(drained(tm), errorForCode(ErrorCode.INVALID_RECORD)!, false)
    expect(tm.hasFatalError()).toBe(true)
    expect(tm.lastError()!.message).toContain(
      'Invalid transition attempted from state READY to state ABORTABLE_ERROR',
    )
  })
})
