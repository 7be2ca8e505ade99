// The per-record send path against a real RecordAccumulator and BufferPool, with a fake metadata and a
// hand-driven "broker" (send-path.test-helper.ts). Keyed placements: Java's UtilsTest murmur2 vector
// murmur2("foobar") = -790332482, toPositive = 1357151166, so partition 2 of 4 and 1 of 5.
import { AccumulatorClosedError } from '@x/accumulator'
import { BufferExhaustedError } from '@x/buffer-pool'
import { StaticClusterView } from '@x/partitioners'
import { decodeRecordBatches } from '@x/protocol'
import { TimeoutError } from '@x/sender'
import { describe, expect, it, vi } from 'vitest'
import { InvalidArgumentError } from '../errors/invalid-argument-error.js'
import { InvalidTopicError } from '../errors/invalid-topic-error.js'
import { RecordTooLargeError } from '../errors/record-too-large-error.js'
import { SerializationError } from '../errors/serialization-error.js'
import type { ProducerInterceptor } from '../interceptors/producer-interceptor.js'
import type { RecordMetadata } from '../record/record-metadata.js'
import { jsonSerializer } from '../serialization/json-serializer.js'
import { harness } from './send-path.test-helper.js'

const text = (bytes: Uint8Array | null) => (bytes === null ? null : new TextDecoder().decode(bytes))

