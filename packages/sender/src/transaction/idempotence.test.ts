// Idempotence end to end against @x/testkit's embedded cluster, which checks producer id, epoch and
// sequences the way a Kafka 4 broker does (a retry of one of the last five batches gets its original offset,
// gaps are OUT_OF_ORDER_SEQUENCE_NUMBER, a new epoch starts at sequence 0), with faults injected per request.
// Scenarios after Java's SenderTest/TransactionManagerTest idempotence cases and checklist F3–F9, F13.
import { ApiError, ErrorCode } from '@x/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { TimeoutError } from '../errors/timeout-error.js'
import { createTxnFixture, type Outcome, type TxnFixture } from './transaction-fixture.test-helper.js'

let fixture: TxnFixture | undefined

afterEach(async () => {
  await fixture?.stop()
  fixture = undefined
})

const codeOf = (error: Error | undefined) => (error as { code?: string } | undefined)?.code

/** One record per batch (64-byte batches), so several batches of a partition can be in flight at once. */
async function smallBatches(extra: Parameters<typeof createTxnFixture>[0] = {}): Promise<TxnFixture> {
  return createTxnFixture({
    cluster: { topics: [{ name: 't', partitions: 2 }] },
    accumulator: { batchSize: 64 },
    ...extra,
  })
}

/**
 * Sends one record to `partition` first, so the producer id is known and the broker has producer state for
 * the partition (a broker accepts any sequence from a producer it has no state for, as Kafka does).
 */
async function ready(f: TxnFixture, partition = 1): Promise<void> {
  const warmUp = f.send('t', 'warm-up', partition)
  expect(await f.runUntilDone([warmUp])).toBe(true)
  expect(warmUp.error).toBeUndefined()
}

