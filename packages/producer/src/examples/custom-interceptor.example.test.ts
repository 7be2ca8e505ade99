// Example (README "A custom interceptor"): stamps a trace header on every record and counts acknowledgements
// per topic. Runs against @x/testkit's embedded cluster over its in-memory transport.
import { KafkaProducer, type ProducerInterceptor, type ProducerRecord } from '@x/producer'
import { EmbeddedKafkaCluster } from '@x/testkit'
import { expect, it } from 'vitest'

class TracingInterceptor implements ProducerInterceptor<string, string> {
  readonly acknowledged = new Map<string, number>()
  readonly failed: Error[] = []

  onSend(record: ProducerRecord<string, string>): ProducerRecord<string, string> {
    const headers = Array.isArray(record.headers) ? record.headers : []
    return { ...record, headers: [...headers, { key: 'trace-id', value: `trace-${record.key ?? 'none'}` }] }
  }

  onAcknowledgement(metadata: { topic: string }, error: Error | undefined): void {
    if (error) this.failed.push(error)
    else this.acknowledged.set(metadata.topic, (this.acknowledged.get(metadata.topic) ?? 0) + 1)
  }
}

it('intercepts records before they are sent and sees every outcome', async () => {
  const cluster = await EmbeddedKafkaCluster.start({ listen: false, topics: ['audit'] })
  const tracing = new TracingInterceptor()
  const producer = new KafkaProducer<string, string>({
    bootstrapServers: cluster.bootstrapServers,
    transport: cluster.transport,
    interceptors: [tracing],
    enableIdempotence: false,
  })
  await producer.send({ topic: 'audit', key: 'alice', value: 'logged in' })
  await producer.close()
  const [record] = cluster.records('audit', 0)
  expect(record!.headers.map((h) => [h.key, new TextDecoder().decode(h.value!)])).toEqual([
    ['trace-id', 'trace-alice'],
  ])
  expect(tracing.acknowledged.get('audit')).toBe(1)
  await cluster.stop()
})
