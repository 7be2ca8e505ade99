import { StaticClusterView } from '@x/partitioners'
import { from, lastValueFrom, Subject, toArray } from 'rxjs'
import { describe, expect, it } from 'vitest'
import type { ProducerRecord } from '../record/producer-record.js'
import { RecordMetadata } from '../record/record-metadata.js'
import { harness } from '../send/send-path.test-helper.js'
import { type RecordSink, sendRecords } from './send-records.js'

/** A sink whose sends settle when the test says so, and which reports back-pressure on demand. */
class ManualSink implements RecordSink<string, string> {
  readonly sent: {
    record: ProducerRecord<string, string>
    resolve: (m: RecordMetadata) => void
    reject: (e: unknown) => void
  }[] = []
  pressure: { promise: Promise<void>; release: () => void } | undefined

  send(record: ProducerRecord<string, string>): Promise<RecordMetadata> {
    if (record.value === 'throw') throw new Error('bad record')
    return new Promise((resolve, reject) => this.sent.push({ record, resolve, reject }))
  }

  backPressure(): Promise<void> | undefined {
    return this.pressure?.promise
  }

  press(): void {
    let release!: () => void
    const promise = new Promise<void>((resolve) => {
      release = resolve
    })
    this.pressure = {
      promise,
      release: () => {
        this.pressure = undefined
        release()
      },
    }
  }

  ack(index: number): void {
    this.sent[index]!.resolve(new RecordMetadata('t', 0, BigInt(index), 0, -1, 1))
  }
}

const record = (value: string): ProducerRecord<string, string> => ({ topic: 't', value })
const flushPromises = () => new Promise((resolve) => setImmediate(resolve))

describe('sendRecords', () => {
  it('emits metadata in arrival order even when acknowledgements come out of order', async () => {
    const sink = new ManualSink()
    const input = new Subject<ProducerRecord<string, string>>()
    const seen: bigint[] = []
    let completed = false
    input
      .pipe(sendRecords(sink))
      .subscribe({ next: (m) => seen.push(m.offset), complete: () => (completed = true) })
    for (const value of ['a', 'b', 'c']) input.next(record(value))
    input.complete()
    sink.ack(2)
    sink.ack(1)
    await flushPromises()
    expect(seen).toEqual([])
    sink.ack(0)
    await flushPromises()
    expect(seen).toEqual([0n, 1n, 2n])
    expect(completed).toBe(true)
  })

  it('errors with the first failure in arrival order and stops taking records', async () => {
    const sink = new ManualSink()
    const input = new Subject<ProducerRecord<string, string>>()
    const seen: unknown[] = []
    input.pipe(sendRecords(sink)).subscribe({ next: (m) => seen.push(m.offset), error: (e) => seen.push(e) })
    input.next(record('a'))
    input.next(record('b'))
    const failure = new Error('NOT_ENOUGH_REPLICAS')
    sink.sent[1]!.reject(failure)
    sink.ack(0)
    await flushPromises()
    expect(seen).toEqual([0n, failure])
    input.next(record('c'))
    expect(sink.sent).toHaveLength(2)
  })

  it('turns a send that throws (bad record) into an error at its place in the order', async () => {
    const sink = new ManualSink()
    const result = lastValueFrom(from([record('a'), record('throw')]).pipe(sendRecords(sink), toArray()))
    sink.ack(0)
    await expect(result).rejects.toThrow('bad record')
  })

  it('stops calling send while the producer waits for memory and resumes after', async () => {
    const sink = new ManualSink()
    const input = new Subject<ProducerRecord<string, string>>()
    const seen: bigint[] = []
    input.pipe(sendRecords(sink)).subscribe((m) => seen.push(m.offset))
    input.next(record('a'))
    sink.press()
    input.next(record('b')) // sent, and now the producer reports back-pressure
    input.next(record('c'))
    input.next(record('d'))
    expect(sink.sent.map((s) => s.record.value)).toEqual(['a', 'b'])
    sink.pressure!.release()
    await flushPromises()
    expect(sink.sent.map((s) => s.record.value)).toEqual(['a', 'b', 'c', 'd'])
    for (let i = 0; i < 4; i++) sink.ack(i)
    await flushPromises()
    expect(seen).toEqual([0n, 1n, 2n, 3n])
  })

  it('never has more than buffer.memory in the producer when the source outruns the broker', async () => {
    // 4 KiB of memory, 1 KiB batches, ~900-byte records: at most 4 records fit before appends must wait.
    const h = harness(
      { bufferMemory: 4096, batchSize: 1024, maxBlockMs: 60_000 },
      StaticClusterView.of('orders', 4, [1]),
    )
    const sink: RecordSink<Uint8Array | string, Uint8Array | string> = {
      send: (r) => h.sendPath.send(r, undefined),
      backPressure: () => h.sendPath.backPressure(),
    }
    const records = Array.from({ length: 40 }, (_, i) => ({
      topic: 'orders',
      partition: i % 4,
      value: new Uint8Array(900).fill(i),
    }))
    let maxBlocked = 0
    const broker = setInterval(() => {
      maxBlocked = Math.max(maxBlocked, h.sendPath.blockedSends)
      h.respond()
    }, 1)
    const metadata = await lastValueFrom(from(records).pipe(sendRecords(sink), toArray()))
    clearInterval(broker)
    expect(metadata.map((m) => m.partition)).toEqual(records.map((r) => r.partition))
    // The operator held records back: at most one send at a time ever waited inside the producer.
    expect(maxBlocked).toBeLessThanOrEqual(1)
  })
})
