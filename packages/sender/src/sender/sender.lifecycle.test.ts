// Expiry, ordering, in-flight limits, acks=0, close and events of the Sender, against @x/testkit's embedded
// cluster (src/testing/sender-fixture.ts) on a hand-stepped clock.
import { afterEach, describe, expect, it } from 'vitest'
import { SenderClosedError } from '../errors/sender-closed-error.js'
import { TimeoutError } from '../errors/timeout-error.js'
import { createSenderFixture, type SenderFixture } from '../testing/sender-fixture.js'

let fixture: SenderFixture | undefined

afterEach(async () => {
  await fixture?.stop()
  fixture = undefined
})

const text = (bytes: Uint8Array | null) => new TextDecoder().decode(bytes!)

/** The deepest pipelining any connection showed the brokers: requests received and not yet answered. */
const maxInFlightSeenByBroker = (f: SenderFixture) =>
  Math.max(...f.cluster.requestLog.entries().map((entry) => entry.inFlightOnConnection))

describe('Sender delivery timeout', () => {
  it('expires queued batches whose leader is unreachable with a delivery.timeout.ms TimeoutError', async () => {
    fixture = await createSenderFixture({
      cluster: { topics: [{ name: 't', partitions: 1 }] },
      accumulator: { deliveryTimeoutMs: 2_000 },
      sender: { requestTimeoutMs: 1_000 },
    })
    const warm = fixture.send('t', 'warm', { partition: 0 })
    expect(await fixture.runUntilDone([warm])).toBe(true)
    await fixture.cluster.faults.brokerDown(1, { electLeaders: false })
    const outcome = fixture.send('t', 'x', { partition: 0 })
    expect(await fixture.runUntilDone([outcome], 5_000)).toBe(true)
    expect(TimeoutError.isInstance(outcome.error)).toBe(true)
    expect(outcome.error).toMatchObject({ timeout: 'delivery.timeout.ms', retriable: true })
    expect(outcome.error!.message).toMatch(
      /^Expiring 1 record\(s\) for t-0:\d+ ms has passed since batch creation/,
    )
    expect(fixture.events.some((e) => e.type === 'batch-expired' && !e.inFlight)).toBe(true)
    expect(fixture.pool.availableMemory).toBe(fixture.pool.totalMemory)
  })

  it('expires an in-flight batch but keeps its memory until the request settles (KAFKA-19012)', async () => {
    fixture = await createSenderFixture({
      cluster: { topics: [{ name: 't', partitions: 1 }] },
      accumulator: { deliveryTimeoutMs: 2_000 },
      sender: { requestTimeoutMs: 30_000 },
    })
    const held = fixture.cluster.faults.hold({ api: 'Produce' })
    const outcome = fixture.send('t', 'x', { partition: 0 })
    expect(await fixture.runUntilDone([outcome], 5_000)).toBe(true)
    expect(outcome.error).toMatchObject({ timeout: 'delivery.timeout.ms' })
    expect(fixture.events.some((e) => e.type === 'batch-expired' && e.inFlight)).toBe(true)
    // the request is still in flight: the batch's pooled buffer must not be reused yet
    expect(fixture.pool.availableMemory).toBeLessThan(fixture.pool.totalMemory)
    expect(held.pending).toBe(1)
    held.releaseAll()
    await fixture.clock.advanceAsync(1)
    expect(fixture.pool.availableMemory).toBe(fixture.pool.totalMemory)
    // the late success does not complete the record a second time
    expect(outcome.completions).toBe(1)
  })

  it('keeps an expired batch whose bytes sit in a stalled socket out of the pool until the write completes', async () => {
    fixture = await createSenderFixture({
      cluster: { topics: [{ name: 't', partitions: 1 }] },
      accumulator: { deliveryTimeoutMs: 2_000 },
      sender: { requestTimeoutMs: 10_000 },
    })
    const warm = fixture.send('t', 'warm', { partition: 0 })
    expect(await fixture.runUntilDone([warm])).toBe(true)
    fixture.transport.holdWrites = true
    const outcome = fixture.send('t', 'x', { partition: 0 })
    await fixture.clock.advanceAsync(2_500)
    expect(outcome.error).toMatchObject({ timeout: 'delivery.timeout.ms' })
    expect(fixture.pool.availableMemory).toBeLessThan(fixture.pool.totalMemory)
    fixture.transport.releaseWrites()
    await fixture.clock.advanceAsync(1)
    expect(fixture.pool.availableMemory).toBe(fixture.pool.totalMemory)
    expect(outcome.completions).toBe(1)
  })
})

