// close(), flush() and bad input of KafkaProducer against @x/testkit's embedded cluster (in-memory transport).
// Held Produce responses keep records pending; every test ends with no pending work (afterEach stops the
// cluster, which would reject anything left).
import { TimeoutError } from '@x/sender'
import { EmbeddedKafkaCluster } from '@x/testkit'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ConfigError } from './errors/config-error.js'
import { IllegalStateError } from './errors/illegal-state-error.js'
import { InvalidArgumentError } from './errors/invalid-argument-error.js'
import { ProducerClosedError } from './errors/producer-closed-error.js'
import { RecordTooLargeError } from './errors/record-too-large-error.js'
import { SerializationError } from './errors/serialization-error.js'
import type { ProducerEvent } from './events/producer-event.js'
import { KafkaProducer } from './kafka-producer.js'
import type { KafkaProducerOptions } from './options/java-properties.js'

let cluster: EmbeddedKafkaCluster

beforeEach(async () => {
  cluster = await EmbeddedKafkaCluster.start({
    brokers: 1,
    listen: false,
    topics: [{ name: 'orders', partitions: 2 }],
  })
})
afterEach(async () => {
  await cluster.stop()
})

type Bytes = Uint8Array | string
function producer(options: KafkaProducerOptions<Bytes, Bytes> = {}): KafkaProducer {
  return new KafkaProducer({
    bootstrapServers: cluster.bootstrapServers,
    transport: cluster.transport,
    enableIdempotence: false,
    ...options,
  })
}

describe('close()', () => {
  it('delivers records still pending before resolving', async () => {
    const p = producer({ lingerMs: 1000 })
    const sent = Array.from({ length: 10 }, (_, i) =>
      p.send({ topic: 'orders', partition: i % 2, value: `v${i}` }),
    )
    await p.close()
    const metadata = await Promise.all(sent)
    expect(metadata.map((m) => m.offset)).toEqual([0n, 0n, 1n, 1n, 2n, 2n, 3n, 3n, 4n, 4n])
    expect(cluster.records('orders', 0)).toHaveLength(5)
  })

  it('delivers records that were still waiting for metadata when close() was called', async () => {
    const p = producer()
    const sent = p.send({ topic: 'created-on-demand', value: 'v' })
    await p.close()
    expect((await sent).topic).toBe('created-on-demand')
    expect(cluster.records('created-on-demand', 0)).toHaveLength(1)
  })

  it('with timeoutMs 0 fails every pending record with a forced ProducerClosedError, and does not hang', async () => {
    const held = cluster.faults.hold({ api: 'Produce', count: Number.POSITIVE_INFINITY })
    const p = producer()
    const callback = vi.fn()
    const inFlight = p.send({ topic: 'orders', partition: 0, value: 'in flight' }, callback)
    await held.waitFor(1)
    const queued = p.send({ topic: 'orders', partition: 1, value: 'queued' })
    await p.close({ timeoutMs: 0 })
    for (const pending of [inFlight, queued]) {
      const error = await pending.then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(ProducerClosedError.isInstance(error)).toBe(true)
      expect((error as ProducerClosedError).code).toBe('PRODUCER_CLOSED_FORCEFULLY')
      expect((error as Error).message).toContain('Producer is closed forcefully')
    }
    expect(callback).toHaveBeenCalledOnce()
    held.releaseAll()
  })

  it('fails what is still pending once timeoutMs passes', async () => {
    const held = cluster.faults.hold({ api: 'Produce', count: Number.POSITIVE_INFINITY })
    const p = producer()
    const pending = p.send({ topic: 'orders', partition: 0, value: 'never acknowledged' })
    await held.waitFor(1)
    let settled = false
    pending.then(
      () => (settled = true),
      () => (settled = true),
    )
    const closing = p.close({ timeoutMs: 50 })
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(settled, 'close waits for timeoutMs before failing what is pending').toBe(false)
    await closing
    await expect(pending).rejects.toThrow('Producer is closed forcefully')
    held.releaseAll()
  })

  it('returns the same promise when called twice, and a shorter timeout still applies', async () => {
    const held = cluster.faults.hold({ api: 'Produce', count: Number.POSITIVE_INFINITY })
    const p = producer()
    const pending = p.send({ topic: 'orders', partition: 0, value: 'v' })
    await held.waitFor(1)
    const first = p.close()
    const second = p.close({ timeoutMs: 0 })
    expect(second).toBe(first)
    await first
    await expect(pending).rejects.toBeInstanceOf(ProducerClosedError)
    held.releaseAll()
  })

  it('refuses send, sendBatch and partitionsFor afterwards with ProducerClosedError, synchronously', async () => {
    const p = producer()
    await p.close()
    expect(() => p.send({ topic: 'orders', value: 'late' })).toThrow(ProducerClosedError)
    expect(() => p.send({ topic: 'orders', value: 'late' })).toThrow(
      'Cannot perform send() after the producer has been closed',
    )
    expect(() => p.sendBatch([])).toThrow(ProducerClosedError)
    await expect(p.partitionsFor('orders')).rejects.toBeInstanceOf(ProducerClosedError)
    expect(cluster.records('orders', 0)).toHaveLength(0)
  })

  it('rejects a negative timeout', () => {
    const p = producer()
    expect(() => p.close({ timeoutMs: -1 })).toThrow(InvalidArgumentError)
    return p.close()
  })

  it('closes serializers, partitioner and interceptors once', async () => {
    const closed: string[] = []
    const p = new KafkaProducer({
      bootstrapServers: cluster.bootstrapServers,
      transport: cluster.transport,
      enableIdempotence: false,
      keySerializer: { serialize: () => null, close: () => closed.push('key') },
      partitioner: { partition: () => 0, close: () => closed.push('partitioner') },
      interceptors: [{ close: () => closed.push('interceptor') }],
    })
    await p.close()
    await p.close()
    expect(closed).toEqual(['interceptor', 'key', 'partitioner'])
  })

  it('is what `await using` calls', async () => {
    let disposed: KafkaProducer | undefined
    {
      const p = producer()
      disposed = p
      await p[Symbol.asyncDispose]()
    }
    expect(() => disposed!.send({ topic: 'orders', value: 'x' })).toThrow(ProducerClosedError)
  })
})

