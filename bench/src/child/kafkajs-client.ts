// KafkaJS 2.x: `producer.send` with `batchRecords` records per call (1,000 pre-batched, or 1 per record).
// KafkaJS has no linger: every send() call becomes its own Produce request(s). Compression: only GZIP is
// built in (lz4 and zstd need third-party native codecs), so the runner offers it no lz4/zstd workloads.
import { performance } from 'node:perf_hooks'
import { CompressionTypes, Kafka, logLevel, Partitioners, type Producer } from 'kafkajs'
import { type ClientAdapter, type Driver, main } from './driver.js'

class KafkaJsClient implements ClientAdapter {
  private readonly producer: Producer
  private readonly topic: string
  private readonly acks: number

  constructor(private readonly driver: Driver) {
    const { config } = driver
    const kafka = new Kafka({
      clientId: 'bench-kafkajs',
      brokers: config.bootstrapServers,
      logLevel: logLevel.NOTHING,
    })
    this.producer = kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    })
    this.topic = config.topic
    this.acks = config.workload.acks === 'all' ? -1 : 1
  }

  async connect(): Promise<void> {
    await this.producer.connect()
  }

  send(from: number, to: number): undefined {
    const driver = this.driver
    const messages = []
    for (let i = from; i < to; i++) messages.push({ key: driver.key(i), value: driver.value(i) })
    const count = to - from
    const sentAt = performance.now()
    this.producer
      .send({ topic: this.topic, acks: this.acks, compression: CompressionTypes.None, messages })
      .then(
        () => driver.acked(count, sentAt),
        (error: unknown) => driver.failed(count, error),
      )
    return undefined
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    await this.producer.disconnect()
  }
}

main((driver) => new KafkaJsClient(driver))
