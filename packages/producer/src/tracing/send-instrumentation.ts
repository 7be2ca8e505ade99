import { performance } from 'node:perf_hooks'
import { KafkaError } from '@x/protocol'
import type { SendOptions } from '../cancellation/send-options.js'
import type { ProducerRecord } from '../record/producer-record.js'
import type { RecordMetadata } from '../record/record-metadata.js'
import type { SendResult } from '../send/batch-send.js'
import type { SendCallback } from '../send/send-callback.js'
import { sendEach } from '../send/send-each.js'
import type {
  OtelApi,
  OtelAttributes,
  OtelContext,
  OtelCounter,
  OtelHistogram,
  OtelSpan,
  OtelTracer,
} from './otel-api.js'
import { loadOtelApi } from './otel-api.js'
import {
  ackChannel,
  errorChannel,
  type ProducerAckMessage,
  type ProducerErrorMessage,
  type ProducerSendMessage,
  sendChannel,
} from './producer-channels.js'
import {
  ATTR_ERROR_TYPE,
  ATTR_MESSAGING_CLIENT_ID,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_DESTINATION_PARTITION_ID,
  ATTR_MESSAGING_KAFKA_MESSAGE_KEY,
  ATTR_MESSAGING_KAFKA_MESSAGE_TOMBSTONE,
  ATTR_MESSAGING_KAFKA_OFFSET,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  MESSAGING_OPERATION_SEND,
  MESSAGING_SYSTEM_KAFKA,
  METRIC_MESSAGING_CLIENT_OPERATION_DURATION,
  METRIC_MESSAGING_CLIENT_SENT_MESSAGES,
  OPERATION_DURATION_BUCKETS,
  SPAN_KIND_PRODUCER,
  SPAN_STATUS_ERROR,
} from './semconv.js'
import { withTraceContext } from './traceparent.js'
import type { ResolvedTracingOptions } from './tracing-options.js'

/** The instrumentation scope name and version spans and metrics are reported under. */
export const INSTRUMENTATION_SCOPE = '@x/producer'
const INSTRUMENTATION_VERSION = '0.0.0'

/** The one flag the per-record path reads: `anyProducerChannel` when tracing is off, else always true. */
export interface ObservationGate {
  readonly hasSubscribers: boolean
}
export const ALWAYS_OBSERVE: ObservationGate = { hasSubscribers: true }

/** The OpenTelemetry side of the instrumentation, built once per producer when tracing is on. */
export class ProducerTelemetry {
  readonly api: OtelApi
  readonly tracer: OtelTracer
  readonly sentMessages: OtelCounter
  readonly operationDuration: OtelHistogram
  readonly propagate: boolean

  constructor(options: ResolvedTracingOptions) {
    const api = options.api ?? loadOtelApi()
    this.api = api
    this.propagate = options.propagate
    this.tracer = (options.tracerProvider ?? api.trace.getTracerProvider()).getTracer(
      INSTRUMENTATION_SCOPE,
      INSTRUMENTATION_VERSION,
    )
    const meter = (options.meterProvider ?? api.metrics.getMeterProvider()).getMeter(
      INSTRUMENTATION_SCOPE,
      INSTRUMENTATION_VERSION,
    )
    this.sentMessages = meter.createCounter(METRIC_MESSAGING_CLIENT_SENT_MESSAGES, {
      description: 'Number of messages the producer attempted to send to the broker.',
      unit: '{message}',
    })
    this.operationDuration = meter.createHistogram(METRIC_MESSAGING_CLIENT_OPERATION_DURATION, {
      description: 'Duration of the send operation, from send() to the acknowledgement or failure.',
      unit: 's',
      advice: { explicitBucketBoundaries: [...OPERATION_DURATION_BUCKETS] },
    })
  }
}

/** `error.type`: a Kafka error's code (`NOT_ENOUGH_REPLICAS`, `REQUEST_TIMED_OUT`...), else the error's name. */
export function errorType(error: Error): string {
  if (KafkaError.isInstance(error) && error.code !== 'KAFKA_ERROR') return error.code
  return error.name || '_OTHER'
}