describe('bad input fails only the record concerned, with a typed error', () => {
  it('an unknown topic with auto-creation off times out within maxBlockMs', async () => {
    const p = producer({ maxBlockMs: 200, allowAutoCreateTopics: false })
    const started = Date.now()
    const missing = p.send({ topic: 'does-not-exist', value: 'v' })
    const good = p.send({ topic: 'orders', partition: 0, value: 'fine' })
    await expect(missing).rejects.toBeInstanceOf(TimeoutError)
    await expect(missing).rejects.toThrow('Topic does-not-exist not present in metadata after 200 ms.')
    // maxBlockMs bounds the wait: well before the 60 s default
    expect(Date.now() - started).toBeLessThan(30_000)
    expect((await good).offset).toBe(0n)
    expect(cluster.topic('does-not-exist')).toBeUndefined()
    await p.close()
  })

  it('names the configured maxBlockMs even for a send that waited behind another one', async () => {
    const p = producer({ maxBlockMs: 200, allowAutoCreateTopics: false })
    const first = p.send({ topic: 'nowhere', value: 'v' })
    await new Promise((resolve) => setTimeout(resolve, 20))
    const second = p.send({ topic: 'nowhere', value: 'v' })
    await expect(first).rejects.toThrow('Topic nowhere not present in metadata after 200 ms.')
    await expect(second).rejects.toThrow('Topic nowhere not present in metadata after 200 ms.')
    await p.close()
  })

  it('a partition out of range times out with the partition count in the message', async () => {
    const p = producer({ maxBlockMs: 200 })
    await expect(p.send({ topic: 'orders', partition: 5, value: 'v' })).rejects.toThrow(
      'Partition 5 of topic orders with partition count 2 is not present in metadata after 200 ms.',
    )
    await p.close()
  })

  it('a record over maxRequestSize', async () => {
    const p = producer({ maxRequestSize: 10_000 })
    const big = p.send({ topic: 'orders', partition: 0, value: new Uint8Array(20_000) })
    const small = p.send({ topic: 'orders', partition: 0, value: 'small' })
    await expect(big).rejects.toBeInstanceOf(RecordTooLargeError)
    expect((await small).offset).toBe(0n)
    await p.close()
  })

  it('a serializer that throws', async () => {
    const p = producer({
      valueSerializer: {
        serialize: (_t, data) => {
          if (data === 'boom') throw new Error('cannot')
          return null
        },
      },
    })
    expect(() => p.send({ topic: 'orders', partition: 0, value: 'boom' })).toThrow(SerializationError)
    expect((await p.send({ topic: 'orders', partition: 0, value: 'ok' })).offset).toBe(0n)
    await p.close()
  })

  it('an invalid option, at construction', () => {
    expect(() => producer({ lingerMs: -5 })).toThrow(ConfigError)
    expect(() => producer({ lingerMs: -5 })).toThrow('lingerMs (linger.ms)')
  })

  it('a transactional method on a producer without transactionalId', async () => {
    const p = producer()
    expect(() => p.beginTransaction()).toThrow(IllegalStateError)
    expect(() => p.beginTransaction()).toThrow('invoked on a non-transactional producer')
    await p.close()
  })
})

