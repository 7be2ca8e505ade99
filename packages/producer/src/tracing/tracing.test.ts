// OpenTelemetry tracing on @x/testkit's embedded cluster: the SDK (sdk-trace-base with an in-memory exporter,
// sdk-metrics with a pull reader) and the AsyncLocalStorage context manager stand in for an application's
// setup. What the broker stored is read back from the cluster's partition log. Span and metric names are the
// semconv 1.28.0 messaging conventions; the traceparent format is W3C Trace Context level 1 (version 00).
import * as api from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { EmbeddedKafkaCluster } from '@x/testkit'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ConfigError } from '../errors/config-error.js'
import { KafkaProducer } from '../kafka-producer.js'
import type { KafkaProducerOptions } from '../options/java-properties.js'
import { formatTraceparent, withTraceContext } from './traceparent.js'

/** A pull reader: the test collects when it wants. */
class TestReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE })
  }
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}

const contextManager = new AsyncLocalStorageContextManager()
let cluster: EmbeddedKafkaCluster
let exporter: InMemorySpanExporter
let tracerProvider: BasicTracerProvider
let reader: TestReader
let meterProvider: MeterProvider
const producers: KafkaProducer<unknown, unknown>[] = []

beforeAll(() => {
  api.context.setGlobalContextManager(contextManager.enable())
})
afterAll(() => {
  api.context.disable()
})
beforeEach(async () => {
  cluster = await EmbeddedKafkaCluster.start({
    brokers: 1,
    listen: false,
    topics: [{ name: 'orders', partitions: 2 }],
  })
  exporter = new InMemorySpanExporter()
  tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
  reader = new TestReader()
  meterProvider = new MeterProvider({ readers: [reader] })
})
afterEach(async () => {
  for (const producer of producers.splice(0)) await producer.close({ timeoutMs: 0 })
  await cluster.stop()
  await tracerProvider.shutdown()
  await meterProvider.shutdown()
})

function producer(options: KafkaProducerOptions = {}): KafkaProducer {
  const created = new KafkaProducer({
    bootstrapServers: cluster.bootstrapServers,
    transport: cluster.transport,
    enableIdempotence: false,
    clientId: 'traced',
    tracing: { enabled: true, api, tracerProvider, meterProvider },
    ...options,
  })
  producers.push(created as KafkaProducer<unknown, unknown>)
  return created
}

const text = (bytes: Uint8Array | null | undefined) =>
  bytes == null ? null : new TextDecoder().decode(bytes)
const caller = () => tracerProvider.getTracer('test')

