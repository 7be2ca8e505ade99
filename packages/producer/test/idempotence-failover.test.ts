// Acceptance of idempotence (on by default) on the real 3-node cluster: sequence-numbered records stream to
// 3 partitions (replication factor 3, min.insync.replicas 2) while the leader of partition 0 is SIGKILLed
// (3 s in), restarted (6 s later), and the stream goes on until it has taken its leadership back (preferred
// leader election). Read back with the official Java consumer, every partition holds each record exactly once
// and in send order: zero duplicates, zero losses, order kept. Tagged `compat`: also runs on Kafka 3.9.
import { consumeWithJava, createTopic, leaderOf } from '@x/kafka-harness'
import { kafkaCluster, uniqueTopic } from '@x/kafka-harness/vitest'
import { KafkaProducer, type SendResult } from '@x/producer'
import { afterEach, describe, expect, it } from 'vitest'

const PARTITIONS = 3
const CHUNK = 600
const PAUSE_MS = 100
const KILL_AFTER_MS = 3_000
const RESTART_AFTER_MS = 9_000
/** How long the stream goes on once the killed broker is back, past a preferred leader election (5 s). */
const AFTER_RESTART_MS = 10_000

describe('the idempotent producer on the 3-node cluster', { tags: ['compat'] }, () => {
  afterEach(async () => {
    await kafkaCluster().ensureHealthy()
  })

  it('writes every record once and in order while a partition leader is killed and restarted', async () => {
    const cluster = kafkaCluster()
    const topic = uniqueTopic('idempotent-failover')
    await createTopic(cluster, { topic, partitions: PARTITIONS, replicationFactor: 3 })
    const producer = new KafkaProducer({ bootstrapServers: cluster.bootstrapServers, lingerMs: 5 })
    const retries: number[] = []
    producer.events$.subscribe((event) => {
      if (event.type === 'batch-retried') retries.push(event.batch.partition)
    })
    expect(producer.config.enableIdempotence).toBe(true)
    const victim = await leaderOf(cluster, topic, 0)

    const pending: Promise<SendResult[]>[] = []
    const nextSequence = new Array<number>(PARTITIONS).fill(0)
    const started = Date.now()
    let killing: Promise<void> | undefined
    let restarting: Promise<void> | undefined
    let restartedAt: number | undefined
    let sent = 0
    while (restartedAt === undefined || Date.now() - restartedAt < AFTER_RESTART_MS) {
      const elapsed = Date.now() - started
      if (elapsed >= KILL_AFTER_MS && killing === undefined) killing = cluster.kill(victim)
      if (elapsed >= RESTART_AFTER_MS && restarting === undefined) {
        await killing
        restarting = cluster.restart(victim).then(() => {
          restartedAt = Date.now()
        })
      }
      const records = []
      for (let i = 0; i < CHUNK; i++, sent++) {
        const partition = sent % PARTITIONS
        records.push({ topic, partition, value: `${partition}:${nextSequence[partition]!++}` })
      }
      pending.push(producer.sendBatch(records))
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS))
    }
    await producer.flush()
    const results = (await Promise.all(pending)).flat()
    const failures = results.filter((result) => result.status === 'rejected')
    expect(failures.slice(0, 3)).toEqual([])
    expect(results).toHaveLength(sent)
    // The fault really hit the stream: batches were retried.
    expect(retries.length).toBeGreaterThan(0)
    console.log(
      `idempotent failover: ${sent} records; leader ${victim} of ${topic}-0 killed and restarted, now ` +
        `${await leaderOf(cluster, topic, 0)}; ${retries.length} batch retries, ` +
        `record-retry-total ${producer.metrics()['record-retry-total']}`,
    )
    await producer.close()

    await cluster.ensureHealthy()
    const records = await consumeWithJava(cluster.tools, {
      bootstrapServers: cluster.bootstrapServers,
      topic,
      maxRecords: sent + 1, // reads until idle: a duplicate would show up as an extra record
      idleTimeoutMs: 20_000,
    })
    expect(records).toHaveLength(sent)
    const byPartition: number[][] = Array.from({ length: PARTITIONS }, () => [])
    for (const record of [...records].sort((a, b) => Number(a.offset - b.offset))) {
      const [partition, sequence] = Buffer.from(record.value!).toString('utf8').split(':').map(Number)
      expect(partition).toBe(record.partition)
      byPartition[record.partition]!.push(sequence!)
    }
    for (let partition = 0; partition < PARTITIONS; partition++) {
      const sequences = byPartition[partition]!
      // Exactly 0, 1, 2, … in offset order: no loss, no duplicate, no reordering.
      const firstWrong = sequences.findIndex((sequence, index) => sequence !== index)
      expect({ partition, firstWrong, count: sequences.length }).toEqual({
        partition,
        firstWrong: -1,
        count: nextSequence[partition],
      })
    }
  }, 600_000)
})
