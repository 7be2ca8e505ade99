// Retry, timeout and failover behaviour with faults injected by @x/testkit's embedded cluster
// (src/testing/sender-fixture.ts): broker error codes per partition, slow and never-answered responses,
// connections closed mid-response, leader moves with and without KIP-951 hints, the broker's own checks.
import { ApiError } from '@x/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { NetworkError } from '../errors/network-error.js'
import { TimeoutError } from '../errors/timeout-error.js'
import { createSenderFixture, type SenderFixture } from '../testing/sender-fixture.js'

let fixture: SenderFixture | undefined

afterEach(async () => {
  await fixture?.stop()
  fixture = undefined
})

const text = (bytes: Uint8Array | null) => new TextDecoder().decode(bytes!)
const metadataRequests = (f: SenderFixture) => f.cluster.requestLog.entries({ api: 'Metadata' }).length

describe('Sender retries', () => {
  it('retries NOT_LEADER_OR_FOLLOWER on the new leader after refreshing metadata', async () => {
    fixture = await createSenderFixture({
      cluster: { brokers: 2, topics: [{ name: 't', assignments: [[1, 2]] }] },
    })
    const first = fixture.send('t', 'a', { partition: 0 })
    expect(await fixture.runUntilDone([first])).toBe(true)
    fixture.cluster.faults.moveLeader('t', 0, 2, { hint: 'none' })
    const metadataBefore = metadataRequests(fixture)
    const second = fixture.send('t', 'b', { partition: 0 })
    expect(await fixture.runUntilDone([second])).toBe(true)
    expect(second).toMatchObject({ completions: 1, error: undefined, offset: 1n })
    const produces = fixture.cluster.requestLog.entries({ api: 'Produce' }).map((r) => r.brokerId)
    expect(produces).toEqual([1, 1, 2])
    expect(metadataRequests(fixture)).toBeGreaterThan(metadataBefore)
    expect(fixture.events.some((e) => e.type === 'batch-retried')).toBe(true)
  })

  it('follows a KIP-951 new-leader hint at once, without waiting for metadata or backing off', async () => {
    fixture = await createSenderFixture({
      cluster: { brokers: 2, topics: [{ name: 't', assignments: [[1, 2]] }] },
      accumulator: { retryBackoffMs: 5_000, retryBackoffMaxMs: 5_000 },
    })
    const first = fixture.send('t', 'a', { partition: 0 })
    expect(await fixture.runUntilDone([first])).toBe(true)
    fixture.cluster.faults.moveLeader('t', 0, 2) // NOT_LEADER_OR_FOLLOWER names the new leader
    fixture.cluster.faults.hold({ api: 'Metadata', count: 100 }) // no metadata answers from now on
    const start = fixture.clock.now()
    const second = fixture.send('t', 'b', { partition: 0 })
    expect(await fixture.runUntilDone([second], 1_000)).toBe(true)
    expect(second).toMatchObject({ error: undefined, offset: 1n })
    expect(fixture.clock.now() - start).toBeLessThan(5_000)
    expect(fixture.metadata.leaderFor('t', 0)).toBe(2)
    expect(fixture.metadata.leaderEpochFor('t', 0)).toBe(1)
    const updates = fixture.events.filter((e) => e.type === 'metadata-updated').map((e) => e.update.source)
    expect(updates).toContain('leader-hint')
  })

  it('retries REQUEST_TIMED_OUT with exponential backoff within the jitter bounds, then succeeds', async () => {
    fixture = await createSenderFixture({
      cluster: { topics: [{ name: 't', partitions: 1 }] },
      accumulator: { retryBackoffMs: 100, retryBackoffMaxMs: 1000 },
    })
    fixture.cluster.faults.injectError({
      api: 'Produce',
      topic: 't',
      partition: 0,
      error: 'REQUEST_TIMED_OUT',
      count: 4,
    })
    const outcome = fixture.send('t', 'x', { partition: 0 })
    expect(await fixture.runUntilDone([outcome], 10_000, 1)).toBe(true)
    expect(outcome).toMatchObject({ error: undefined, offset: 0n, completions: 1 })
    const times = fixture.cluster.requestLog.entries({ api: 'Produce' }).map((r) => r.receivedAtMs)
    expect(times).toHaveLength(5)
    const gaps = times.slice(1).map((t, i) => t - times[i]!)
    // random() is pinned to 0.5: no jitter, so exactly 100, 200, 400, 800 ms (Java's ExponentialBackoff).
    expect(gaps).toEqual([100, 200, 400, 800])
    expect(fixture.sender.metrics()['record-retry-total']).toBe(4)
  })

  it('retries a NETWORK_EXCEPTION error code from the broker', async () => {
    fixture = await createSenderFixture({ cluster: { topics: [{ name: 't', partitions: 1 }] } })
    fixture.cluster.faults.injectError({
      api: 'Produce',
      topic: 't',
      partition: 0,
      error: 'NETWORK_EXCEPTION',
      count: 2,
    })
    const outcome = fixture.send('t', 'x', { partition: 0 })
    expect(await fixture.runUntilDone([outcome])).toBe(true)
    expect(outcome).toMatchObject({ error: undefined, offset: 0n })
    expect(fixture.cluster.requestLog.entries({ api: 'Produce' })).toHaveLength(3)
  })

  it('closes the connection on a response slower than request.timeout.ms and retries on a new one', async () => {
    fixture = await createSenderFixture({
      cluster: { topics: [{ name: 't', partitions: 1 }] },
      sender: { requestTimeoutMs: 1_000 },
    })
    fixture.cluster.faults.latency({ api: 'Produce', ms: 5_000, count: 1 })
    const outcome = fixture.send('t', 'x', { partition: 0 })
    expect(await fixture.runUntilDone([outcome], 10_000)).toBe(true)
    expect(outcome).toMatchObject({ error: undefined, completions: 1 })
    const produces = fixture.cluster.requestLog.entries({ api: 'Produce' })
    expect(produces).toHaveLength(2)
    expect(produces[1]!.connectionId).not.toBe(produces[0]!.connectionId)
    // the slow broker appended the first attempt too: without idempotence a retry may duplicate
    expect(fixture.cluster.records('t', 0).map((r) => text(r.value))).toEqual(['x', 'x'])
    const timedOut = fixture.events.find((e) => e.type === 'response-received' && e.error !== undefined)
    expect(timedOut).toMatchObject({ error: { timeout: 'request.timeout.ms' } })
    expect(TimeoutError.isInstance((timedOut as { error: unknown }).error)).toBe(true)
  })

  it('retries the batches of a connection dropped in the middle of a response', async () => {
    fixture = await createSenderFixture({ cluster: { topics: [{ name: 't', partitions: 2 }] } })
    fixture.cluster.faults.disconnect({ api: 'Produce', when: 'mid-response' })
    const outcomes = [fixture.send('t', 'a', { partition: 0 }), fixture.send('t', 'b', { partition: 1 })]
    expect(await fixture.runUntilDone(outcomes)).toBe(true)
    for (const outcome of outcomes) expect(outcome).toMatchObject({ error: undefined, completions: 1 })
    const failed = fixture.events.find((e) => e.type === 'response-received' && e.error !== undefined)
    expect(NetworkError.isInstance((failed as { error: unknown }).error)).toBe(true)
  })

  it('fails a batch with a typed error once retries are exhausted', async () => {
    fixture = await createSenderFixture({
      cluster: { topics: [{ name: 't', partitions: 1 }] },
      sender: { retries: 2 },
    })
    fixture.cluster.faults.injectError({
      api: 'Produce',
      topic: 't',
      partition: 0,
      error: 'NOT_ENOUGH_REPLICAS',
      count: 10,
    })
    const outcome = fixture.send('t', 'x', { partition: 0 })
    expect(await fixture.runUntilDone([outcome])).toBe(true)
    expect(fixture.cluster.requestLog.entries({ api: 'Produce' })).toHaveLength(3)
    expect(ApiError.isInstance(outcome.error)).toBe(true)
    expect(outcome.error).toMatchObject({ code: 'NOT_ENOUGH_REPLICAS', retriable: true })
    expect(fixture.sender.metrics()['record-error-total']).toBe(1)
  })

  it('fails at once on a non-retriable error, with the broker-named record getting its own error (KIP-467)', async () => {
    fixture = await createSenderFixture({
      cluster: { topics: [{ name: 't', partitions: 1 }] },
      accumulator: { lingerMs: 10 },
    })
    // the broker refuses record 1 alone: its timestamp is past message.timestamp.after.max.ms (1 h)
    const now = fixture.clock.now()
    const outcomes = [0, 1, 2].map((i) =>
      fixture!.send('t', `v${i}`, { partition: 0, timestamp: i === 1 ? now + 2 * 3_600_000 : now }),
    )
    expect(await fixture.runUntilDone(outcomes)).toBe(true)
    expect(fixture.cluster.requestLog.entries({ api: 'Produce' })).toHaveLength(1)
    expect(outcomes[1]!.error).toMatchObject({ code: 'INVALID_TIMESTAMP' })
    expect(outcomes[1]!.error!.message).toContain('of message with offset 1 is out of range')
    expect(outcomes[0]!.error).toMatchObject({ code: 'RECORD_IN_INVALID_BATCH' })
    expect(outcomes[2]!.error).toMatchObject({ code: 'RECORD_IN_INVALID_BATCH' })
  })

  it('names the topic when the producer is not authorized for it', async () => {
    fixture = await createSenderFixture({ cluster: { topics: [{ name: 't', partitions: 1 }] } })
    fixture.cluster.faults.injectError({
      api: 'Produce',
      topic: 't',
      partition: 0,
      error: 'TOPIC_AUTHORIZATION_FAILED',
    })
    const outcome = fixture.send('t', 'x', { partition: 0 })
    expect(await fixture.runUntilDone([outcome])).toBe(true)
    expect(outcome.error).toMatchObject({ code: 'TOPIC_AUTHORIZATION_FAILED', retriable: false })
    expect(outcome.error!.message).toContain('[t]')
  })

  it('splits a multi-record batch rejected with MESSAGE_TOO_LARGE without spending a retry', async () => {
    fixture = await createSenderFixture({
      cluster: { topics: [{ name: 't', partitions: 1 }] },
      sender: { retries: 0 },
      accumulator: { batchSize: 4096, lingerMs: 50 },
    })
    fixture.cluster.faults.injectError({
      api: 'Produce',
      topic: 't',
      partition: 0,
      error: 'MESSAGE_TOO_LARGE',
    })
    const outcomes = Array.from({ length: 40 }, (_, i) => fixture!.send('t', `value-${i}`, { partition: 0 }))
    expect(await fixture.runUntilDone(outcomes)).toBe(true)
    for (const outcome of outcomes) expect(outcome).toMatchObject({ error: undefined, completions: 1 })
    expect(fixture.cluster.records('t', 0).map((r) => text(r.value))).toEqual(
      Array.from({ length: 40 }, (_, i) => `value-${i}`),
    )
    // The rejected batch fits batch.size, so a batch.size split would rebuild it whole: it is halved.
    expect(fixture.cluster.requestLog.entries({ api: 'Produce' })).toHaveLength(3)
    expect(fixture.events.filter((e) => e.type === 'batch-split')).toMatchObject([{ into: 2 }])
    expect(fixture.sender.metrics()['batch-split-total']).toBe(1)
    expect(fixture.pool.availableMemory).toBe(fixture.pool.totalMemory)
  })

  it('fails a single record that is too large on its own with MESSAGE_TOO_LARGE', async () => {
    fixture = await createSenderFixture({
      cluster: { topics: [{ name: 't', partitions: 1, configs: { 'max.message.bytes': '200' } }] },
    })
    const outcome = fixture.send('t', 'x'.repeat(500), { partition: 0 })
    expect(await fixture.runUntilDone([outcome])).toBe(true)
    expect(outcome.error).toMatchObject({ code: 'MESSAGE_TOO_LARGE', retriable: false })
  })
})