describe('tracing', () => {
  it('makes the send span a child of the caller’s span and writes its traceparent into the record', async () => {
    const p = producer()
    let parent: api.SpanContext | undefined
    const metadata = await caller().startActiveSpan('handle order', async (span) => {
      parent = span.spanContext()
      try {
        return await p.send({ topic: 'orders', partition: 1, key: 'k1', value: 'v1' })
      } finally {
        span.end()
      }
    })
    const send = exporter.getFinishedSpans().find((span) => span.name === 'send orders')!
    expect(send).toBeDefined()
    expect(send.kind).toBe(api.SpanKind.PRODUCER)
    expect(send.spanContext().traceId).toBe(parent!.traceId)
    expect(send.parentSpanContext?.spanId).toBe(parent!.spanId)
    expect(send.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.operation.name': 'send',
      'messaging.operation.type': 'send',
      'messaging.destination.name': 'orders',
      'messaging.destination.partition.id': '1',
      'messaging.client.id': 'traced',
      'messaging.kafka.message.key': 'k1',
      'messaging.kafka.offset': Number(metadata.offset),
    })
    expect(send.status.code).toBe(api.SpanStatusCode.UNSET)
    const [stored] = cluster.records('orders', 1)
    const traceparent = stored!.headers.find((header) => header.key === 'traceparent')
    expect(text(traceparent?.value)).toBe(`00-${parent!.traceId}-${send.spanContext().spanId}-01`)
  })

  it('ends the span with the error when the record fails after it was accepted', async () => {
    const p = producer({ maxRequestSize: 1024 })
    const error = await p.send({ topic: 'orders', value: 'x'.repeat(2000) }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'MESSAGE_TOO_LARGE' })
    const [span] = exporter.getFinishedSpans()
    expect(span!.name).toBe('send orders')
    expect(span!.status).toMatchObject({ code: api.SpanStatusCode.ERROR, message: (error as Error).message })
    expect(span!.attributes['error.type']).toBe('MESSAGE_TOO_LARGE')
    expect(span!.events.map((event) => event.name)).toEqual(['exception'])
  })

  it('ends the span with the error when send() throws, and rethrows', async () => {
    const p = producer()
    expect(() => p.send({ topic: 'bad topic!', value: 'v' })).toThrow(/topic/i)
    const [span] = exporter.getFinishedSpans()
    expect(span!.attributes['error.type']).toBe('INVALID_TOPIC_EXCEPTION')
    expect(span!.status.code).toBe(api.SpanStatusCode.ERROR)
  })

  it('traces a send with an AbortSignal, ending the span with the cancellation', async () => {
    const p = producer()
    const error = await p
      .send({ topic: 'orders', value: 'v' }, { signal: AbortSignal.abort() })
      .catch((e: unknown) => e)
    const [span] = exporter.getFinishedSpans()
    expect(span!.status.code).toBe(api.SpanStatusCode.ERROR)
    expect(span!.attributes['error.type']).toBe((error as { code: string }).code)
  })

  it('counts sent messages and records the operation duration, with error.type on failures', async () => {
    const p = producer({ maxRequestSize: 1024 })
    await Promise.all([
      p.send({ topic: 'orders', partition: 0, value: 'a' }),
      p.send({ topic: 'orders', partition: 0, value: 'b' }),
    ])
    await p.send({ topic: 'orders', partition: 0, value: 'x'.repeat(2000) }).catch(() => undefined)
    const { resourceMetrics } = await reader.collect()
    const metrics = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics)
    const sent = metrics.find((metric) => metric.descriptor.name === 'messaging.client.sent.messages')!
    expect(sent.descriptor.unit).toBe('{message}')
    const points = sent.dataPoints.map((point) => [point.attributes['error.type'], point.value])
    expect(points).toEqual(
      expect.arrayContaining([
        [undefined, 2],
        ['MESSAGE_TOO_LARGE', 1],
      ]),
    )
    const ok = sent.dataPoints.find((point) => point.attributes['error.type'] === undefined)!
    expect(ok.attributes).toEqual({
      'messaging.system': 'kafka',
      'messaging.operation.name': 'send',
      'messaging.operation.type': 'send',
      'messaging.destination.name': 'orders',
      'messaging.destination.partition.id': '0',
    })
    const duration = metrics.find(
      (metric) => metric.descriptor.name === 'messaging.client.operation.duration',
    )!
    expect(duration.descriptor.unit).toBe('s')
    const counts = duration.dataPoints.map((point) => (point.value as { count: number }).count)
    expect(counts.reduce((a, b) => a + b, 0)).toBe(3)
  })

  it('runs the callback in the caller’s context and traces every record of sendBatch', async () => {
    const p = producer()
    const seen = await caller().startActiveSpan('batch', async (span) => {
      const inCallback = new Promise<string | undefined>((resolve) => {
        p.send({ topic: 'orders', value: 'one' }, () =>
          resolve(api.trace.getActiveSpan()?.spanContext().spanId),
        )
      })
      const results = await p.sendBatch([
        { topic: 'orders', value: 'two' },
        { topic: 'bad topic!', value: 'three' },
      ])
      span.end()
      return { spanId: span.spanContext().spanId, callback: await inCallback, results }
    })
    expect(seen.callback).toBe(seen.spanId)
    expect(seen.results.map((result) => result.status)).toEqual(['fulfilled', 'rejected'])
    const sends = exporter.getFinishedSpans().filter((span) => span.name.startsWith('send '))
    expect(sends).toHaveLength(3)
    for (const span of sends) expect(span.parentSpanContext?.spanId).toBe(seen.spanId)
  })

  it('loads @opentelemetry/api itself when only enabled is given, and uses its global providers', async () => {
    api.trace.setGlobalTracerProvider(tracerProvider)
    try {
      const p = producer({ tracing: { enabled: true } })
      await p.send({ topic: 'orders', value: 'v' })
      expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['send orders'])
    } finally {
      api.trace.disable()
    }
  })

  it('leaves records alone with propagate: false, and does nothing with tracing: { enabled: false }', async () => {
    await producer({ tracing: { enabled: true, api, tracerProvider, propagate: false } }).send({
      topic: 'orders',
      partition: 0,
      value: 'v',
    })
    await producer({ tracing: { enabled: false, api, tracerProvider } }).send({
      topic: 'orders',
      partition: 0,
      value: 'w',
    })
    expect(cluster.records('orders', 0).map((record) => record.headers)).toEqual([[], []])
    expect(exporter.getFinishedSpans()).toHaveLength(1)
  })

  it('refuses a tracing option that is not one, naming the option', () => {
    expect(() => producer({ tracing: { enabled: 'yes' } as never })).toThrow(ConfigError)
    expect(() => producer({ tracing: { enabled: true, tracerProvider: {} } as never })).toThrow(
      /tracing\.tracerProvider/,
    )
  })
})

describe('traceparent', () => {
  const context = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 }

  it('formats W3C version 00 and skips the invalid (no-op) context', () => {
    // The example of the W3C Trace Context recommendation, section 3.2.
    expect(formatTraceparent(context)).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01')
    expect(
      formatTraceparent({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 }),
    ).toBeUndefined()
  })

  it('replaces a traceparent the record carries, keeps the other headers and the caller’s record', () => {
    const record = {
      topic: 't',
      headers: [
        { key: 'a', value: '1' },
        { key: 'traceparent', value: 'old' },
      ],
    }
    const traced = withTraceContext(record, { ...context, traceState: { serialize: () => 'vendor=x' } })
    expect(traced.headers).toEqual([
      { key: 'a', value: '1' },
      { key: 'traceparent', value: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
      { key: 'tracestate', value: 'vendor=x' },
    ])
    expect(record.headers).toHaveLength(2)
    expect(withTraceContext({ topic: 't', headers: { a: '1' } }, context).headers).toEqual({
      a: '1',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    })
  })
})
