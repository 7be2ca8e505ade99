// Acceptance: with the accumulator and protocol but without the producer façade, 1,000,000 records to a
// 6-partition topic on the real single-node broker, each acknowledged exactly once; count and content read
// back with the official Java consumer (ConsoleConsumer through the harness's JSON formatter).
import { consumeWithJava, createTopic } from '@x/kafka-harness'
import { kafkaSingleNode, uniqueTopic } from '@x/kafka-harness/vitest'
import { murmur2, toPositive } from '@x/partitioners'
import { describe, expect, it } from 'vitest'
import { appendRange, createRealStack, Ledger, recordKey, recordValue } from './real-broker-support.js'

const RECORDS = 1_000_000
const PARTITIONS = 6
const encoder = new TextEncoder()
const decoder = new TextDecoder()

describe('sender against a real broker', () => {
  it('delivers 1,000,000 records to 6 partitions, each acknowledged once and read back intact', async () => {
    const kafka = kafkaSingleNode()
    const topic = uniqueTopic('sender-1m')
    await createTopic(kafka, { topic, partitions: PARTITIONS })
    const stack = createRealStack(kafka.bootstrapServers, { acks: 'all' })
    const ledger = new Ledger(RECORDS)
    // Java's keyed placement, so the read-back also checks partitions
    const partitionOf = (id: number) => toPositive(murmur2(encoder.encode(recordKey(id)))) % PARTITIONS
    await stack.metadata.waitOnMetadata(topic, undefined, 30_000, Date.now())

    const started = performance.now()
    await appendRange(stack, topic, ledger, 0, RECORDS, partitionOf)
    await stack.accumulator.flush()
    await ledger.whenAllCompleted()
    const seconds = (performance.now() - started) / 1000
    const metrics = stack.sender.metrics()
    console.log(
      `sender: ${RECORDS} records acknowledged in ${seconds.toFixed(2)} s = ${Math.round(RECORDS / seconds)} records/s ` +
        `(acks=all, batch.size 16384, linger.ms 5, ${metrics['request-total']} requests, ` +
        `request-latency-avg ${metrics['request-latency-avg']!.toFixed(1)} ms, max in flight ${stack.client.maxInFlightRequestsObserved})`,
    )
    await stack.sender.close()

    expect(ledger.errors.size).toBe(0)
    expect(ledger.completions.every((count) => count === 1)).toBe(true)
    expect(stack.client.maxInFlightRequestsObserved).toBeLessThanOrEqual(5)
    expect(stack.pool.availableMemory).toBe(stack.pool.totalMemory)

    const records = await consumeWithJava(kafka.tools, {
      bootstrapServers: kafka.bootstrapServers,
      topic,
      maxRecords: RECORDS,
      idleTimeoutMs: 30_000,
    })
    expect(records).toHaveLength(RECORDS)
    // Checked in a plain loop (one expect per field per record would dominate the run); mismatches are listed.
    const seen = new Uint8Array(RECORDS)
    const mismatches: string[] = []
    for (const record of records) {
      const key = decoder.decode(record.key!)
      const id = Number(key.slice(4))
      const problem =
        !Number.isInteger(id) || id < 0 || id >= RECORDS || key !== recordKey(id)
          ? `unknown key ${key}`
          : decoder.decode(record.value!) !== recordValue(id)
            ? `value of ${key}`
            : record.partition !== partitionOf(id) || record.partition !== ledger.partitions[id]
              ? `partition of ${key}: ${record.partition}`
              : Number(record.offset) !== ledger.offsets[id]
                ? `offset of ${key}: read ${record.offset}, acknowledged ${ledger.offsets[id]}`
                : undefined
      if (problem !== undefined) mismatches.push(problem)
      else seen[id]!++
    }
    expect(mismatches.slice(0, 10)).toEqual([])
    expect(seen.every((count) => count === 1)).toBe(true)
  }, 600_000)
})
