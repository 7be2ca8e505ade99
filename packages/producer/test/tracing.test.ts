// Trace context through a real broker (vitest project `kafka`; tools/kafka-harness starts Apache Kafka): a
// trace started by the caller gets the producer's `send <topic>` span as a child, and the official Java
// consumer (ConsoleConsumer) reads the span's W3C `traceparent` header back — same trace id, the producer
// span as parent. The body of the first test is the README's tracing example.

import * as api from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { consumeWithJava, createTopic } from '@x/kafka-harness'
import { kafkaSingleNode, uniqueTopic } from '@x/kafka-harness/vitest'
import { KafkaProducer } from '@x/producer'
import { expect, it } from 'vitest'

it('runs the README tracing example: the consumer reads the producer span’s traceparent', async () => {
  const node = kafkaSingleNode()
  const topic = uniqueTopic('traced')
  await createTopic(node, { topic, partitions: 1 })

  // README example: begin
  // The application's OpenTelemetry setup (here: spans kept in memory).
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
  const exporter = new InMemorySpanExporter()
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })

  const producer = new KafkaProducer({
    bootstrapServers: node.bootstrapServers,
    tracing: { enabled: true, tracerProvider },
  })
  const tracer = tracerProvider.getTracer('checkout')
  const traceId = await tracer.startActiveSpan('checkout', async (span) => {
    await producer.send({ topic, key: 'order-1', value: 'paid' }) // a `send <topic>` PRODUCER span, child of `checkout`
    span.end()
    return span.spanContext().traceId
  })
  await producer.close()
  // README example: end

  try {
    const send = exporter.getFinishedSpans().find((span) => span.name === `send ${topic}`)!
    const checkout = exporter.getFinishedSpans().find((span) => span.name === 'checkout')!
    expect(send.kind).toBe(api.SpanKind.PRODUCER)
    expect(send.spanContext().traceId).toBe(traceId)
    expect(send.parentSpanContext?.spanId).toBe(checkout.spanContext().spanId)

    const [record] = await consumeWithJava(node.tools, {
      bootstrapServers: node.bootstrapServers,
      topic,
      maxRecords: 1,
    })
    const header = record!.headers.find((h) => h.key === 'traceparent')
    const traceparent = Buffer.from(header!.value!).toString('utf8')
    expect(traceparent).toBe(`00-${traceId}-${send.spanContext().spanId}-01`)
  } finally {
    api.context.disable()
    await tracerProvider.shutdown()
  }
})
