// Happy-path behaviour of the Sender against @x/testkit's embedded cluster (src/testing/sender-fixture.ts),
// whose brokers decode every request with @x/protocol's generated codecs and validate each RecordBatch v2
// (CRC32C, offsets, every record) before appending it.
import { afterEach, describe, expect, it } from 'vitest'
import { createSenderFixture, type SenderFixture } from '../testing/sender-fixture.js'

let fixture: SenderFixture | undefined

afterEach(async () => {
  await fixture?.stop()
  fixture = undefined
})

describe('Sender', () => {
  it('delivers records to their partitions and completes each exactly once with its offset', async () => {
    fixture = await createSenderFixture({
      cluster: { brokers: 2, topics: [{ name: 'orders', partitions: 3 }] },
    })
    const outcomes = Array.from({ length: 30 }, (_, i) =>
      fixture!.send('orders', `v${i}`, { partition: i % 3 }),
    )
    expect(await fixture.runUntilDone(outcomes)).toBe(true)
    for (const [i, outcome] of outcomes.entries()) {
      expect(outcome).toMatchObject({ completions: 1, error: undefined, partition: i % 3 })
      expect(outcome.offset).toBe(BigInt(Math.floor(i / 3)))
    }
    for (let partition = 0; partition < 3; partition++) {
      const values = fixture.cluster
        .records('orders', partition)
        .map((r) => new TextDecoder().decode(r.value!))
      expect(values).toEqual(Array.from({ length: 10 }, (_, k) => `v${k * 3 + partition}`))
    }
  })

  it('sends one Produce request per node per pass, at the highest version both sides speak', async () => {
    fixture = await createSenderFixture({
      cluster: {
        brokers: 2,
        apiVersions: {
          Produce: { min: 3, max: 9 },
          Metadata: { min: 0, max: 12 },
          ApiVersions: { min: 0, max: 4 },
        },
        topics: [{ name: 'orders', partitions: 4 }],
      },
    })
    const outcomes = Array.from({ length: 4 }, (_, i) => fixture!.send('orders', `v${i}`, { partition: i }))
    expect(await fixture.runUntilDone(outcomes)).toBe(true)
    const produces = fixture.cluster.requestLog.entries({ api: 'Produce' })
    expect(produces.map((r) => r.apiVersion)).toEqual([9, 9])
    expect(produces.map((r) => r.brokerId).sort()).toEqual([1, 2])
  })
})
