// node-rdkafka (librdkafka from Debian, built by bench/setup.sh): per-record `produce()`, librdkafka batching
// by itself (linger.ms), delivery reports through `dr_cb` carrying the send time as the opaque.
import { performance } from 'node:perf_hooks'
import Kafka from 'node-rdkafka'
import { type ClientAdapter, type Driver, main } from './driver.js'

const QUEUE_FULL = -184 // RD_KAFKA_RESP_ERR__QUEUE_FULL

class NodeRdkafkaClient implements ClientAdapter {
  private readonly producer: Kafka.Producer
  private readonly topic: string

  constructor(private readonly driver: Driver) {
    const { config } = driver
    this.topic = config.topic
    this.producer = new Kafka.Producer(
      {
        'bootstrap.servers': config.bootstrapServers.join(','),
        'client.id': 'bench-node-rdkafka',
        'linger.ms': config.workload.lingerMs,
        'compression.codec': config.workload.compression,
        dr_cb: true,
      },
      { 'request.required.acks': config.workload.acks === 'all' ? -1 : 1 },
    )
    this.producer.on('delivery-report', (error, report) => {
      if (error) driver.failed(1, error)
      else driver.acked(1, report.opaque as number)
    })
  }

  connect(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.producer.connect({ topic: this.topic, timeout: 30_000 }, (error) =>
        error ? reject(error) : resolve(),
      )
    }).then(() => {
      this.producer.setPollInterval(5)
    })
  }

  send(from: number, to: number): Promise<void> | undefined {
    const { driver, producer, topic } = this
    for (let i = from; i < to; i++) {
      try {
        producer.produce(topic, null, driver.value(i), driver.key(i), null, performance.now())
      } catch (error) {
        if ((error as { code?: number }).code !== QUEUE_FULL) throw error
        // librdkafka's queue is full: serve delivery reports until it has room, then go on from record i
        return this.waitForRoom().then(() => this.send(i, to))
      }
    }
    producer.poll()
    return undefined
  }

  private async waitForRoom(): Promise<void> {
    this.producer.poll()
    await new Promise((resolve) => setTimeout(resolve, 1))
  }

  flush(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.producer.flush(60_000, (error) => (error ? reject(error) : resolve()))
    })
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.producer.disconnect(() => resolve()))
  }
}

main((driver) => new NodeRdkafkaClient(driver))
