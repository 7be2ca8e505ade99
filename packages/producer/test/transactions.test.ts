// Transactions on the run's real Apache Kafka (vitest project `kafka`), checked with the official Java
// consumer in read_committed mode: committed records are seen, aborted ones never; a second producer with the
// same transactionalId fences the first (ProducerFencedError); a transaction left open by a producer process
// that was SIGKILLed is aborted by the next initTransactions(). Tagged `compat`: also runs on Kafka 3.9.
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type ConsumedRecord, consumeWithJava, createTopic, type KafkaCluster } from '@x/kafka-harness'
import { kafkaSingleNode, uniqueTopic } from '@x/kafka-harness/vitest'
import { KafkaProducer, ProducerFencedError } from '@x/producer'
import { describe, expect, it } from 'vitest'

const here = dirname(fileURLToPath(import.meta.url))
const text = (bytes: Uint8Array | null) => (bytes === null ? null : Buffer.from(bytes).toString('utf8'))

async function read(
  node: KafkaCluster,
  topic: string,
  isolationLevel: 'read_committed' | 'read_uncommitted',
  expected: number,
): Promise<string[]> {
  const records: ConsumedRecord[] = await consumeWithJava(node.tools, {
    bootstrapServers: node.bootstrapServers,
    topic,
    isolationLevel,
    maxRecords: expected,
    idleTimeoutMs: 15_000,
  })
  return records
    .sort((a, b) => a.partition - b.partition || Number(a.offset - b.offset))
    .map((record) => text(record.value)!)
}

const range = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`)

describe('transactions on a real broker', { tags: ['compat'] }, () => {
  it('shows read_committed consumers the committed transactions only', async () => {
    const node = kafkaSingleNode()
    const topic = uniqueTopic('txn')
    await createTopic(node, { topic, partitions: 1 })
    const producer = new KafkaProducer({
      bootstrapServers: node.bootstrapServers,
      transactionalId: uniqueTopic('tx'),
    })
    await producer.initTransactions()

    producer.beginTransaction()
    const first = range('committed', 100).map((value) => producer.send({ topic, partition: 0, value }))
    await producer.commitTransaction()
    await Promise.all(first)

    producer.beginTransaction()
    const aborted = range('aborted', 100).map((value) => producer.send({ topic, partition: 0, value }))
    await producer.flush() // written to the log before the abort
    await Promise.all(aborted)
    await producer.abortTransaction()

    producer.beginTransaction()
    for (const value of range('after', 50)) producer.send({ topic, partition: 0, value })
    await producer.commitTransaction()
    await producer.close()

    expect(await read(node, topic, 'read_committed', 150)).toEqual([
      ...range('committed', 100),
      ...range('after', 50),
    ])
    // The aborted records are in the log: a read_uncommitted consumer sees them.
    const uncommitted = await read(node, topic, 'read_uncommitted', 250)
    expect(uncommitted.filter((value) => value.startsWith('aborted'))).toEqual(range('aborted', 100))
  })

  it('fences the older of two producers with one transactionalId: its commit fails with ProducerFencedError', async () => {
    const node = kafkaSingleNode()
    const topic = uniqueTopic('fenced')
    await createTopic(node, { topic, partitions: 1 })
    const transactionalId = uniqueTopic('tx')
    const older = new KafkaProducer({ bootstrapServers: node.bootstrapServers, transactionalId })
    await older.initTransactions()
    older.beginTransaction()
    await older.send({ topic, partition: 0, value: 'from-the-older' })

    const newer = new KafkaProducer({ bootstrapServers: node.bootstrapServers, transactionalId })
    await newer.initTransactions() // bumps the epoch, aborting the older one's transaction
    const error = await older.commitTransaction().then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(ProducerFencedError.isInstance(error)).toBe(true)
    expect((error as Error).message).toContain(transactionalId)
    expect(() => older.beginTransaction()).toThrow(error as Error)
    await older.close() // still resolves after the fatal error

    newer.beginTransaction()
    await newer.send({ topic, partition: 0, value: 'from-the-newer' })
    await newer.commitTransaction()
    await newer.close()
    expect(await read(node, topic, 'read_committed', 1)).toEqual(['from-the-newer'])
  })

  it('aborts the open transaction of a producer process that was SIGKILLed when the next one initializes', async () => {
    const node = kafkaSingleNode()
    const topic = uniqueTopic('killed')
    await createTopic(node, { topic, partitions: 1 })
    const transactionalId = uniqueTopic('tx')
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(here, 'fixtures', 'open-transaction-child.ts'),
        node.bootstrapServers,
        transactionalId,
        topic,
        '20',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, TSX_TSCONFIG_PATH: join(here, '..', 'tsconfig.json') },
      },
    )
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('OPEN')) resolve()
      })
      child.on('exit', (code) =>
        reject(new Error(`the child exited (${code}) before opening its transaction: ${stderr}`)),
      )
    })
    const exited = new Promise((resolve) => child.on('exit', resolve))
    child.kill('SIGKILL')
    await exited

    const next = new KafkaProducer({ bootstrapServers: node.bootstrapServers, transactionalId })
    await next.initTransactions()
    next.beginTransaction()
    for (const value of range('next', 5)) next.send({ topic, partition: 0, value })
    await next.commitTransaction()
    await next.close()

    // The killed producer's records were written, and aborted: read_committed gets past them at once.
    expect(await read(node, topic, 'read_committed', 5)).toEqual(range('next', 5))
    const uncommitted = await read(node, topic, 'read_uncommitted', 25)
    expect(uncommitted.filter((value) => value.startsWith('left-open'))).toEqual(range('left-open', 20))
  })
})