describe('Sender ordering and in-flight limits', () => {
  it('never has more than max.in.flight.requests.per.connection requests in flight on a connection', async () => {
    fixture = await createSenderFixture({
      cluster: { topics: [{ name: 't', partitions: 8 }] },
      sender: { maxInFlightRequestsPerConnection: 3 },
      accumulator: { batchSize: 1024 },
    })
    const held = fixture.cluster.faults.hold({ api: 'Produce', count: 1_000 })
    const outcomes = Array.from({ length: 400 }, (_, i) =>
      fixture!.send('t', `record-${i}`.padEnd(60, '-'), { partition: i % 8 }),
    )
    for (let round = 0; round < 50 && !outcomes.every((o) => o.done); round++) {
      await fixture.clock.advanceAsync(5)
      expect(fixture.client.inFlightRequestCount(1)).toBeLessThanOrEqual(3)
      held.releaseAll()
    }
    expect(outcomes.every((o) => o.done && o.error === undefined)).toBe(true)
    expect(maxInFlightSeenByBroker(fixture)).toBe(3)
    expect(fixture.client.maxInFlightRequestsObserved).toBe(3)
  })

  it('with one request in flight, mutes a partition until its batch completes and keeps order through retries', async () => {
    fixture = await createSenderFixture({
      cluster: { topics: [{ name: 't', partitions: 1 }] },
      sender: { maxInFlightRequestsPerConnection: 1 },
      accumulator: { batchSize: 64, retryBackoffMs: 50 },
    })
    fixture.cluster.faults.injectError({
      api: 'Produce',
      topic: 't',
      partition: 0,
      error: 'REQUEST_TIMED_OUT',
      count: 2,
    })
    const outcomes = Array.from({ length: 12 }, (_, i) => fixture!.send('t', `m${i}`, { partition: 0 }))
    expect(await fixture.runUntilDone(outcomes)).toBe(true)
    expect(fixture.cluster.records('t', 0).map((r) => text(r.value))).toEqual(outcomes.map((_, i) => `m${i}`))
    expect(maxInFlightSeenByBroker(fixture)).toBe(1)
    // each Produce request carried one batch of the single partition
    for (const entry of fixture.cluster.requestLog.entries({ api: 'Produce' })) {
      const body = entry.request as { topicData: { partitionData: unknown[] }[] }
      expect(body.topicData.flatMap((t) => t.partitionData)).toHaveLength(1)
    }
  })

  it('completes acks=0 batches once written, with no offset and no response awaited', async () => {
    fixture = await createSenderFixture({
      cluster: { topics: [{ name: 't', partitions: 2 }] },
      sender: { acks: 0 },
    })
    const outcomes = [fixture.send('t', 'a', { partition: 0 }), fixture.send('t', 'b', { partition: 1 })]
    expect(await fixture.runUntilDone(outcomes)).toBe(true)
    for (const outcome of outcomes)
      expect(outcome).toMatchObject({ error: undefined, offset: -1n, completions: 1 })
    expect(fixture.cluster.records('t', 0).map((r) => text(r.value))).toEqual(['a'])
    expect(
      (fixture.cluster.requestLog.entries({ api: 'Produce' })[0]!.request as { acks: number }).acks,
    ).toBe(0)
    expect(fixture.client.inFlightRequestCount()).toBe(0)
  })

  it('writes every request of one pass to a connection in a single transport write', async () => {
    fixture = await createSenderFixture({
      cluster: { topics: [{ name: 't', partitions: 1 }] },
      accumulator: { batchSize: 64 },
      sender: { maxRequestSize: 200 },
    })
    const warm = fixture.send('t', 'warm', { partition: 0 })
    expect(await fixture.runUntilDone([warm])).toBe(true)
    const transport = fixture.transport
    const writesBefore = transport.writeCalls
    const produceBefore = fixture.cluster.requestLog.entries({ api: 'Produce' }).length
    const outcomes = Array.from({ length: 30 }, (_, i) => fixture!.send('t', `value-${i}`, { partition: 0 }))
    expect(await fixture.runUntilDone(outcomes)).toBe(true)
    const requests = fixture.cluster.requestLog.entries({ api: 'Produce' }).length - produceBefore
    expect(requests).toBeGreaterThan(1)
    expect(transport.writeCalls - writesBefore).toBeLessThanOrEqual(requests)
  })
})

