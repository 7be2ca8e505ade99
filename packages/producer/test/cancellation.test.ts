// Per-send cancellation against the run's real Apache Kafka broker (vitest project `kafka`; tools/kafka-harness
// starts it), read back with the official Java consumer. A GatedTransport (TCP underneath) holds the bytes the
// broker sends back while the gate is shut, so a Produce request is provably on the wire — written, its
// response not yet read — when the test aborts.
import { consumeWithJava, createTopic, type KafkaCluster } from '@x/kafka-harness'
import { kafkaSingleNode, uniqueTopic } from '@x/kafka-harness/vitest'
import {
  FlushAbortedError,
  KafkaProducer,
  type KafkaProducerOptions,
  MaybeWrittenError,
  NotWrittenError,
} from '@x/producer'
import { TcpTransport, type Transport, type TransportConnectOptions, type TransportSocket } from '@x/sender'
import { describe, expect, it } from 'vitest'

/** Holds incoming bytes while shut; counts writes, so a test knows a request left. */
class GatedTransport implements Transport {
  writes = 0
  private shut = false
  private readonly held: (() => void)[] = []
  private readonly inner = new TcpTransport()

  async connect(options: TransportConnectOptions): Promise<TransportSocket> {
    const socket = await this.inner.connect(options)
    return {
      write: (chunks, onWritten) => {
        this.writes++
        socket.write(chunks, onWritten)
      },
      onData: (listener) =>
        socket.onData((chunk) => {
          if (this.shut) this.held.push(() => listener(chunk))
          else listener(chunk)
        }),
      onClose: (listener) => socket.onClose(listener),
      close: () => socket.close(),
    }
  }

  shutGate(): void {
    this.shut = true
  }

  openGate(): void {
    this.shut = false
    for (const deliver of this.held.splice(0)) deliver()
  }

  /** Resolves once a write happened after `since` writes. */
  async writtenAfter(since: number): Promise<void> {
    while (this.writes <= since) await new Promise((resolve) => setTimeout(resolve, 1))
  }
}

const text = (bytes: Uint8Array | null) => (bytes === null ? null : Buffer.from(bytes).toString('utf8'))
const settle = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: unknown) =>
      NotWrittenError.isInstance(error)
        ? 'not-written'
        : MaybeWrittenError.isInstance(error)
          ? 'maybe'
          : 'other',
  )

function producer(
  node: KafkaCluster,
  transport: Transport,
  options: KafkaProducerOptions = {},
): KafkaProducer {
  return new KafkaProducer({ bootstrapServers: node.bootstrapServers, transport, ...options })
}

describe('send(record, { signal }) on a real broker', () => {
  it('idempotent: not-written records never reach the log, maybe-written ones do, no duplicate or gap', async () => {
    const node = kafkaSingleNode()
    const topic = uniqueTopic('cancel')
    await createTopic(node, { topic, partitions: 1 })
    const transport = new GatedTransport()
    const p = producer(node, transport, { lingerMs: 60_000 })
    expect(p.config.enableIdempotence).toBe(true)
    // The producer id (InitProducerId) and connections are in place before any answer is held.
    const warmUp = p.send({ topic, value: 'warm-up' })
    await p.flush() // lingerMs is long: flush sends it now
    await warmUp
    const controllers = Array.from({ length: 90 }, () => new AbortController())
    const outcomes: Promise<string>[] = []
    const send = (i: number) =>
      outcomes.push(
        settle(p.send({ topic, key: `k${i % 4}`, value: `v${i}` }, { signal: controllers[i]!.signal })),
      )
    // Round 1 in the open batch: every 3rd cancelled there.
    for (let i = 0; i < 30; i++) send(i)
    for (let i = 0; i < 30; i += 3) controllers[i]!.abort()
    // Drain it while the broker's answers are held: the request is written, its response unread.
    transport.shutGate()
    const before = transport.writes
    const flushing = p.flush()
    await transport.writtenAfter(before)
    for (let i = 1; i < 30; i += 3) controllers[i]!.abort()
    // Round 2 behind it, in a new open batch: every 2nd cancelled there.
    for (let i = 30; i < 60; i++) send(i)
    for (let i = 30; i < 60; i += 2) controllers[i]!.abort()
    transport.openGate()
    await flushing
    // Round 3: one already aborted signal, the rest sent normally.
    controllers[60]!.abort()
    for (let i = 60; i < 90; i++) send(i)
    await p.flush()
    const results = await Promise.all(outcomes)
    await p.close()
    const expected = [
      'warm-up',
      ...results.flatMap((result, i) => (result === 'not-written' ? [] : [`v${i}`])),
    ]
    expect(results.filter((r) => r === 'not-written')).toHaveLength(10 + 15 + 1)
    expect(results.filter((r) => r === 'maybe')).toHaveLength(10)
    expect(results.filter((r) => r === 'other')).toHaveLength(0)
    const read = await consumeWithJava(node.tools, {
      bootstrapServers: node.bootstrapServers,
      topic,
      maxRecords: expected.length,
      idleTimeoutMs: 20_000,
    })
    // One partition: the log order is the send order; offsets have no gap.
    expect(read.map((record) => text(record.value))).toEqual(expected)
    expect(read.map((record) => Number(record.offset))).toEqual(expected.map((_, i) => i))
  })

  it('flush({ signal }) rejects when aborted while the records keep going', async () => {
    const node = kafkaSingleNode()
    const topic = uniqueTopic('cancel-flush')
    await createTopic(node, { topic, partitions: 1 })
    const transport = new GatedTransport()
    const p = producer(node, transport, { lingerMs: 0 })
    await p.partitionsFor(topic)
    transport.shutGate()
    const before = transport.writes
    const sent = p.send({ topic, value: 'v' })
    await transport.writtenAfter(before)
    const controller = new AbortController()
    const flushing = p.flush({ signal: controller.signal })
    controller.abort()
    await expect(flushing).rejects.toBeInstanceOf(FlushAbortedError)
    transport.openGate()
    expect((await sent).offset).toBe(0n)
    await p.close()
  })

  it('drops a send still waiting for metadata with NotWrittenError', async () => {
    const node = kafkaSingleNode()
    const topic = uniqueTopic('cancel-metadata')
    await createTopic(node, { topic, partitions: 1 })
    const transport = new GatedTransport()
    transport.shutGate() // the first answers (ApiVersions, Metadata) are held
    const p = producer(node, transport, { lingerMs: 0 })
    const controller = new AbortController()
    const sent = p.send({ topic, value: 'never' }, { signal: controller.signal })
    await transport.writtenAfter(0)
    controller.abort()
    await expect(sent).rejects.toBeInstanceOf(NotWrittenError)
    transport.openGate()
    expect((await p.send({ topic, value: 'after' })).offset).toBe(0n)
    await p.close()
    const read = await consumeWithJava(node.tools, {
      bootstrapServers: node.bootstrapServers,
      topic,
      maxRecords: 1,
      idleTimeoutMs: 10_000,
    })
    expect(read.map((record) => text(record.value))).toEqual(['after'])
  })
})
