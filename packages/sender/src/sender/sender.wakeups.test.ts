// The Sender's wake-ups on their own, with no other event to rescue a lost one: a lingering batch must go out
// when linger.ms passes (the deadline timer alone), and batches queued behind a full in-flight window must go
// out when a response frees a slot (the response alone). Against @x/testkit's embedded cluster on a manual
// clock (src/testing/sender-fixture.ts), so "nothing else happens" is exact: time moves only when told to.
import { afterEach, describe, expect, it } from 'vitest'
import { createSenderFixture, type SenderFixture } from '../testing/sender-fixture.js'

let fixture: SenderFixture | undefined

afterEach(async () => {
  await fixture?.stop()
  fixture = undefined
})

const produceRequests = (f: SenderFixture) => f.cluster.requestLog.entries({ api: 'Produce' }).length

describe('Sender wake-ups', () => {
  it('sends a batch that never fills exactly when linger.ms has passed since it was created', async () => {
    fixture = await createSenderFixture({
      cluster: { topics: [{ name: 't', partitions: 2 }] },
      accumulator: { lingerMs: 5 },
    })
    await fixture.clock.advanceAsync(0) // metadata and connection first
    const first = fixture.send('t', 'a', { partition: 0 })
    await fixture.clock.advanceAsync(3)
    // A second record into the same batch does not move its deadline (it counts from the batch's creation).
    const second = fixture.send('t', 'b', { partition: 0 })
    await fixture.clock.advanceAsync(1)
    expect(produceRequests(fixture)).toBe(0)
    await fixture.clock.advanceAsync(1)
    expect(produceRequests(fixture)).toBe(1)
    await fixture.clock.advanceAsync(0)
    expect([first, second].map((o) => o.offset)).toEqual([0n, 1n])
  })

  it('keeps the earlier deadline armed and arms the next one when it fires', async () => {
    // Two leaders, so draining partition 0's node does not take partition 1's batch along (Java drains
    // every partition of a ready node, lingering or not).
    fixture = await createSenderFixture({
      cluster: { brokers: 2, topics: [{ name: 't', partitions: 2 }] },
      accumulator: { lingerMs: 5 },
    })
    await fixture.clock.advanceAsync(0)
    const leaders = fixture.cluster.topic('t')!.partitions.map((p) => p.leader)
    expect(new Set(leaders).size).toBe(2)
    const outcomes = [fixture.send('t', 'a', { partition: 0 })]
    await fixture.clock.advanceAsync(2)
    outcomes.push(fixture.send('t', 'b', { partition: 1 }))
    // partition 0 is due at +5, partition 1 at +7: the timer armed for +5 must not be replaced by +7,
    // and the pass at +5 must arm +7 for the other one.
    await fixture.clock.advanceAsync(3)
    expect(outcomes[0]!.done).toBe(true)
    expect(outcomes[1]!.done).toBe(false)
    await fixture.clock.advanceAsync(1)
    expect(outcomes[1]!.done).toBe(false)
    await fixture.clock.advanceAsync(1)
    expect(outcomes.map((o) => o.error)).toEqual([undefined, undefined])
    expect(outcomes[1]!.done).toBe(true)
  })

  it('sends full batches queued behind a full in-flight window as soon as a response frees a slot', async () => {
    fixture = await createSenderFixture({
      cluster: { brokers: 1, topics: [{ name: 't', partitions: 4 }] },
      sender: { maxInFlightRequestsPerConnection: 2 },
      accumulator: { batchSize: 1024, lingerMs: 1_000_000 },
    })
    await fixture.clock.advanceAsync(0)
    const held = fixture.cluster.faults.hold({ api: 'Produce', count: 100 })
    // 4 partitions × 4 full batches (lingerMs is far away: only fullness and responses make them sendable)
    const outcomes = Array.from({ length: 4 * 4 * 14 }, (_, i) =>
      fixture!.send('t', `record-${i}`.padEnd(60, '-'), { partition: i % 4 }),
    )
    await fixture.clock.advanceAsync(0)
    expect(fixture.client.inFlightRequestCount(1)).toBe(2)
    const sentBefore = produceRequests(fixture)
    // One response, and no time passes: the freed slot must be used at once.
    held.release(0)
    await fixture.clock.advanceAsync(0)
    expect(produceRequests(fixture)).toBe(sentBefore + 1)
    expect(fixture.client.inFlightRequestCount(1)).toBe(2)
    // Responses alone (still no time passing) carry every queued full batch out; what stays is each
    // partition's last batch, not full, lingering.
    for (let next = 1; next < held.responses.length; next++) {
      held.release(next)
      await fixture.clock.advanceAsync(0)
    }
    expect(held.pending).toBe(0)
    expect(fixture.client.inFlightRequestCount(1)).toBe(0)
    let lingering = 0
    for (let partition = 0; partition < 4; partition++) {
      const queued = fixture.accumulator.batchesFor('t', partition)
      expect(queued).toHaveLength(1)
      expect(queued[0]!.isFull()).toBe(false)
      lingering += queued[0]!.recordCount
    }
    const done = outcomes.filter((o) => o.done)
    expect(done).toHaveLength(outcomes.length - lingering)
    expect(done.length).toBeGreaterThan(outcomes.length / 2)
    expect(done.every((o) => o.error === undefined)).toBe(true)
  })
})
