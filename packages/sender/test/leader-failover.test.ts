// Acceptance on the real 3-node cluster (acks=all): SIGKILL the leader of a partition mid-stream; nothing is
// lost, records complete after the metadata refresh, none fails (delivery.timeout.ms is never reached). Without
// idempotence a retry may duplicate a record, so the read-back checks "at least once".
import { consumeWithJava, createTopic, leaderOf } from '@x/kafka-harness'
import { kafkaCluster, uniqueTopic } from '@x/kafka-harness/vitest'
import { afterEach, describe, expect, it } from 'vitest'
import { appendRange, createRealStack, Ledger, recordKey, recordValue } from './real-broker-support.js'

const RECORDS = 150_000
const CHUNK = 1_500
const PARTITIONS = 3
const decoder = new TextDecoder()

describe('sender against the 3-node cluster', () => {
  afterEach(async () => {
    await kafkaCluster().ensureHealthy()
  })

  it('loses nothing when the leader of a partition is killed mid-stream', async () => {
    const cluster = kafkaCluster()
    const topic = uniqueTopic('sender-failover')
    await createTopic(cluster, { topic, partitions: PARTITIONS, replicationFactor: 3 })
    const stack = createRealStack(cluster.bootstrapServers, { acks: 'all' })
    const retried: number[] = []
    stack.sender.events$.subscribe((event) => {
      if (event.type === 'batch-retried') retried.push(event.batch.partition)
    })
    await stack.metadata.waitOnMetadata(topic, undefined, 30_000, Date.now())
    const victim = await leaderOf(cluster, topic, 0)
    expect(stack.metadata.leaderFor(topic, 0)).toBe(victim)
    const ledger = new Ledger(RECORDS)

    let killing: Promise<void> | undefined
    for (let from = 0; from < RECORDS; from += CHUNK) {
      if (from >= RECORDS / 3 && killing === undefined) killing = cluster.kill(victim) // mid-stream, not awaited
      await appendRange(stack, topic, ledger, from, Math.min(from + CHUNK, RECORDS), (id) => id % PARTITIONS)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    await killing
    await stack.accumulator.flush()
    await ledger.whenAllCompleted()

    expect([...ledger.errors.values()].slice(0, 3)).toEqual([])
    expect(ledger.completions.every((count) => count === 1)).toBe(true)
    expect(stack.metadata.leaderFor(topic, 0)).not.toBe(victim)
    expect(retried.length).toBeGreaterThan(0)
    expect(stack.client.maxInFlightRequestsObserved).toBeLessThanOrEqual(5)
    console.log(
      `failover: leader ${victim} of ${topic}-0 killed; ${retried.length} batch retries; ` +
        `new leader ${stack.metadata.leaderFor(topic, 0)}; record-retry-total ${stack.sender.metrics()['record-retry-total']}`,
    )
    await stack.sender.close()
    expect(stack.pool.availableMemory).toBe(stack.pool.totalMemory)

    await cluster.ensureHealthy()
    const records = await consumeWithJava(cluster.tools, {
      bootstrapServers: cluster.bootstrapServers,
      topic,
      idleTimeoutMs: 20_000,
    })
    const seen = new Uint32Array(RECORDS)
    let foreign = 0
    for (const record of records) {
      const key = decoder.decode(record.key!)
      const id = Number(key.slice(4))
      if (
        key !== recordKey(id) ||
        decoder.decode(record.value!) !== recordValue(id) ||
        record.partition !== id % PARTITIONS
      )
        foreign++
      else seen[id]!++
    }
    expect(foreign).toBe(0)
    const missing = [...seen.keys()].filter((id) => seen[id] === 0)
    expect(missing.slice(0, 10)).toEqual([])
    console.log(
      `failover: read back ${records.length} records for ${RECORDS} sent (${records.length - RECORDS} duplicates from retries)`,
    )
  }, 600_000)
})
