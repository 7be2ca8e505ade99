// explain() against what send() then does: a real RecordAccumulator and BufferPool behind the send path, a
// fake metadata and a hand-driven "broker" (send/send-path.test-helper.ts) that drains at random moments, so
// records join open batches, fill them, start new ones, and keyless records switch sticky partitions.
import { RoundRobinPartitioner, StaticClusterView } from '@x/partitioners'
import { describe, expect, it } from 'vitest'
import type { ProducerRecord } from '../record/producer-record.js'
import { harness } from '../send/send-path.test-helper.js'
import { SendExplainer } from './send-explainer.js'

/** A seeded LCG: the 10,000 records are arbitrary but the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

type Snapshot = { last: unknown; count: number; batches: number }[]

function explainerFor(h: ReturnType<typeof harness>) {
  return new SendExplainer({
    config: h.config,
    accumulator: h.accumulator,
    cluster: () => h.metadata.cluster,
    waitsForMetadata: (topic) => h.sendPath.waitsForMetadata(topic),
  })
}

function snapshot(h: ReturnType<typeof harness>, partitions: number): Snapshot {
  return Array.from({ length: partitions }, (_, p) => {
    const batches = h.accumulator.batchesFor('orders', p)
    const last = batches.at(-1)
    return { last, count: last?.recordCount ?? 0, batches: batches.length }
  })
}

/** Which partition the send went to, and whether it joined the batch that was open. */
function whatSendDid(before: Snapshot, after: Snapshot): { partition: number; batch: 'join' | 'new' } {
  for (let p = 0; p < before.length; p++) {
    const b = before[p]!
    const a = after[p]!
    if (a.batches === b.batches + 1) return { partition: p, batch: 'new' }
    if (a.last === b.last && a.count === b.count + 1) return { partition: p, batch: 'join' }
  }
  throw new Error('the send appended nowhere')
}

describe('explain(record)', () => {
  it('agrees with what send() then does over 10,000 random records (partition and batch reuse)', async () => {
    const partitions = 6
    const h = harness(
      { lingerMs: 60_000, batchSize: 4096, bufferMemory: 64 << 20 },
      StaticClusterView.of('orders', partitions, [1, 2, 3]),
    )
    const explainer = explainerFor(h)
    const random = seeded(2026)
    const reasons = new Map<string, number>()
    const outcomes = { join: 0, new: 0, switch: 0 }
    const sent: Promise<unknown>[] = []
    for (let i = 0; i < 10_000; i++) {
      const kind = random()
      const size = random() < 0.02 ? 5000 + Math.floor(random() * 3000) : Math.floor(random() * 1500)
      const record: ProducerRecord<Uint8Array | string, Uint8Array | string> = {
        topic: 'orders',
        value: 'v'.repeat(size),
        timestamp: 1_700_000_000_000 + i,
        ...(kind < 0.25
          ? { partition: Math.floor(random() * partitions) }
          : kind < 0.5
            ? { key: `key-${Math.floor(random() * 500)}` }
            : {}),
      }
      const explanation = explainer.explain(record)
      expect(explanation.blockedBy).toEqual([])
      const before = snapshot(h, partitions)
      sent.push(h.sendPath.send(record, undefined))
      const did = whatSendDid(before, snapshot(h, partitions))
      expect({ i, partition: explanation.partition, batch: explanation.batch }).toEqual({ i, ...did })
      expect(explanation.leader).toBe([1, 2, 3][did.partition % 3])
      reasons.set(explanation.reason, (reasons.get(explanation.reason) ?? 0) + 1)
      outcomes[did.batch]++
      if (explanation.stickySwitch) outcomes.switch++
      if (random() < 0.03) h.respond()
    }
    // A drain takes at most one batch per partition: respond until every batch completed.
    while (h.accumulator.hasIncomplete()) h.respond()
    await Promise.all(sent)
    // The run exercised every branch it claims to check.
    expect([...reasons.keys()].sort()).toEqual(['explicit', 'key-hash', 'sticky'])
    expect(outcomes.join).toBeGreaterThan(1000)
    expect(outcomes.new).toBeGreaterThan(500)
    expect(outcomes.switch).toBeGreaterThan(50)
  })

  it('peeks a partitioner that has peek() without moving it, and agrees with send()', async () => {
    const h = harness(
      { partitioner: new RoundRobinPartitioner(), lingerMs: 60_000 },
      StaticClusterView.of('orders', 3, [1]),
    )
    const explainer = explainerFor(h)
    const sent: Promise<{ partition: number }>[] = []
    const predicted: (number | undefined)[] = []
    for (let i = 0; i < 30; i++) {
      const record = { topic: 'orders', value: `v${i}` }
      const first = explainer.explain(record)
      expect(explainer.explain(record)).toEqual(first) // explaining twice changes nothing
      expect(first.reason).toBe('partitioner')
      predicted.push(first.partition)
      sent.push(h.sendPath.send(record, undefined))
    }
    h.respond()
    expect((await Promise.all(sent)).map((m) => m.partition)).toEqual(predicted)
  })

  it('reports metadata as the blocker for an unknown topic, and memory when the pool cannot serve a new batch', () => {
    const h = harness({ batchSize: 1024, bufferMemory: 2048, lingerMs: 60_000 })
    const explainer = explainerFor(h)
    expect(explainer.explain({ topic: 'unknown', key: 'k', value: 'v' })).toMatchObject({
      partition: undefined,
      reason: 'key-hash',
      blockedBy: ['metadata'],
      batch: undefined,
    })
    h.sendPath.send({ topic: 'orders', partition: 0, value: 'a' }, undefined)
    h.sendPath.send({ topic: 'orders', partition: 1, value: 'b' }, undefined)
    expect(explainer.explain({ topic: 'orders', partition: 0, value: 'c' })).toMatchObject({
      partition: 0,
      reason: 'explicit',
      batch: 'join',
      blockedBy: [],
      newBatchBytes: 0,
    })
    expect(explainer.explain({ topic: 'orders', partition: 2, value: 'c' })).toMatchObject({
      batch: 'new',
      newBatchBytes: 1024,
      blockedBy: ['memory'],
    })
    expect(explainer.explain({ topic: 'orders', value: 'x'.repeat(4096) }).tooLarge).toBe('bufferMemory')
    h.respond()
  })
})
