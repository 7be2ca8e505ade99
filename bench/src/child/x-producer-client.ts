// @x/producer in three modes, chosen by the client id:
//   x-send, x-send-node24  per-record `send(record, callback)`, the producer batching by itself (linger.ms)
//   x-send-batch           `sendBatch` of 1,000 records (one promise per call)
//   x-rx                   the `sendRecords` RxJS operator over a Subject the driver feeds
// Back-pressure is the producer's own: when `buffer.memory` is spent, `backPressure()` says when to go on.
import { performance } from 'node:perf_hooks'
import { KafkaProducer, type ProducerRecord, type SendCallback, sendRecords } from '@x/producer'
import { Subject, type Subscription } from 'rxjs'
import { type ClientAdapter, type Driver, main } from './driver.js'

type Record = ProducerRecord<Uint8Array, Uint8Array>

/** Records sent within one group share a send time: one clock read and one callback per 64 records. */
const GROUP = 64

function createProducer(driver: Driver): KafkaProducer<Uint8Array, Uint8Array> {
  const { config } = driver
  return new KafkaProducer<Uint8Array, Uint8Array>({
    bootstrapServers: config.bootstrapServers,
    clientId: `bench-${config.client}`,
    acks: config.workload.acks === 'all' ? 'all' : 1,
    lingerMs: config.workload.lingerMs,
    compressionType: config.workload.compression,
    ...config.producerOptions,
  })
}

abstract class XClient implements ClientAdapter {
  protected readonly producer: KafkaProducer<Uint8Array, Uint8Array>
  protected readonly topic: string

  constructor(protected readonly driver: Driver) {
    this.producer = createProducer(driver)
    this.topic = driver.config.topic
  }

  protected record(i: number): Record {
    const key = this.driver.key(i)
    return key === null
      ? { topic: this.topic, value: this.driver.value(i) }
      : { topic: this.topic, key, value: this.driver.value(i) }
  }

  async connect(): Promise<void> {
    await this.producer.partitionsFor(this.topic)
    const diagnostics = this.driver.diagnostics
    if (diagnostics) {
      // Batch and request stages, from the producer's own events (built only while subscribed).
      const lingerMs = this.driver.config.workload.lingerMs
      this.producer.events$.subscribe((event) => {
        if (event.type === 'batch-completed') {
          const { batch } = event
          const completedMs = Date.now()
          diagnostics.stage('batch: created → drained', batch.drainedMs - batch.createdMs)
          diagnostics.stage('batch: drained past linger.ms', batch.drainedMs - batch.createdMs - lingerMs)
          diagnostics.stage('batch: drained → completed', completedMs - batch.drainedMs)
          diagnostics.stage('batch: records', batch.recordCount)
        } else if (event.type === 'response-received') {
          diagnostics.stage('request: sent → response (NetworkClient)', event.latencyMs)
        } else if (event.type === 'request-sent') {
          diagnostics.stage('request: batches', event.batches)
        }
      })
    }
  }

  abstract send(from: number, to: number): Promise<void> | undefined

  flush(): Promise<void> {
    return this.producer.flush()
  }

  close(): Promise<void> {
    return this.producer.close()
  }
}

/** `send(record, callback)` per record. */
class SendClient extends XClient {
  private inGroup = GROUP
  private callback: SendCallback = () => {}

  private newGroup(): void {
    const driver = this.driver
    const sentAt = performance.now()
    this.inGroup = 0
    this.callback = (_metadata, error) => {
      if (error === undefined) driver.acked(1, sentAt)
      else driver.failed(1, error)
    }
  }

  send(from: number, to: number): Promise<void> | undefined {
    // A group never spans two calls: paced runs call every millisecond or so, and a group's records are
    // timed from its first send.
    this.inGroup = GROUP
    for (let i = from; i < to; i++) {
      if (++this.inGroup >= GROUP) this.newGroup()
      this.producer.send(this.record(i), this.callback)
    }
    return this.producer.backPressure()
  }

  override flush(): Promise<void> {
    this.inGroup = GROUP // the next send (none) would start a new group
    return super.flush()
  }
}

/** `sendBatch` of the driver's chunk (1,000 records). */
class SendBatchClient extends XClient {
  send(from: number, to: number): Promise<void> | undefined {
    const driver = this.driver
    const records: Record[] = new Array(to - from)
    for (let i = from; i < to; i++) records[i - from] = this.record(i)
    const sentAt = performance.now()
    this.producer.sendBatch(records).then(
      (results) => {
        let ok = 0
        for (const result of results) {
          if (result.status === 'fulfilled') ok++
          else driver.failed(1, result.reason)
        }
        driver.acked(ok, sentAt)
      },
      (error: unknown) => driver.failed(records.length, error),
    )
    return this.producer.backPressure()
  }
}

/**
 * `source.pipe(sendRecords(producer))`: the operator emits one RecordMetadata per record in arrival order,
 * so the send times wait in a FIFO of (time, count) groups.
 */
class RxClient extends XClient {
  private readonly source = new Subject<Record>()
  private subscription: Subscription | undefined
  private readonly groupTimes: number[] = []
  private readonly groupCounts: number[] = []
  private head = 0
  private done: Promise<void> | undefined

  override async connect(): Promise<void> {
    await super.connect()
    const driver = this.driver
    this.done = new Promise((resolve) => {
      this.subscription = this.source.pipe(sendRecords(this.producer)).subscribe({
        next: () => {
          driver.acked(1, this.groupTimes[this.head]!)
          if (--this.groupCounts[this.head]! === 0) this.head++
        },
        error: (error: unknown) => {
          const acked = this.groupCounts.slice(this.head).reduce((a, b) => a + b, 0)
          driver.failed(acked, error)
          resolve()
        },
        complete: () => resolve(),
      })
    })
  }

  send(from: number, to: number): Promise<void> | undefined {
    for (let i = from; i < to; i++) {
      const last = this.groupCounts.length - 1
      if (last < this.head || this.groupCounts[last]! >= GROUP) {
        this.groupTimes.push(performance.now())
        this.groupCounts.push(1)
      } else this.groupCounts[last]!++
      this.source.next(this.record(i))
    }
    return this.producer.backPressure()
  }

  override async flush(): Promise<void> {
    this.source.complete()
    await this.producer.flush()
    await this.done
  }

  override async close(): Promise<void> {
    this.subscription?.unsubscribe()
    await super.close()
  }
}

main((driver) => {
  switch (driver.config.client) {
    case 'x-send-batch':
      return new SendBatchClient(driver)
    case 'x-rx':
      return new RxClient(driver)
    default:
      return new SendClient(driver)
  }
})
