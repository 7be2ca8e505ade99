// A deliberately naive at-least-once producer for the scenario runner's own tests: one record per Produce
// request, one request at a time, leaders read straight from the cluster, and a retry of the same bytes
// after any failure — so a response lost after the append (disconnect after handling) duplicates the
// record, exactly the anomaly a non-idempotent client shows. It is the "broken fake" of the negative
// controls, not a model of a good producer.
import { ApiError, RecordBatchBuilder } from '@x/protocol'
import type { EmbeddedKafkaCluster } from '../../embedded-kafka-cluster.js'
import { KafkaWireClient } from '../../wire-client/kafka-wire-client.js'
import type { ScenarioProducer, ScenarioRecord, ScenarioRecordMetadata } from '../scenario-producer.js'

type Callback = (metadata: ScenarioRecordMetadata, error: Error | undefined) => void

interface Queued {
  readonly record: ScenarioRecord
  readonly partition: number
  readonly callback: Callback | undefined
  resolve(metadata: ScenarioRecordMetadata): void
  reject(error: Error): void
}

export class RetryingWireProducer implements ScenarioProducer {
  private readonly queue: Queued[] = []
  private readonly clients = new Map<number, KafkaWireClient>()
  private running: Promise<void> | undefined
  private closed = false

  constructor(
    private readonly cluster: EmbeddedKafkaCluster,
    private readonly maxAttempts = 10,
  ) {}

  send(record: ScenarioRecord, callback?: Callback): Promise<ScenarioRecordMetadata> {
    if (this.closed) throw new Error('RetryingWireProducer is closed')
    const partitions = this.cluster.topic(record.topic)!.partitions.length
    const partition = record.partition ?? hash(record.key) % partitions
    return new Promise((resolve, reject) => {
      this.queue.push({ record, partition, callback, resolve, reject })
      this.running ??= this.drain().finally(() => {
        this.running = undefined
      })
    })
  }

  async flush(): Promise<void> {
    while (this.running !== undefined) await this.running
  }

  async close(): Promise<void> {
    this.closed = true
    await this.flush()
    for (const client of this.clients.values()) client.close()
    this.clients.clear()
  }

  private async drain(): Promise<void> {
    for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
      const builder = new RecordBatchBuilder(new Uint8Array(1024))
      builder.append(Date.now(), next.record.key, next.record.value, next.record.headers)
      const records = builder.close()
      let lastError: Error = new Error('no attempt')
      let done = false
      for (let attempt = 1; attempt <= this.maxAttempts && !done; attempt++) {
        try {
          const offset = await this.produce(next.record.topic, next.partition, records)
          const metadata = { partition: next.partition, offset }
          next.callback?.(metadata, undefined)
          next.resolve(metadata)
          done = true
        } catch (error) {
          lastError = error as Error
          await new Promise((resolve) => setTimeout(resolve, 2))
        }
      }
      if (!done) {
        next.callback?.({ partition: next.partition, offset: -1 }, lastError)
        next.reject(lastError)
      }
    }
  }

  private async produce(topic: string, partition: number, records: Uint8Array): Promise<bigint> {
    const leader = this.cluster.topic(topic)!.partitions[partition]!.leader
    let client = this.clients.get(leader)
    if (client === undefined || client.isClosed) {
      const broker = this.cluster.brokers.find((candidate) => candidate.id === leader)!
      client = await KafkaWireClient.connect({
        host: broker.host,
        port: broker.port,
        transport: this.cluster.transport,
        requestTimeoutMs: 2_000,
      })
      this.clients.set(leader, client)
    }
    const response = await client.request('Produce', {
      acks: -1,
      timeoutMs: 5_000,
      topicData: [{ name: topic, partitionData: [{ index: partition, records }] }],
    })
    const result = response.responses[0]!.partitionResponses[0]!
    if (result.errorCode !== 0) throw new ApiError({ errorCode: result.errorCode })
    return result.baseOffset
  }
}

function hash(key: Uint8Array | null): number {
  let h = 0
  for (const byte of key ?? []) h = (h * 31 + byte) >>> 0
  return h
}
