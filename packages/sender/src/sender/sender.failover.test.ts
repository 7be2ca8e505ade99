// Broker failures, topics appearing late, quotas and authentication, as the sender sees them through
// @x/testkit's embedded cluster (src/testing/sender-fixture.ts) on a hand-stepped clock.
import { afterEach, describe, expect, it } from 'vitest'
import { AuthenticationError } from '../errors/authentication-error.js'
import { createSenderFixture, type SenderFixture } from '../testing/sender-fixture.js'

let fixture: SenderFixture | undefined

afterEach(async () => {
  await fixture?.stop()
  fixture = undefined
})

describe('Sender failover', () => {
  it('moves a partition to its new leader after the old one dies, failing nothing', async () => {
    fixture = await createSenderFixture({
      cluster: {
        brokers: 3,
        topics: [
          {
            name: 't',
            assignments: [
              [1, 2, 3],
              [2, 3, 1],
              [3, 1, 2],
            ],
          },
        ],
      },
      sender: { requestTimeoutMs: 5_000 },
    })
    const first = Array.from({ length: 30 }, (_, i) => fixture!.send('t', `a${i}`, { partition: i % 3 }))
    expect(await fixture.runUntilDone(first)).toBe(true)
    fixture.cluster.faults.hold({ api: 'Produce', broker: 1 })
    const second = Array.from({ length: 30 }, (_, i) => fixture!.send('t', `b${i}`, { partition: i % 3 }))
    await fixture.clock.advanceAsync(5)
    // the in-flight request to node 1 is lost with its connection; no controller election yet
    await fixture.cluster.faults.brokerDown(1, { electLeaders: false })
    await fixture.clock.advanceAsync(1_000)
    fixture.cluster.faults.moveLeader('t', 0, 2, { hint: 'none' }) // the controller elects node 2
    expect(await fixture.runUntilDone(second, 30_000)).toBe(true)
    for (const outcome of second) expect(outcome).toMatchObject({ error: undefined, completions: 1 })
    expect(fixture.metadata.leaderFor('t', 0)).toBe(2)
    const partition0 = fixture.cluster.records('t', 0).map((r) => new TextDecoder().decode(r.value!))
    for (let i = 0; i < 30; i += 3) expect(partition0).toContain(`b${i}`)
  })

  it('waits for a topic created after the first send, then delivers', async () => {
    fixture = await createSenderFixture({ cluster: { brokers: 1, autoCreateTopics: false } })
    const outcome = fixture.send('late', 'x')
    await fixture.clock.advanceAsync(2_000)
    expect(outcome.done).toBe(false)
    fixture.cluster.createTopic({ name: 'late', partitions: 2 })
    expect(await fixture.runUntilDone([outcome], 5_000)).toBe(true)
    expect(outcome).toMatchObject({ error: undefined, offset: 0n })
  })

  it('holds requests to a broker for the throttle_time_ms of its last response (KIP-219)', async () => {
    fixture = await createSenderFixture({ cluster: { topics: [{ name: 't', partitions: 1 }] } })
    fixture.cluster.faults.throttle({ api: 'Produce', throttleTimeMs: 700 })
    const first = fixture.send('t', 'a', { partition: 0 })
    expect(await fixture.runUntilDone([first], 1_000, 1)).toBe(true)
    const answeredAt = fixture.clock.now()
    const second = fixture.send('t', 'b', { partition: 0 })
    expect(await fixture.runUntilDone([second], 5_000, 1)).toBe(true)
    const produces = fixture.cluster.requestLog.entries({ api: 'Produce' })
    expect(produces[1]!.receivedAtMs - answeredAt).toBeGreaterThanOrEqual(699)
    expect(fixture.sender.metrics()['produce-throttle-time-max']).toBe(700)
  })

  it('fails sends fast with AuthenticationError when the broker refuses the credentials', async () => {
    fixture = await createSenderFixture({
      cluster: {
        sasl: { mechanisms: ['SCRAM-SHA-256'], users: { alice: 'right' } },
        topics: [{ name: 't', partitions: 1 }],
      },
      sender: { sasl: { mechanism: 'SCRAM-SHA-256', username: 'alice', password: 'wrong' } },
    })
    const outcome = fixture.send('t', 'x', { partition: 0 })
    expect(await fixture.runUntilDone([outcome], 5_000)).toBe(true)
    expect(AuthenticationError.isInstance(outcome.error)).toBe(true)
    expect(outcome.error).toMatchObject({ retriable: false })
  })
})
