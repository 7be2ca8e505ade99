// @platformatic/kafka 2.x (Node 22+, run on Node 24): `producer.send` with `batchRecords` records per call.
// Like KafkaJS it has no linger: each send() call is its own Produce request(s).
import { performance } from 'node:perf_hooks'
import { type MessageToProduce, Producer } from '@platformatic/kafka'
import { type ClientAdapter, type Driver, main } from './driver.js'

type Message = MessageToProduce<Buffer, Buffer, Buffer, Buffer>

class PlatformaticClient implements ClientAdapter {
  private readonly producer: Producer<Buffer, Buffer, Buffer, Buffer>
  private readonly topic: string

  constructor(private readonly driver: Driver) {
    const { config } = driver
    const compression = config.workload.compression
    this.producer = new Producer({
      clientId: 'bench-platformatic',
      bootstrapBrokers: config.bootstrapServers,
      acks: config.workload.acks === 'all' ? -1 : 1,
      ...(compression === 'none' ? {} : { compression }),
      autocreateTopics: false,
    })
    this.topic = config.topic
  }

  async connect(): Promise<void> {
    await this.producer.metadata({ topics: [this.topic] })
  }

  send(from: number, to: number): undefined {
    const driver = this.driver
    const messages: Message[] = []
    for (let i = from; i < to; i++) {
      const key = driver.key(i)
      messages.push(
        key === null
          ? { topic: this.topic, value: driver.value(i) }
          : { topic: this.topic, key, value: driver.value(i) },
      )
    }
    const count = to - from
    const sentAt = performance.now()
    this.producer.send({ messages }).then(
      () => driver.acked(count, sentAt),
      (error: unknown) => driver.failed(count, error),
    )
    return undefined
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    await this.producer.close()
  }
}

main((driver) => new PlatformaticClient(driver))