describe('SendPath', () => {
  it('appends synchronously when metadata and memory are there, and resolves with the offset', async () => {
    const h = harness({ lingerMs: 0 })
    const promise = h.sendPath.send(
      { topic: 'orders', partition: 1, key: 'k', value: 'hello', timestamp: 1234 },
      undefined,
    )
    // No await yet: the record is already in its batch, and a new batch woke the sender once.
    const [batch] = h.accumulator.batchesFor('orders', 1)
    expect(batch?.recordCount).toBe(1)
    expect(h.wakeups).toBe(1)
    h.respond()
    const metadata = await promise
    expect(metadata).toMatchObject({
      topic: 'orders',
      partition: 1,
      offset: 0n,
      timestamp: 1234,
      serializedKeySize: 1,
      serializedValueSize: 5,
    })
    expect(metadata.toString()).toBe('orders-1@0')
  })

  it('gives each record of a batch its own offset and keeps send order', async () => {
    const h = harness()
    const promises = [0, 1, 2].map((i) =>
      h.sendPath.send({ topic: 'orders', partition: 0, value: `v${i}` }, undefined),
    )
    h.respond()
    h.sendPath
      .send({ topic: 'orders', partition: 0, value: 'later' }, undefined)
      .then((m) => expect(m.offset).toBe(3n))
    expect((await Promise.all(promises)).map((m) => m.offset)).toEqual([0n, 1n, 2n])
    h.respond()
  })

  it("uses the broker's timestamp for LogAppendTime topics and -1n offsets with acks=0", async () => {
    const h = harness()
    const logAppend = h.sendPath.send({ topic: 'orders', partition: 0, value: 'a', timestamp: 5 }, undefined)
    h.respond({ logAppendTime: 99 })
    expect((await logAppend).timestamp).toBe(99)
    const noAck = h.sendPath.send({ topic: 'orders', partition: 0, value: 'b' }, undefined)
    h.respond({ acks0: true })
    const metadata = await noAck
    expect(metadata.offset).toBe(-1n)
    expect(metadata.hasOffset()).toBe(false)
  })

  it("places keyed records on Java's murmur2 partition and keyless ones on one sticky partition", async () => {
    const four = harness()
    const keyed = four.sendPath.send({ topic: 'orders', key: 'foobar', value: 'x' }, undefined)
    const five = harness({}, StaticClusterView.of('orders', 5, [1]))
    const keyedFive = five.sendPath.send({ topic: 'orders', key: 'foobar', value: 'x' }, undefined)
    four.respond()
    five.respond()
    expect((await keyed).partition).toBe(2)
    expect((await keyedFive).partition).toBe(1)
    const sticky = harness()
    const keyless = [1, 2, 3].map(() => sticky.sendPath.send({ topic: 'orders', value: 'x' }, undefined))
    sticky.respond()
    const partitions = new Set((await Promise.all(keyless)).map((m) => m.partition))
    expect(partitions.size).toBe(1)
  })

  it('ignores keys for placement with partitionerIgnoreKeys', async () => {
    const h = harness({ partitionerIgnoreKeys: true })
    const sent = ['a', 'b', 'c', 'd'].map((key) =>
      h.sendPath.send({ topic: 'orders', key, value: 'x' }, undefined),
    )
    h.respond()
    expect(new Set((await Promise.all(sent)).map((m) => m.partition)).size).toBe(1)
  })

  it('asks a custom partitioner and checks its answer', async () => {
    const partition = vi.fn(() => 3)
    const h = harness({ partitioner: { partition } })
    const sent = h.sendPath.send({ topic: 'orders', key: 'k', value: 'v' }, undefined)
    h.respond()
    expect((await sent).partition).toBe(3)
    expect(partition).toHaveBeenCalledWith(
      'orders',
      'k',
      expect.any(Uint8Array),
      'v',
      expect.any(Uint8Array),
      expect.anything(),
    )
    const bad = harness({ partitioner: { partition: () => 4 } })
    expect(() => bad.sendPath.send({ topic: 'orders', value: 'v' }, undefined)).toThrow(InvalidArgumentError)
    expect(() => bad.sendPath.send({ topic: 'orders', value: 'v' }, undefined)).toThrow(
      'The partitioner generated an invalid partition number: 4. Topic orders has 4 partitions',
    )
  })

  it('re-partitions once when a partitioner with onNewBatch would open a new batch (Java 3.x sticky hook)', async () => {
    let current = 0
    const onNewBatch = vi.fn(() => {
      current = 1
    })
    const h = harness({ partitioner: { partition: () => current, onNewBatch } })
    const sent = h.sendPath.send({ topic: 'orders', value: 'v' }, undefined)
    expect(onNewBatch).toHaveBeenCalledWith('orders', expect.anything(), 0)
    h.respond()
    expect((await sent).partition).toBe(1)
  })

  describe('bad input throws synchronously and leaves other records alone', () => {
    it.each([
      [{ topic: '' }, InvalidTopicError, 'Invalid topic name "": the name is empty.'],
      [{ topic: 'a b' }, InvalidTopicError, 'may only contain ASCII letters'],
      [{ topic: 'x'.repeat(250) }, InvalidTopicError, 'more than the maximum of 249'],
      [{ topic: undefined }, InvalidArgumentError, 'Topic cannot be null'],
      [{ topic: 'orders', partition: -1 }, InvalidArgumentError, 'Invalid partition: -1.'],
      [{ topic: 'orders', partition: 1.5 }, InvalidArgumentError, 'Invalid partition: 1.5.'],
      [{ topic: 'orders', timestamp: -1 }, InvalidArgumentError, 'Invalid timestamp: -1.'],
      [{ topic: 'orders', timestamp: Number.NaN }, InvalidArgumentError, 'Invalid timestamp: NaN.'],
      [
        { topic: 'orders', headers: [{ key: 'k', value: 1 }] },
        InvalidArgumentError,
        'header "k" has a number value',
      ],
      [
        { topic: 'orders', value: 42 },
        SerializationError,
        "Can't serialize the value of a record for topic orders",
      ],
    ])('%o', async (record, type, message) => {
      const h = harness()
      const good = h.sendPath.send({ topic: 'orders', partition: 0, value: 'ok' }, undefined)
      // biome-ignore lint/suspicious/noExplicitAny: deliberately malformed records
      expect(() => h.sendPath.send(record as any, undefined)).toThrow(type)
      // biome-ignore lint/suspicious/noExplicitAny: deliberately malformed records
      expect(() => h.sendPath.send(record as any, undefined)).toThrow(message)
      h.respond()
      expect((await good).offset).toBe(0n)
      expect(h.accumulator.batchesFor('orders', 0)).toEqual([])
    })

    it('reports a serializer that throws as a SerializationError with the cause', () => {
      const cause = new Error('boom')
      const h = harness({
        valueSerializer: {
          serialize: () => {
            throw cause
          },
        },
      })
      try {
        h.sendPath.send({ topic: 'orders', value: 'v' }, undefined)
        expect.unreachable()
      } catch (error) {
        expect(SerializationError.isInstance(error)).toBe(true)
        expect((error as SerializationError).part).toBe('value')
        expect((error as SerializationError).cause).toBe(cause)
      }
    })
  })

  describe('records that can never be sent fail through the promise and the callback', () => {
    it('fails a record above maxRequestSize with RecordTooLargeError, once', async () => {
      const h = harness({ maxRequestSize: 1000 })
      const callback = vi.fn()
      const big = h.sendPath.send({ topic: 'orders', partition: 0, value: new Uint8Array(1000) }, callback)
      const small = h.sendPath.send({ topic: 'orders', partition: 0, value: new Uint8Array(10) }, undefined)
      await expect(big).rejects.toThrow(RecordTooLargeError)
      await expect(big).rejects.toThrow(
        'larger than 1000, which is the value of the maxRequestSize (max.request.size) option',
      )
      expect(callback).toHaveBeenCalledOnce()
      expect(callback.mock.calls[0]![0]).toMatchObject({ topic: 'orders', partition: 0, offset: -1n })
      expect(h.recordErrors).toBe(1)
      h.respond()
      expect((await small).offset).toBe(0n)
    })

    it('fails a record above bufferMemory', async () => {
      const h = harness({ bufferMemory: 2048, batchSize: 1024 })
      await expect(
        h.sendPath.send({ topic: 'orders', value: new Uint8Array(4096) }, undefined),
      ).rejects.toThrow(
        'larger than the total memory buffer you have configured with the bufferMemory (buffer.memory) option',
      )
    })

    it('fails with BufferExhaustedError when memory does not free up within maxBlockMs', async () => {
      const h = harness({ bufferMemory: 1024, batchSize: 1024, maxBlockMs: 20 })
      const first = h.sendPath.send({ topic: 'orders', partition: 0, value: new Uint8Array(900) }, undefined)
      const second = h.sendPath.send({ topic: 'orders', partition: 1, value: new Uint8Array(900) }, undefined)
      await expect(second).rejects.toBeInstanceOf(BufferExhaustedError)
      h.respond()
      expect((await first).offset).toBe(0n)
    })

    it('fails a record when its batch fails, with the broker error', async () => {
      const h = harness()
      const sent = h.sendPath.send({ topic: 'orders', partition: 2, value: 'v' }, undefined)
      const failure = new Error('NOT_ENOUGH_REPLICAS')
      h.respond({ error: failure })
      await expect(sent).rejects.toBe(failure)
    })

    it('fails pending records when the accumulator is closed forcefully', async () => {
      const h = harness()
      const sent = h.sendPath.send({ topic: 'orders', partition: 2, value: 'v' }, undefined)
      h.accumulator.abortIncompleteBatches()
      await expect(sent).rejects.toBeInstanceOf(AccumulatorClosedError)
    })
  })

  describe('metadata wait', () => {
    it('waits for an unknown topic, then appends in send order', async () => {
      const h = harness({}, new StaticClusterView([]))
      const sent = [0, 1, 2].map((i) =>
        h.sendPath.send({ topic: 'fresh', partition: 0, value: `v${i}` }, undefined),
      )
      expect(h.sendPath.waitingForMetadata).toBe(1)
      expect(h.metadata.waits).toBe(1)
      h.metadata.publish(StaticClusterView.of('fresh', 1))
      await vi.waitFor(() => expect(h.accumulator.batchesFor('fresh', 0)[0]?.recordCount).toBe(3))
      h.respond()
      expect((await Promise.all(sent)).map((m) => m.offset)).toEqual([0n, 1n, 2n])
      expect(h.sendPath.waitingForMetadata).toBe(0)
    })

    it('fails with a TimeoutError after maxBlockMs and leaves other topics alone', async () => {
      const h = harness({ maxBlockMs: 30 }, StaticClusterView.of('orders', 1))
      const callback = vi.fn()
      const missing = h.sendPath.send({ topic: 'missing', value: 'v' }, callback)
      const other = h.sendPath.send({ topic: 'orders', value: 'v' }, undefined)
      await expect(missing).rejects.toBeInstanceOf(TimeoutError)
      await expect(missing).rejects.toThrow('Topic missing not present in metadata after 30 ms.')
      expect(callback.mock.calls[0]![0]).toMatchObject({ topic: 'missing', partition: -1, offset: -1n })
      h.respond()
      expect((await other).partition).toBe(0)
    })

    it('waits for a partition beyond the known partition count, as Java does', async () => {
      const h = harness({ maxBlockMs: 1000 }, StaticClusterView.of('orders', 2))
      const sent = h.sendPath.send({ topic: 'orders', partition: 3, value: 'v' }, undefined)
      h.metadata.publish(StaticClusterView.of('orders', 4))
      await vi.waitFor(() => expect(h.accumulator.batchesFor('orders', 3)).toHaveLength(1))
      h.respond()
      expect((await sent).partition).toBe(3)
    })
  })

  describe('callbacks and interceptors', () => {
    it('calls onAcknowledgement, then the callback, then settles the promise', async () => {
      const order: string[] = []
      const interceptor: ProducerInterceptor<Uint8Array | string, Uint8Array | string> = {
        onAcknowledgement: (metadata, error, headers) =>
          order.push(`ack ${metadata.offset} ${error} ${text(headers![0]!.value)}`),
      }
      const h = harness({}, undefined, [interceptor])
      const sent = h.sendPath.send(
        { topic: 'orders', partition: 0, value: 'v', headers: [{ key: 'h', value: 'x' }] },
        (metadata) => order.push(`callback ${metadata.offset}`),
      )
      sent.then(() => order.push('promise'))
      h.respond()
      await sent
      expect(order).toEqual(['ack 0 undefined x', 'callback 0', 'promise'])
    })

    it('lets onSend replace the record and reports an interceptor that throws instead of failing the send', async () => {
      const failing = new Error('interceptor bug')
      const interceptors: ProducerInterceptor<Uint8Array | string, Uint8Array | string>[] = [
        {
          onSend: () => {
            throw failing
          },
        },
        {
          onSend: (record) => ({ ...record, value: `${record.value}!` }),
          onAcknowledgement: () => {
            throw failing
          },
        },
      ]
      const h = harness({}, undefined, interceptors)
      const chain = (h.sendPath as unknown as { interceptors: { onSend: (r: object) => object } })
        .interceptors
      const record = chain.onSend({ topic: 'orders', partition: 0, value: 'v' })
      const sent = h.sendPath.send(record as never, undefined)
      const [batch] = h.respond()
      await sent
      expect(text(decodeOne(batch!.records()).value)).toBe('v!')
      expect(h.interceptorErrors).toEqual([failing, failing])
    })

    it('reports a callback that throws and still resolves the promise', async () => {
      const h = harness()
      const bug = new Error('callback bug')
      const sent = h.sendPath.send({ topic: 'orders', partition: 0, value: 'v' }, () => {
        throw bug
      })
      h.respond()
      expect((await sent).offset).toBe(0n)
      expect(h.callbackErrors).toEqual([bug])
    })

    it('calls onAcknowledgement with the error for a record that fails before reaching a batch', async () => {
      const acks: [RecordMetadata, Error | undefined][] = []
      const h = harness({ maxRequestSize: 100 }, undefined, [
        { onAcknowledgement: (m, e) => acks.push([m, e]) },
      ])
      await expect(
        h.sendPath.send({ topic: 'orders', value: new Uint8Array(200) }, undefined),
      ).rejects.toThrow(RecordTooLargeError)
      expect(acks).toHaveLength(1)
      expect(acks[0]![0]).toMatchObject({ topic: 'orders', partition: -1, offset: -1n })
      expect(acks[0]![1]).toBeInstanceOf(RecordTooLargeError)
    })
  })

  it('serializes with the configured serializers and writes headers byte for byte', async () => {
    const h = harness<string, unknown>({ valueSerializer: jsonSerializer })
    const sent = h.sendPath.send(
      {
        topic: 'orders',
        partition: 0,
        key: 'k',
        value: { a: 1 },
        headers: { trace: 'abc', empty: null, raw: new Uint8Array([0, 255]) },
      },
      undefined,
    )
    const [batch] = h.respond()
    await sent
    const record = decodeOne(batch!.records())
    expect(text(record.value)).toBe('{"a":1}')
    expect(
      record.headers.map((header) => [header.key, header.value === null ? null : [...header.value]]),
    ).toEqual([
      ['trace', [97, 98, 99]],
      ['empty', null],
      ['raw', [0, 255]],
    ])
  })

  describe('sendBatch', () => {
    it('settles one promise with a result per record, in order, without a promise per record', async () => {
      const h = harness({ maxRequestSize: 1000 })
      const pending = h.sendPath.sendBatch([
        { topic: 'orders', partition: 0, value: 'a' },
        { topic: '', value: 'bad topic' },
        { topic: 'orders', partition: 0, value: new Uint8Array(2000) },
        { topic: 'orders', partition: 0, value: 'b' },
      ])
      expect(h.accumulator.batchesFor('orders', 0)[0]?.recordCount).toBe(2)
      h.respond()
      const results = await pending
      expect(results.map((result) => result.status)).toEqual([
        'fulfilled',
        'rejected',
        'rejected',
        'fulfilled',
      ])
      expect(results[0]).toMatchObject({ value: { offset: 0n } })
      expect(results[3]).toMatchObject({ value: { offset: 1n } })
      expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(InvalidTopicError)
      expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(RecordTooLargeError)
    })

    it('gives each record the metadata of the batch it landed in, and fails only the records of a failed batch', async () => {
      const h = harness()
      const pending = h.sendPath.sendBatch([
        { topic: 'orders', partition: 0, key: 'k', value: 'a', timestamp: 7 },
        { topic: 'orders', partition: 1, value: 'bb' },
        { topic: 'orders', partition: 0, value: null, timestamp: 8 },
      ])
      const [first, second] = h.accumulator.drain(h.metadata.cluster, [1, 2], 1 << 20, Date.now()).values()
      const batches = [...(first ?? []), ...(second ?? [])]
      const byPartition = new Map(batches.map((batch) => [batch.partition, batch]))
      byPartition.get(0)!.complete(40n, 99)
      byPartition.get(1)!.completeExceptionally(new Error('NOT_LEADER_OR_FOLLOWER'))
      const results = await pending
      expect(results[0]).toEqual({ status: 'fulfilled', value: expect.anything() })
      expect(results[0]).toMatchObject({
        value: { topic: 'orders', partition: 0, offset: 40n, timestamp: 99, serializedKeySize: 1 },
      })
      expect(results[2]).toMatchObject({
        value: { partition: 0, offset: 41n, timestamp: 99, serializedKeySize: -1, serializedValueSize: -1 },
      })
      expect(results[1]).toEqual({ status: 'rejected', reason: new Error('NOT_LEADER_OR_FOLLOWER') })
      expect(h.recordErrors).toBe(1)
    })

    it('tells the interceptors of every record, with its headers, as it settles', async () => {
      const acks: string[] = []
      const h = harness({ maxRequestSize: 1000 }, undefined, [
        {
          onAcknowledgement: (metadata, error, headers) =>
            acks.push(`${metadata} ${error?.name ?? 'ok'} ${headers?.[0]?.key ?? '-'}`),
        },
      ])
      const pending = h.sendPath.sendBatch([
        { topic: 'orders', partition: 2, value: 'a', headers: [{ key: 'trace', value: 'x' }] },
        { topic: 'orders', partition: 2, value: new Uint8Array(2000) },
        { topic: 'orders', partition: 2, value: 'b' },
      ])
      expect(acks).toEqual(['orders-2@-1 RecordTooLargeError -'])
      h.respond()
      await pending
      expect(acks).toEqual(['orders-2@-1 RecordTooLargeError -', 'orders-2@0 ok trace', 'orders-2@1 ok -'])
    })

    it('resolves an empty batch at once', async () => {
      expect(await harness().sendPath.sendBatch([])).toEqual([])
    })
  })
})

function decodeOne(bytes: Uint8Array) {
  return decodeRecordBatches(bytes)[0]!.records[0]!
}