describe('events$', () => {
  it('replays start-up warnings to each subscriber, then reports interceptor and callback errors and closing', async () => {
    const p = new KafkaProducer({
      bootstrapServers: cluster.bootstrapServers,
      transport: cluster.transport,
      acks: 1,
      interceptors: [
        {
          onAcknowledgement: () => {
            throw new Error('interceptor bug')
          },
        },
      ],
    })
    const events: ProducerEvent[] = []
    p.events$.subscribe((event) => events.push(event))
    await p.send({ topic: 'orders', partition: 0, value: 'v' }, () => {
      throw new Error('callback bug')
    })
    await p.close()
    const types = events.map((event) => event.type)
    expect(types[0]).toBe('config-warning')
    expect(events[0]).toMatchObject({
      option: 'enableIdempotence',
      message: expect.stringContaining('acks (acks) is set to 1'),
    })
    expect(types).toContain('interceptor-error')
    expect(types).toContain('callback-error')
    expect(types).toContain('request-sent')
    expect(types).toContain('batch-completed')
    expect(types.slice(-2)).toEqual(['producer-closing', 'producer-closed'])
  })

  it('metrics$ emits a snapshot on subscription and completes on close', async () => {
    const p = producer()
    const snapshots: Record<string, number>[] = []
    let completed = false
    p.metrics$.subscribe({ next: (m) => snapshots.push(m), complete: () => (completed = true) })
    expect(snapshots[0]?.['record-send-total']).toBe(0)
    await p.send({ topic: 'orders', partition: 0, value: 'v' })
    await p.close()
    // A trailing snapshot may still be due within the one-second throttle window.
    await vi.waitFor(() => expect(completed).toBe(true), { timeout: 2000 })
    expect(snapshots.at(-1)?.['record-send-total']).toBe(1)
  })
})

describe('flush()', () => {
  it('waits for sends still waiting for metadata, too', async () => {
    const p = producer({ lingerMs: 60_000 })
    const sent = p.send({ topic: 'fresh-topic', value: 'v' })
    await p.flush()
    expect(cluster.records('fresh-topic', 0)).toHaveLength(1)
    await sent
    await p.close()
  })

  it('resolves when records failed too', async () => {
    const p = producer({ deliveryTimeoutMs: 300, requestTimeoutMs: 100, lingerMs: 0, retries: 0 })
    cluster.faults.injectError({ api: 'Produce', error: 'NOT_ENOUGH_REPLICAS' })
    const sent = p.send({ topic: 'orders', partition: 0, value: 'v' })
    await p.flush()
    await expect(sent).rejects.toThrow('NOT_ENOUGH_REPLICAS')
    await p.close()
  })
})