describe('Sender close', () => {
  it('closes gracefully: sends everything queued, waits for responses, then closes connections', async () => {
    fixture = await createSenderFixture({
      cluster: { topics: [{ name: 't', partitions: 2 }] },
      accumulator: { lingerMs: 1_000 },
    })
    const outcomes = Array.from({ length: 10 }, (_, i) => fixture!.send('t', `v${i}`, { partition: i % 2 }))
    await fixture.clock.advanceAsync(1)
    expect(outcomes.some((o) => o.done)).toBe(false) // lingering
    let closed = false
    void fixture.sender.close().then(() => {
      closed = true
    })
    await fixture.clock.advanceAsync(5)
    expect(closed).toBe(true)
    for (const outcome of outcomes) expect(outcome).toMatchObject({ error: undefined, completions: 1 })
    expect(fixture.transport.openSockets).toBe(0)
    expect(fixture.pool.availableMemory).toBe(fixture.pool.totalMemory)
  })

  it('force-closes: every queued and in-flight record fails with SenderClosedError', async () => {
    fixture = await createSenderFixture({ cluster: { topics: [{ name: 't', partitions: 2 }] } })
    const held = fixture.cluster.faults.hold({ api: 'Produce', count: 10 })
    const inFlight = fixture.send('t', 'in-flight', { partition: 0 })
    await fixture.clock.advanceAsync(5)
    expect(fixture.sender.inFlightBatchCount).toBe(1)
    await fixture.cluster.faults.brokerDown(1, { electLeaders: false })
    const queued = fixture.send('t', 'queued', { partition: 1 })
    await fixture.sender.forceClose()
    for (const outcome of [inFlight, queued]) {
      expect(outcome.completions).toBe(1)
      expect(SenderClosedError.isInstance(outcome.error)).toBe(true)
      expect(outcome.error).toMatchObject({ code: 'PRODUCER_CLOSED_FORCEFULLY', retriable: false })
    }
    held.releaseAll()
    await fixture.clock.advanceAsync(5)
    expect(inFlight.completions).toBe(1)
  })

  it('force-closes when a graceful close outlasts its timeout', async () => {
    fixture = await createSenderFixture({ cluster: { topics: [{ name: 't', partitions: 1 }] } })
    fixture.cluster.faults.hold({ api: 'Produce' }) // never released: the response never comes
    const outcome = fixture.send('t', 'x', { partition: 0 })
    await fixture.clock.advanceAsync(5)
    let closed = false
    void fixture.sender.close({ timeoutMs: 1_000 }).then(() => {
      closed = true
    })
    await fixture.clock.advanceAsync(900)
    expect(closed).toBe(false)
    await fixture.clock.advanceAsync(200)
    expect(closed).toBe(true)
    expect(outcome.error).toMatchObject({ code: 'PRODUCER_CLOSED_FORCEFULLY' })
  })
})

describe('Sender events', () => {
  it('reports batches and requests on events$, never one event per record, and runs one pass per burst', async () => {
    fixture = await createSenderFixture({
      cluster: { topics: [{ name: 't', partitions: 1 }] },
      accumulator: { lingerMs: 5 },
    })
    await fixture.clock.advanceAsync(1)
    const passesBefore = fixture.sender.passCount
    fixture.events.length = 0
    const outcomes = Array.from({ length: 500 }, (_, i) => fixture!.send('t', `v${i}`, { partition: 0 }))
    expect(await fixture.runUntilDone(outcomes, 1_000, 1)).toBe(true)
    const types = fixture.events.map((e) => e.type)
    expect(types.filter((t) => t === 'batch-completed').length).toBeLessThan(10)
    expect(types.filter((t) => t === 'request-sent').length).toBe(
      types.filter((t) => t === 'response-received').length,
    )
    expect(fixture.events.length).toBeLessThan(50)
    expect(fixture.sender.passCount - passesBefore).toBeLessThan(20)
    const metrics = fixture.sender.metrics()
    expect(metrics['record-send-total']).toBe(500)
    expect(metrics['requests-in-flight']).toBe(0)
    expect(metrics['request-latency-avg']).toBeGreaterThanOrEqual(0)
  })
})