/**
 * The observed variant of `send()`: taken only for records sent while tracing is on or someone subscribes to
 * `x-kafka:producer:send`, so the plain path pays one flag read per record. Per record it starts a PRODUCER
 * span `send <topic>` (child of the active context), writes its `traceparent` into the headers, publishes on
 * the diagnostics channels and, when the record is acknowledged or fails, ends the span, records the
 * `messaging.client.*` metrics and then calls the user's callback (in the caller's context).
 */
export class SendInstrumentation<K, V> {
  constructor(
    private readonly clientId: string,
    private readonly telemetry: ProducerTelemetry | undefined,
    /** The plain send (cancellable when given a signal). */
    private readonly sendOne: (
      record: ProducerRecord<K, V>,
      callback: SendCallback,
      signal: AbortSignal | undefined,
    ) => Promise<RecordMetadata>,
  ) {}

  /** `send(record)`, `send(record, callback)` or `send(record, { signal, callback })`, observed. */
  send(
    record: ProducerRecord<K, V>,
    callbackOrOptions: SendCallback | SendOptions | undefined,
  ): Promise<RecordMetadata> {
    const options =
      typeof callbackOrOptions === 'object' && callbackOrOptions !== null ? callbackOrOptions : undefined
    const callback =
      options === undefined ? (callbackOrOptions as SendCallback | undefined) : options.callback
    const observed = new ObservedSend(this.clientId, this.telemetry, record, callback)
    let future: Promise<RecordMetadata>
    try {
      future = this.sendOne(observed.record, observed.onCompletion, options?.signal)
    } catch (error) {
      observed.thrown(error)
      throw error
    }
    // `send()` without a callback returns a native promise; the future of a send with one is lazy.
    return callback === undefined ? asNativePromise(future) : future
  }

  /**
   * `sendBatch` observed: each record as an observed `send()` (cancellable with `signal`), the results in
   * `Promise.allSettled`'s shape.
   */
  sendBatch(records: readonly ProducerRecord<K, V>[], signal?: AbortSignal): Promise<SendResult[]> {
    return sendEach(records, (record, callback) =>
      this.send(record, signal === undefined ? callback : { signal, callback }),
    )
  }
}

/** A thenable future as a native promise (it is the lazy `FutureRecordMetadata` when a callback was given). */
function asNativePromise(future: Promise<RecordMetadata>): Promise<RecordMetadata> {
  const native = (future as { promise?: () => Promise<RecordMetadata> }).promise
  return typeof native === 'function' ? native.call(future) : Promise.resolve(future)
}

/** One observed record, from `send()` to its outcome. */
class ObservedSend<K, V> {
  readonly record: ProducerRecord<K, V>
  private readonly startMs = performance.now()
  private readonly span: OtelSpan | undefined
  private readonly parent: OtelContext | undefined

