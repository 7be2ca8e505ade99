// Checklist §5.3, bad input B1–B15, on the embedded cluster. Each case runs while 60 good oracle records are
// in flight to another topic (Produce answers 30 ms late) and checks three things: the typed error with a
// stable code, thrown or rejected where Java throws or fails it; the good records all delivered exactly
// once (nothing else affected); and buffer-available-bytes back at bufferMemory (no memory leaked).
// B14 (flush/close from a completion handler) is in close-and-concurrency.test.ts; B11's topic part is F13
// in fake-broker-faults.test.ts; B13's transactional part and B11's cluster/transactional-id parts need a
// transactional producer and are in transactions.test.ts; B6/B7/B10/B15 also run on the real broker in
// real-broker-bad-input.test.ts.
import {
  ConfigError,
  InvalidArgumentError,
  InvalidTopicError,
  KafkaProducer,
  type KafkaProducerOptions,
  ProducerClosedError,
  RecordTooLargeError,
  SerializationError,
  TimeoutError,
} from '@x/producer'
import { DeliveryLedger, type EmbeddedKafkaCluster } from '@x/testkit'
import { describe, expect, it } from 'vitest'
import { useEmbeddedCluster } from './support/embedded-fixture.js'
import { type OracleProducer, sendMany } from './support/oracle-producer.js'

const fixture = useEmbeddedCluster()
const BUFFER_MEMORY = 1024 * 1024
const text = (bytes: Uint8Array | null) => (bytes === null ? null : Buffer.from(bytes).toString('utf8'))

interface Background {
  readonly cluster: EmbeddedKafkaCluster
  readonly producer: KafkaProducer<unknown, unknown>
  /** Waits for the background records and checks they all arrived once and no memory is held. */
  verify(): Promise<void>
}

/** A cluster, topics `bg` and `bad`, a producer, and 60 good records in flight while the case runs. */
async function background(options: KafkaProducerOptions<unknown, unknown> = {}): Promise<Background> {
  const cluster = await fixture.start({ brokers: 1 })
  cluster.createTopic({ name: 'bg', partitions: 2 })
  cluster.createTopic({ name: 'bad', partitions: 4 })
  const producer = fixture.producer('plain', {
    bufferMemory: BUFFER_MEMORY,
    maxBlockMs: 2_000,
    ...(options as object),
  }) as unknown as KafkaProducer<unknown, unknown>
  await producer.partitionsFor('bg')
  await producer.partitionsFor('bad')
  cluster.faults.latency({ api: 'Produce', topic: 'bg', ms: 30 })
  const ledger = new DeliveryLedger({ runId: 'background' })
  await sendMany(producer as unknown as OracleProducer, ledger, { topic: 'bg', count: 60, keys: 3 })
  return {
    cluster,
    producer,
    async verify() {
      await producer.flush()
      await ledger.whenCompleted(10_000)
      const report = fixture.check(ledger, 'bg', { idempotent: true })
      expect(report.violations).toEqual([])
      expect(report.counts).toMatchObject({ acked: 60, read: 60 })
      expect(producer.metrics()['buffer-available-bytes']).toBe(BUFFER_MEMORY)
    },
  }
}