describe('the idempotent producer', () => {
  it('gets a producer id before sending and numbers each partition from 0', async () => {
    fixture = await createTxnFixture({ cluster: { topics: [{ name: 't', partitions: 2 }] } })
    const outcomes = [0, 1, 2, 3].map((i) => fixture!.send('t', `v${i}`, i % 2))
    expect(await fixture.runUntilDone(outcomes)).toBe(true)
    expect(outcomes.map((outcome) => outcome.error)).toEqual([undefined, undefined, undefined, undefined])
    const init = fixture.cluster.requestLog.entries({ api: 'InitProducerId' })
    expect(init).toHaveLength(1)
    expect(init[0]!.request).toMatchObject({ transactionalId: null, transactionTimeoutMs: 2147483647 })
    const { producerId, epoch } = fixture.tm.producerIdAndEpoch()
    expect(producerId).toBeGreaterThanOrEqual(0n)
    for (const partition of [0, 1]) {
      const batches = fixture.cluster.batches('t', partition)
      expect(batches.map((batch) => [batch.producerId, batch.producerEpoch, batch.baseSequence])).toEqual([
        [producerId, epoch, 0],
      ])
      expect(fixture.values('t', partition)).toEqual(partition === 0 ? ['v0', 'v2'] : ['v1', 'v3'])
    }
  })

  it('writes a batch once when the connection drops after the broker appended it (retry deduplicated)', async () => {
    fixture = await smallBatches()
    await ready(fixture)
    fixture.cluster.faults.disconnect({ api: 'Produce', when: 'after-handling', topic: 't', partition: 0 })
    const outcome = fixture.send('t', 'once', 0)
    expect(await fixture.runUntilDone([outcome])).toBe(true)
    expect(outcome.error).toBeUndefined()
    expect(outcome.completions).toBe(1)
    expect(fixture.values('t', 0)).toEqual(['once'])
    expect(outcome.offset).toBe(0n) // the original offset, from the broker's dedup window
    expect(fixture.cluster.requestLog.entries({ api: 'Produce' }).map((entry) => entry.outcome)).toContain(
      'disconnected',
    )
  })

  it('does not duplicate a batch answered NOT_ENOUGH_REPLICAS_AFTER_APPEND', async () => {
    fixture = await smallBatches()
    await ready(fixture)
    fixture.cluster.faults.injectError({
      api: 'Produce',
      topic: 't',
      partition: 0,
      error: 'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
      afterHandling: true,
    })
    const outcomes = ['a', 'b'].map((value) => fixture!.send('t', value, 0))
    expect(await fixture.runUntilDone(outcomes)).toBe(true)
    expect(outcomes.map((outcome) => [outcome.error, outcome.offset])).toEqual([
      [undefined, 0n],
      [undefined, 1n],
    ])
    expect(fixture.values('t', 0)).toEqual(['a', 'b'])
  })

  it('keeps order across retries with five batches in flight: out-of-order sequences go back in order, one at a time', async () => {
    fixture = await smallBatches()
    await ready(fixture, 0)
    const held = fixture.cluster.faults.hold({ api: 'Produce', topic: 't', partition: 0, count: 5 })
    // The first batch fails without being written; the four behind it then leave a gap on the broker.
    fixture.cluster.faults.injectError({
      api: 'Produce',
      topic: 't',
      partition: 0,
      error: 'NOT_LEADER_OR_FOLLOWER',
    })
    const outcomes: Outcome[] = []
    for (let i = 0; i < 5; i++) {
      outcomes.push(fixture.send('t', `r${i}`, 0))
      await fixture.clock.advance(1)
    }
    await held.waitFor(5)
    expect(fixture.client.inFlightRequestCount()).toBe(5)
    held.releaseAll()
    expect(await fixture.runUntilDone(outcomes)).toBe(true)
    expect(outcomes.map((outcome) => outcome.error)).toEqual(outcomes.map(() => undefined))
    expect(outcomes.map((outcome) => outcome.offset)).toEqual([1n, 2n, 3n, 4n, 5n])
    expect(fixture.values('t', 0)).toEqual(['warm-up', 'r0', 'r1', 'r2', 'r3', 'r4'])
    const produce = fixture.cluster.requestLog.entries({ api: 'Produce' })
    const outOfOrder = produce.filter((entry) =>
      JSON.stringify(entry.response, (_, value) =>
        typeof value === 'bigint' ? Number(value) : value,
      ).includes(`"errorCode":${ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER}`),
    )
    expect(outOfOrder).toHaveLength(4)
    const retried = fixture.events.filter((event) => event.type === 'batch-retried')
    expect(retried).toHaveLength(5)
    // Same producer epoch throughout: the out-of-order answers followed a retriable failure, no bump.
    expect(fixture.tm.producerIdAndEpoch().epoch).toBe(0)
  })

  it('reports DUPLICATE_SEQUENCE_NUMBER as a success without an offset', async () => {
    fixture = await smallBatches()
    await ready(fixture)
    fixture.cluster.faults.injectError({
      api: 'Produce',
      topic: 't',
      partition: 0,
      error: 'DUPLICATE_SEQUENCE_NUMBER',
    })
    const outcome = fixture.send('t', 'dup', 0)
    expect(await fixture.runUntilDone([outcome])).toBe(true)
    expect(outcome.error).toBeUndefined()
    expect(outcome.offset).toBe(-1n)
    // The next record follows the duplicate's sequence.
    const next = fixture.send('t', 'next', 0)
    expect(await fixture.runUntilDone([next])).toBe(true)
    expect(fixture.cluster.batches('t', 0).map((batch) => batch.baseSequence)).toEqual([1])
  })

  it('bumps the epoch and resends from sequence 0 on OUT_OF_ORDER_SEQUENCE_NUMBER at the head (KIP-360)', async () => {
    fixture = await smallBatches()
    await ready(fixture)
    const { producerId, epoch } = fixture.tm.producerIdAndEpoch()
    fixture.cluster.faults.injectError({
      api: 'Produce',
      topic: 't',
      partition: 0,
      error: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
    })
    const outcome = fixture.send('t', 'gap', 0)
    expect(await fixture.runUntilDone([outcome])).toBe(true)
    expect(outcome.error).toBeUndefined()
    expect(fixture.tm.producerIdAndEpoch()).toEqual({ producerId, epoch: epoch + 1 })
    expect(fixture.cluster.batches('t', 0).map((batch) => [batch.producerEpoch, batch.baseSequence])).toEqual(
      [[epoch + 1, 0]],
    )
    // Only partition 0 restarted its sequences; partition 1 goes on under the new epoch from 0 too.
    const other = fixture.send('t', 'other', 1)
    expect(await fixture.runUntilDone([other])).toBe(true)
    expect(fixture.cluster.batches('t', 1).map((batch) => [batch.producerEpoch, batch.baseSequence])).toEqual(
      [
        [epoch, 0],
        [epoch + 1, 0],
      ],
    )
    expect(fixture.cluster.requestLog.entries({ api: 'InitProducerId' })).toHaveLength(1) // bumped locally
  })

  it('fails a batch with INVALID_PRODUCER_EPOCH, bumps the epoch, and sends on', async () => {
    fixture = await smallBatches()
    await ready(fixture)
    const { epoch } = fixture.tm.producerIdAndEpoch()
    fixture.cluster.faults.injectError({
      api: 'Produce',
      topic: 't',
      partition: 0,
      error: 'INVALID_PRODUCER_EPOCH',
    })
    const failed = fixture.send('t', 'refused', 0)
    expect(await fixture.runUntilDone([failed])).toBe(true)
    expect(ApiError.isInstance(failed.error)).toBe(true)
    expect(codeOf(failed.error)).toBe('INVALID_PRODUCER_EPOCH')
    const next = fixture.send('t', 'after', 0)
    expect(await fixture.runUntilDone([next])).toBe(true)
    expect(next.error).toBeUndefined()
    expect(fixture.cluster.batches('t', 0).map((batch) => [batch.producerEpoch, batch.baseSequence])).toEqual(
      [[epoch + 1, 0]],
    )
    expect(fixture.tm.hasFatalError()).toBe(false)
  })

  it('marks the sequence unresolved when a retried batch expires in flight, and bumps the epoch when nothing after it succeeds', async () => {
    fixture = await smallBatches({ accumulator: { batchSize: 64, deliveryTimeoutMs: 5_000 } })
    await ready(fixture)
    const { epoch } = fixture.tm.producerIdAndEpoch()
    fixture.cluster.faults.injectError({
      api: 'Produce',
      topic: 't',
      partition: 0,
      error: 'NOT_ENOUGH_REPLICAS',
    })
    const held = fixture.cluster.faults.hold({ api: 'Produce', topic: 't', partition: 0, skip: 1, count: 1 })
    const lost = fixture.send('t', 'maybe-written', 0)
    // The retry (after its backoff): appended by the broker, its answer held back.
    expect(await fixture.runUntil(() => held.responses.length === 1)).toBe(true)
    expect(await fixture.runUntilDone([lost], 10_000)).toBe(true)
    expect(TimeoutError.isInstance(lost.error)).toBe(true)
    expect(fixture.tm.hasUnresolvedSequence({ topic: 't', partition: 0 })).toBe(true)
    // The answer never comes (the connection drops): nothing tells where the partition's sequence stands.
    fixture.client.disconnect(fixture.cluster.brokers[0]!.id)
    const next = fixture.send('t', 'next', 0)
    expect(await fixture.runUntilDone([next])).toBe(true)
    expect(next.error).toBeUndefined()
    expect(fixture.tm.hasUnresolvedSequence({ topic: 't', partition: 0 })).toBe(false) // resolved by the bump
    expect(fixture.tm.producerIdAndEpoch().epoch).toBe(epoch + 1)
    expect(lost.completions).toBe(1)
    expect(fixture.cluster.batches('t', 0).map((batch) => [batch.producerEpoch, batch.baseSequence])).toEqual(
      [
        [epoch, 0],
        [epoch + 1, 0],
      ],
    )
  })

  it('resolves an expired batch without a bump when a later batch of the partition is acknowledged', async () => {
    fixture = await smallBatches({ accumulator: { batchSize: 64, deliveryTimeoutMs: 5_000 } })
    await ready(fixture)
    const { epoch } = fixture.tm.producerIdAndEpoch()
    fixture.cluster.faults.injectError({
      api: 'Produce',
      topic: 't',
      partition: 0,
      error: 'NOT_ENOUGH_REPLICAS',
    })
    const held = fixture.cluster.faults.hold({ api: 'Produce', topic: 't', partition: 0, skip: 1, count: 2 })
    const first = fixture.send('t', 'first', 0)
    expect(await fixture.runUntil(() => held.responses.length === 1)).toBe(true)
    await fixture.clock.advance(1_000)
    const second = fixture.send('t', 'second', 0) // sequence 1, in flight behind the held retry
    expect(await fixture.runUntil(() => held.responses.length === 2)).toBe(true)
    expect(await fixture.runUntilDone([first], 10_000)).toBe(true)
    expect(TimeoutError.isInstance(first.error)).toBe(true)
    expect(fixture.tm.hasUnresolvedSequence({ topic: 't', partition: 0 })).toBe(true)
    held.releaseAll()
    expect(await fixture.runUntilDone([second])).toBe(true)
    expect(second.error).toBeUndefined()
    await fixture.clock.advance(10)
    expect(fixture.tm.hasUnresolvedSequence({ topic: 't', partition: 0 })).toBe(false)
    const third = fixture.send('t', 'third', 0)
    expect(await fixture.runUntilDone([third])).toBe(true)
    expect(fixture.tm.producerIdAndEpoch().epoch).toBe(epoch)
    expect(fixture.cluster.batches('t', 0).map((batch) => batch.baseSequence)).toEqual([0, 1, 2])
  })

  it('fails everything pending with CLUSTER_AUTHORIZATION_FAILED (fatal) and refuses later sends with it', async () => {
    // Two brokers, so a batch can be in flight on one connection while the other answers with the error.
    fixture = await smallBatches({
      cluster: { brokers: 2, topics: [{ name: 't', partitions: 2, replicationFactor: 1 }] },
    })
    await ready(fixture)
    const leader = (partition: number) => fixture!.cluster.topic('t')!.partitions[partition]!.leader
    expect(leader(0)).not.toBe(leader(1))
    const held = fixture.cluster.faults.hold({ api: 'Produce', topic: 't', partition: 1, count: 1 })
    const inFlight = fixture.send('t', 'in-flight', 1)
    expect(await fixture.runUntil(() => held.responses.length === 1)).toBe(true)
    fixture.cluster.faults.injectError({
      api: 'Produce',
      topic: 't',
      partition: 0,
      error: 'CLUSTER_AUTHORIZATION_FAILED',
    })
    const refused = fixture.send('t', 'refused', 0)
    expect(await fixture.runUntilDone([refused])).toBe(true)
    expect(fixture.tm.hasFatalError()).toBe(true)
    const fatal = fixture.tm.lastError()!
    expect(codeOf(fatal)).toBe('CLUSTER_AUTHORIZATION_FAILED')
    expect(fatal.message).toContain('not authorized to do idempotent sends')
    expect(refused.error).toBe(fatal)
    // The batch in flight fails with it at once; a record appended afterwards is aborted at the next pass.
    expect(inFlight.error).toBe(fatal)
    const appended = fixture.send('t', 'appended-later', 0)
    expect(await fixture.runUntilDone([appended])).toBe(true)
    expect(appended.error).toBe(fatal)
    expect(() => fixture!.tm.failIfNotReadyForSend()).toThrow(fatal)
    held.releaseAll() // the late success of the aborted batch changes nothing
    await fixture.clock.advance(10)
    expect([refused, inFlight, appended].map((outcome) => outcome.completions)).toEqual([1, 1, 1])
    await fixture.sender.close({ timeoutMs: 1_000 })
    expect(fixture.pool.availableMemory).toBe(fixture.pool.totalMemory)
  })

  it('halves batches the topic refuses as too large until single records; the one too large fails alone, the rest keep their order', async () => {
    fixture = await createTxnFixture({
      cluster: { topics: [{ name: 'small', partitions: 1, configs: { 'max.message.bytes': '300' } }] },
      accumulator: { lingerMs: 50 },
    })
    const values = Array.from({ length: 20 }, (_, i) => (i === 9 ? 'x'.repeat(400) : `record-${i}`))
    const outcomes = values.map((value) => fixture!.send('small', value, 0))
    expect(await fixture.runUntilDone(outcomes)).toBe(true)
    expect(outcomes.map((outcome) => codeOf(outcome.error))).toEqual(
      values.map((_, i) => (i === 9 ? 'MESSAGE_TOO_LARGE' : undefined)),
    )
    expect(outcomes[9]!.error!.message).toMatch(
      /^MESSAGE_TOO_LARGE \(10\): The broker refused 1 record\(s\) for small-0 \(\d+ bytes as a batch\) .* max\.message\.bytes .* Raise that limit, or send smaller records\.$/,
    )
    expect(outcomes.every((outcome) => outcome.completions === 1)).toBe(true)
    expect(fixture.values('small', 0)).toEqual(values.filter((_, i) => i !== 9))
    expect(fixture.events.filter((event) => event.type === 'batch-split').length).toBeGreaterThan(1)
    // The broker accepted every batch: sequences stayed contiguous per epoch across the splits.
    const batches = fixture.cluster.batches('small', 0)
    for (let i = 1; i < batches.length; i++) {
      const previous = batches[i - 1]!
      const batch = batches[i]!
      if (batch.producerEpoch === previous.producerEpoch) {
        expect(batch.baseSequence).toBe(previous.baseSequence + previous.records.length)
      } else {
        expect(batch.baseSequence).toBe(0)
      }
    }
    expect(fixture.pool.availableMemory).toBe(fixture.pool.totalMemory)
  })

  describe('completes a partition in send order when a later batch is acknowledged first', () => {
    /**
     * Batch A goes to leader 1, which appends it but keeps the answer back. Leadership moves to node 2, and
     * batch B goes there and is acknowledged. A must still complete before B. Returns A, B, and the held answer.
     */
    async function laterBatchAcknowledgedFirst() {
      fixture = await createTxnFixture({
        cluster: { brokers: 2, topics: [{ name: 't', assignments: [[1, 2]] }] },
        accumulator: { batchSize: 64 },
        sender: { requestTimeoutMs: 10_000 },
      })
      const f = fixture
      await ready(f, 0)
      const held = f.cluster.faults.hold({ api: 'Produce', broker: 1, count: 1 })
      const a = f.send('t', 'a', 0)
      expect(await f.runUntil(() => held.responses.length === 1)).toBe(true)
      f.cluster.faults.moveLeader('t', 0, 2, { hint: 'none' })
      f.metadata.requestUpdate()
      expect(await f.runUntil(() => f.metadata.leaderFor('t', 0) === 2)).toBe(true)
      const b = f.send('t', 'b', 0)
      expect(await f.runUntil(() => f.values('t', 0).includes('b'))).toBe(true)
      await f.clock.advanceAsync(50)
      // B is acknowledged (its response came back), yet it waits for A.
      expect(f.cluster.requestLog.entries({ api: 'Produce', brokerId: 2 }).length).toBeGreaterThan(0)
      expect([a.done, b.done]).toEqual([false, false])
      return { f, a, b, held }
    }

    const completedOffsets = (f: TxnFixture) =>
      f.events.flatMap((event) =>
        event.type === 'batch-completed' && event.batch.partition === 0 ? [event.baseOffset] : [],
      )

    it('when the held answer arrives late', async () => {
      const { f, a, b, held } = await laterBatchAcknowledgedFirst()
      held.release(0)
      expect(await f.runUntilDone([a, b])).toBe(true)
      expect([a, b].map((outcome) => [outcome.error, outcome.offset, outcome.completions])).toEqual([
        [undefined, 1n, 1],
        [undefined, 2n, 1],
      ])
      expect(completedOffsets(f)).toEqual([0n, 1n, 2n])
    })

    it('when the answer is lost with its connection and the retry is a duplicate', async () => {
      const { f, a, b } = await laterBatchAcknowledgedFirst()
      await f.cluster.faults.brokerDown(1, { electLeaders: false })
      expect(await f.runUntilDone([a, b])).toBe(true)
      expect([a, b].map((outcome) => [outcome.error, outcome.offset, outcome.completions])).toEqual([
        [undefined, 1n, 1],
        [undefined, 2n, 1],
      ])
      expect(completedOffsets(f)).toEqual([0n, 1n, 2n])
      expect(f.values('t', 0)).toEqual(['warm-up', 'a', 'b'])
    })
  })

  it('aborts batches on an InitProducerId authorization failure and asks again', async () => {
    fixture = await smallBatches()
    fixture.cluster.faults.injectError({ api: 'InitProducerId', error: 'CLUSTER_AUTHORIZATION_FAILED' })
    const aborted = fixture.send('t', 'aborted', 0)
    expect(await fixture.runUntilDone([aborted])).toBe(true)
    expect(codeOf(aborted.error)).toBe('CLUSTER_AUTHORIZATION_FAILED')
    const later = fixture.send('t', 'later', 0)
    expect(await fixture.runUntilDone([later])).toBe(true)
    expect(later.error).toBeUndefined()
    expect(fixture.cluster.requestLog.entries({ api: 'InitProducerId' })).toHaveLength(2)
    expect(fixture.values('t', 0)).toEqual(['later'])
  })
})