  constructor(
    private readonly clientId: string,
    private readonly telemetry: ProducerTelemetry | undefined,
    record: ProducerRecord<K, V>,
    private readonly callback: SendCallback | undefined,
  ) {
    if (telemetry === undefined) {
      this.record = record
    } else {
      this.parent = telemetry.api.context.active()
      const attributes: OtelAttributes = {
        [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_KAFKA,
        [ATTR_MESSAGING_OPERATION_NAME]: MESSAGING_OPERATION_SEND,
        [ATTR_MESSAGING_OPERATION_TYPE]: MESSAGING_OPERATION_SEND,
        [ATTR_MESSAGING_DESTINATION_NAME]: String(record?.topic),
        [ATTR_MESSAGING_CLIENT_ID]: clientId,
      }
      if (typeof record?.key === 'string') attributes[ATTR_MESSAGING_KAFKA_MESSAGE_KEY] = record.key
      if (record?.value === null || record?.value === undefined)
        attributes[ATTR_MESSAGING_KAFKA_MESSAGE_TOMBSTONE] = true
      if (typeof record?.partition === 'number' && record.partition >= 0)
        attributes[ATTR_MESSAGING_DESTINATION_PARTITION_ID] = String(record.partition)
      const span = telemetry.tracer.startSpan(
        `${MESSAGING_OPERATION_SEND} ${String(record?.topic)}`,
        { kind: SPAN_KIND_PRODUCER, attributes },
        this.parent,
      )
      this.span = span
      this.record =
        telemetry.propagate && typeof record === 'object' && record !== null
          ? withTraceContext(record, span.spanContext())
          : record
    }
    if (sendChannel.hasSubscribers)
      sendChannel.publish({ record: this.record, clientId } satisfies ProducerSendMessage)
  }

  /** The callback handed to the send path: one per observed record. */
  readonly onCompletion = (metadata: RecordMetadata, error: Error | undefined): void => {
    const durationMs = performance.now() - this.startMs
    if (error === undefined) this.acknowledged(metadata, durationMs)
    else this.failed(error, metadata, durationMs)
    const callback = this.callback
    if (callback === undefined) return
    const parent = this.parent
    // Let the user's callback see the caller's context, as its promise continuation would.
    if (parent !== undefined && this.telemetry !== undefined)
      this.telemetry.api.context.with(parent, callback, undefined, metadata, error)
    else callback(metadata, error)
  }

  /** `send()` threw: nothing was accepted. */
  thrown(error: unknown): void {
    const asError = error instanceof Error ? error : new KafkaError({ message: String(error) })
    this.failed(asError, undefined, performance.now() - this.startMs)
  }

  private acknowledged(metadata: RecordMetadata, durationMs: number): void {
    const telemetry = this.telemetry
    if (telemetry !== undefined) {
      const span = this.span!
      span.setAttribute(ATTR_MESSAGING_DESTINATION_PARTITION_ID, String(metadata.partition))
      if (metadata.hasOffset()) span.setAttribute(ATTR_MESSAGING_KAFKA_OFFSET, Number(metadata.offset))
      span.end()
      const attributes = this.metricAttributes(metadata.partition, undefined)
      telemetry.sentMessages.add(1, attributes)
      telemetry.operationDuration.record(durationMs / 1000, attributes)
    }
    if (ackChannel.hasSubscribers)
      ackChannel.publish({
        record: this.record,
        clientId: this.clientId,
        metadata,
        durationMs,
      } satisfies ProducerAckMessage)
  }

  private failed(error: Error, metadata: RecordMetadata | undefined, durationMs: number): void {
    const telemetry = this.telemetry
    if (telemetry !== undefined) {
      const span = this.span!
      const type = errorType(error)
      span.recordException(error)
      span.setStatus({ code: SPAN_STATUS_ERROR, message: error.message })
      span.setAttribute(ATTR_ERROR_TYPE, type)
      if (metadata !== undefined && metadata.partition >= 0)
        span.setAttribute(ATTR_MESSAGING_DESTINATION_PARTITION_ID, String(metadata.partition))
      span.end()
      const attributes = this.metricAttributes(metadata?.partition ?? -1, type)
      telemetry.sentMessages.add(1, attributes)
      telemetry.operationDuration.record(durationMs / 1000, attributes)
    }
    if (errorChannel.hasSubscribers)
      errorChannel.publish({
        record: this.record,
        clientId: this.clientId,
        error,
        metadata,
        durationMs,
      } satisfies ProducerErrorMessage)
  }

  private metricAttributes(partition: number, errorTypeValue: string | undefined): OtelAttributes {
    const attributes: OtelAttributes = {
      [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_KAFKA,
      [ATTR_MESSAGING_OPERATION_NAME]: MESSAGING_OPERATION_SEND,
      [ATTR_MESSAGING_OPERATION_TYPE]: MESSAGING_OPERATION_SEND,
      [ATTR_MESSAGING_DESTINATION_NAME]: String(this.record?.topic),
    }
    if (partition >= 0) attributes[ATTR_MESSAGING_DESTINATION_PARTITION_ID] = String(partition)
    if (errorTypeValue !== undefined) attributes[ATTR_ERROR_TYPE] = errorTypeValue
    return attributes
  }
}