/** The error `run` throws synchronously (failing the test if it returns instead). */
function thrown(run: () => unknown): Error {
  try {
    const result = run()
    if (result instanceof Promise) result.catch(() => undefined)
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a synchronous throw, got a return')
}

/** The reason `promise` rejects with (failing the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a rejection, got a resolution')
}

describe('bad input (§5.3) on the embedded cluster', () => {
  it('B1: a value over maxRequestSize, and one over bufferMemory, fail alone with RecordTooLargeError naming the config', async () => {
    const bg = await background({ maxRequestSize: 64 * 1024 })
    const overRequest = await rejection(
      bg.producer.send({ topic: 'bad', value: new Uint8Array(64 * 1024 + 1) }),
    )
    expect(RecordTooLargeError.isInstance(overRequest)).toBe(true)
    expect(overRequest.message).toMatch(/max\.request\.size|maxRequestSize/)
    await bg.verify()
    const big = await background({ maxRequestSize: 4 * BUFFER_MEMORY })
    const overBuffer = await rejection(
      big.producer.send({ topic: 'bad', value: new Uint8Array(BUFFER_MEMORY + 1) }),
    )
    expect(RecordTooLargeError.isInstance(overBuffer)).toBe(true)
    expect(overBuffer.message).toMatch(/buffer\.memory|bufferMemory/)
    expect(big.cluster.records('bad', 0)).toEqual([])
    await big.verify()
  })

  it.each(['none', 'gzip'] as const)(
    'B2 (%s): values from max.message.bytes − 200 to + 200 each succeed or fail fast with a typed error',
    async (compressionType) => {
      const bg = await background({ compressionType, lingerMs: 0 })
      bg.cluster.createTopic({ name: 'edge', partitions: 1, configs: { 'max.message.bytes': '4096' } })
      await bg.producer.partitionsFor('edge')
      const sizes = Array.from({ length: 401 }, (_, i) => 4096 - 200 + i)
      const outcomes = await Promise.allSettled(
        // random bytes: compression cannot shrink them below the limit
        sizes.map((size) => bg.producer.send({ topic: 'edge', partition: 0, value: randomBytes(size) })),
      )
      const codes = new Set<string>()
      for (const [i, outcome] of outcomes.entries()) {
        if (outcome.status === 'fulfilled') continue
        const error = outcome.reason as { code?: string }
        codes.add(error.code ?? String(error))
        expect(sizes[i]).toBeGreaterThan(4096 - 100) // small ones fit, with the batch overhead
      }
      expect([...codes]).toEqual(['MESSAGE_TOO_LARGE'])
      expect(outcomes.filter((o) => o.status === 'fulfilled').length).toBe(
        bg.cluster.records('edge', 0).length,
      )
      await bg.verify()
    },
  )

  it('B3: invalid topic names throw synchronously and send no metadata request', async () => {
    const bg = await background()
    const before = bg.cluster.requestLog.entries({ api: 'Metadata' }).length
    for (const topic of ['', '.', '..', 'a'.repeat(250), 'topic abc', 't/ü']) {
      const error = thrown(() => bg.producer.send({ topic, value: 'v' }))
      expect(InvalidTopicError.isInstance(error), topic).toBe(true)
      expect((error as InvalidTopicError).code).toBe('INVALID_TOPIC_EXCEPTION')
    }
    for (const topic of [null, undefined, 42]) {
      const error = thrown(() => bg.producer.send({ topic: topic as unknown as string, value: 'v' }))
      expect(InvalidArgumentError.isInstance(error)).toBe(true)
    }
    expect(bg.cluster.requestLog.entries({ api: 'Metadata' }).length).toBe(before)
    await bg.verify()
  })

  it('B4: bad partitions and timestamps, and a partitioner returning -1, throw synchronously', async () => {
    const bg = await background()
    for (const partition of [-1, 1.5, Number.NaN, 2 ** 31]) {
      const error = thrown(() => bg.producer.send({ topic: 'bad', partition, value: 'v' }))
      expect(InvalidArgumentError.isInstance(error), String(partition)).toBe(true)
      expect(error.message).toContain('partition')
    }
    for (const timestamp of [-1, Number.NaN, 1.5]) {
      const error = thrown(() => bg.producer.send({ topic: 'bad', timestamp, value: 'v' }))
      expect(InvalidArgumentError.isInstance(error), String(timestamp)).toBe(true)
    }
    await bg.verify()
    const withPartitioner = await background({
      // -1 for the bad topic only; the background's records go to partition 0
      partitioner: {
        partition: (topic: string) => (topic === 'bad' ? -1 : 0),
        close: () => undefined,
        onNewBatch: () => undefined,
      },
    } as KafkaProducerOptions<unknown, unknown>)
    const error = thrown(() => withPartitioner.producer.send({ topic: 'bad', key: 'k', value: 'v' }))
    expect(InvalidArgumentError.isInstance(error)).toBe(true)
    expect(error.message).toMatch(/partitioner generated an invalid partition number: -1/)
    await withPartitioner.verify()
  })

  it('B5: a partition beyond the partition count times out after maxBlockMs with Java’s message', async () => {
    const bg = await background({ maxBlockMs: 300 })
    const error = await rejection(bg.producer.send({ topic: 'bad', partition: 4, value: 'v' }))
    expect(TimeoutError.isInstance(error)).toBe(true)
    expect((error as TimeoutError).timeout).toBe('max.block.ms')
    expect(error.message).toMatch(
      /Partition 4 of topic bad with partition count 4 is not present in metadata after 300 ms/,
    )
    await bg.verify()
  })

  it('B6: null, undefined, empty keys and values keep null ≠ empty; wrong types throw; a null key on a compacted topic fails at the broker', async () => {
    const bg = await background()
    const cases: [unknown, unknown][] = [
      [null, null],
      [undefined, undefined],
      ['', ''],
      [new Uint8Array(0), new Uint8Array(0)],
    ]
    for (const [key, value] of cases) await bg.producer.send({ topic: 'bad', partition: 0, key, value })
    const stored = bg.cluster
      .records('bad', 0)
      .map((r) => [r.key === null ? null : r.key.length, r.value === null ? null : r.value.length])
    expect(stored).toEqual([
      [null, null],
      [null, null],
      [0, 0],
      [0, 0],
    ])
    for (const wrong of [42, { a: 1 }, true, Symbol('s')]) {
      expect(
        SerializationError.isInstance(
          thrown(() => bg.producer.send({ topic: 'bad', key: wrong, value: 'v' })),
        ),
      ).toBe(true)
      expect(
        SerializationError.isInstance(thrown(() => bg.producer.send({ topic: 'bad', value: wrong }))),
      ).toBe(true)
    }
    bg.cluster.createTopic({ name: 'compacted', partitions: 1, configs: { 'cleanup.policy': 'compact' } })
    const error = await rejection(bg.producer.send({ topic: 'compacted', key: null, value: 'v' }))
    expect((error as { code?: string }).code).toBe('INVALID_RECORD')
    await bg.verify()
  })

  it('B7: header values — null kept as null, bytes verbatim, duplicates in order; wrong types throw', async () => {
    const bg = await background()
    const binary = Uint8Array.from([0x00, 0xff, 0x80, 0x7f, 0x00])
    await bg.producer.send({
      topic: 'bad',
      partition: 1,
      value: 'v',
      headers: [
        { key: 'n', value: null },
        { key: 'b', value: binary },
        { key: 'dup', value: 'first' },
        { key: 'dup', value: 'second' },
      ],
    })
    await bg.producer.send({ topic: 'bad', partition: 1, value: 'v', headers: { k: null, s: 'x' } })
    const [list, object] = bg.cluster.records('bad', 1)
    expect(list!.headers.map((h) => [h.key, h.value === null ? null : [...h.value]])).toEqual([
      ['n', null],
      ['b', [...binary]],
      ['dup', [...Buffer.from('first')]],
      ['dup', [...Buffer.from('second')]],
    ])
    expect(object!.headers.map((h) => [h.key, text(h.value)])).toEqual([
      ['k', null],
      ['s', 'x'],
    ])
    const wrongHeaders: unknown[] = [
      { k: 1 },
      { k: {} },
      [{ key: null, value: 'x' }],
      [{ key: 'k', value: 1 }],
      [null],
      'k=v',
    ]
    for (const headers of wrongHeaders) {
      const error = thrown(() => bg.producer.send({ topic: 'bad', value: 'v', headers: headers as never }))
      expect(InvalidArgumentError.isInstance(error), JSON.stringify(headers)).toBe(true)
      expect(error.message).toContain('headers')
    }
    await bg.verify()
  })

  it('B8: a serializer that throws or returns something other than bytes fails the send synchronously', async () => {
    // the serializers pass the background's bytes through and misbehave only for the value 'bad'
    const throwing = await background({
      valueSerializer: {
        serialize: (_topic: string, value: unknown) => {
          if (value === 'bad') throw new Error('boom')
          return value as Uint8Array
        },
      },
    })
    const error = thrown(() => throwing.producer.send({ topic: 'bad', value: 'bad' }))
    expect(SerializationError.isInstance(error)).toBe(true)
    expect((error as Error & { cause?: Error }).cause?.message).toBe('boom')
    await throwing.verify()
    const wrongType = await background({
      valueSerializer: {
        serialize: (_topic: string, value: unknown) =>
          value === 'bad' ? (42 as unknown as Uint8Array) : (value as Uint8Array),
      },
    })
    expect(
      SerializationError.isInstance(thrown(() => wrongType.producer.send({ topic: 'bad', value: 'bad' }))),
    ).toBe(true)
    await wrongType.verify()
  })

  it('B9: malformed and conflicting configs fail at construction with ConfigError naming the option', () => {
    const bad: [KafkaProducerOptions, RegExp][] = [
      [{ enableIdempotence: true, acks: 1 }, /acks/],
      [{ enableIdempotence: true, retries: 0 }, /retries/],
      [{ enableIdempotence: true, maxInFlightRequestsPerConnection: 6 }, /max\.in\.flight|maxInFlight/],
      [{ maxInFlightRequestsPerConnection: 6 }, /max\.in\.flight|maxInFlight/],
      [{ deliveryTimeoutMs: 1_000, requestTimeoutMs: 30_000 }, /deliveryTimeoutMs/],
      [{ transactionalId: 'tx', enableIdempotence: false }, /idempotence|transactional/i],
      [{ lingerMs: -1 }, /lingerMs|linger\.ms/],
      [{ batchSize: -5 }, /batchSize|batch\.size/],
      [{ bufferMemory: Number.NaN }, /bufferMemory|buffer\.memory/],
      [{ lingerMsTypo: 5 } as KafkaProducerOptions, /lingerMsTypo/],
      [{ 'linger.ms': 'soon' } as KafkaProducerOptions, /linger\.ms/],
      [{ acks: 2 as never }, /acks/],
      [{ compressionType: 'brotli' as never }, /compression/],
    ]
    for (const [options, message] of bad) {
      let error: unknown
      try {
        new KafkaProducer({ bootstrapServers: '127.0.0.1:9092', ...options })
      } catch (caught) {
        error = caught
      }
      expect(ConfigError.isInstance(error), JSON.stringify(options)).toBe(true)
      expect((error as Error).message, JSON.stringify(options)).toMatch(message)
    }
  })

  it('B9: implicit conflicts turn idempotence off or raise the delivery timeout, with a warning; dotted names equal camelCase', async () => {
    const warnings = async (options: KafkaProducerOptions) => {
      const producer = new KafkaProducer({ bootstrapServers: '127.0.0.1:9', ...options })
      const seen: string[] = []
      producer.events$.subscribe((event) => {
        if (event.type === 'config-warning') seen.push(JSON.stringify(event))
      })
      await producer.close({ timeoutMs: 0 })
      return { config: producer.config, seen }
    }
    const acks1 = await warnings({ acks: 1 })
    expect(acks1.config.enableIdempotence).toBe(false)
    expect(acks1.seen.join()).toMatch(/idempotence/i)
    const delivery = await warnings({ requestTimeoutMs: 200_000 })
    expect(delivery.config.deliveryTimeoutMs).toBeGreaterThanOrEqual(200_005)
    expect(delivery.seen.join()).toMatch(/delivery/i)
    const dotted = await warnings({ 'linger.ms': '7', 'batch.size': 1000 } as KafkaProducerOptions)
    expect([dotted.config.lingerMs, dotted.config.batchSize]).toEqual([7, 1000])
  })

  it('B10: a timestamp 2 h in the future fails that record with INVALID_TIMESTAMP; its batch-mates fail with a generic error', async () => {
    const bg = await background({ lingerMs: 50 })
    const now = Date.now()
    const sends = [0, 1, 2].map((i) =>
      bg.producer.send({
        topic: 'bad',
        partition: 2,
        value: `r${i}`,
        timestamp: i === 1 ? now + 2 * 3_600_000 : now,
      }),
    )
    const outcomes = await Promise.allSettled(sends)
    const codes = outcomes.map((o) => (o.status === 'rejected' ? (o.reason as { code?: string }).code : 'ok'))
    expect(codes[1]).toBe('INVALID_TIMESTAMP')
    expect(codes[0]).toBe(codes[2])
    expect(codes[0]).not.toBe('INVALID_TIMESTAMP')
    expect(codes[0]).not.toBe('ok')
    expect(bg.cluster.records('bad', 2)).toEqual([])
    await bg.verify()
  })

  it('B12: a topic absent with auto-create off times out after maxBlockMs naming the topic', async () => {
    const cluster = await fixture.start({ brokers: 1, autoCreateTopics: false })
    const producer = fixture.producer('plain', { maxBlockMs: 300 })
    const error = await rejection(producer.send({ topic: 'nowhere', value: new Uint8Array(1) }))
    expect(TimeoutError.isInstance(error)).toBe(true)
    expect(error.message).toMatch(/Topic nowhere not present in metadata after 300 ms/)
    expect(cluster.topic('nowhere')).toBeUndefined()
    expect(producer.metrics()['buffer-available-bytes']).toBe(producer.config.bufferMemory)
  })

  it('B13: send, flush and partitionsFor after close throw ProducerClosedError synchronously', async () => {
    const bg = await background()
    await bg.verify()
    await bg.producer.close()
    const error = thrown(() => bg.producer.send({ topic: 'bad', value: 'v' }))
    expect(ProducerClosedError.isInstance(error)).toBe(true)
    expect((error as ProducerClosedError).code).toBe('PRODUCER_CLOSED')
    expect(error.message).toContain('send()')
  })
})

function randomBytes(size: number): Uint8Array {
  const bytes = new Uint8Array(size)
  let state = size * 2_654_435_761
  for (let i = 0; i < size; i++) {
    state = (state * 1_103_515_245 + 12_345) >>> 0
    bytes[i] = state >>> 24
  }
  return bytes
}
