/**
 * The OpenTelemetry semantic-convention names the producer emits, pinned to one version: **semconv 1.28.0**
 * (messaging spans and metrics, Kafka extension). Copied as constants so the package needs no
 * `@opentelemetry/semantic-conventions` dependency; a later semconv release that renames any of them is a
 * deliberate change here, not a silent one. (1.27.0 renamed `messaging.client.published.messages` to
 * `messaging.client.sent.messages`, the `publish` operation type to `send`, and
 * `messaging.kafka.message.offset` to `messaging.kafka.offset`; these are the new names.)
 */
export const SEMCONV_VERSION = '1.28.0'

export const ATTR_MESSAGING_SYSTEM = 'messaging.system'
export const ATTR_MESSAGING_OPERATION_NAME = 'messaging.operation.name'
export const ATTR_MESSAGING_OPERATION_TYPE = 'messaging.operation.type'
export const ATTR_MESSAGING_DESTINATION_NAME = 'messaging.destination.name'
export const ATTR_MESSAGING_DESTINATION_PARTITION_ID = 'messaging.destination.partition.id'
export const ATTR_MESSAGING_CLIENT_ID = 'messaging.client.id'
export const ATTR_MESSAGING_KAFKA_MESSAGE_KEY = 'messaging.kafka.message.key'
export const ATTR_MESSAGING_KAFKA_MESSAGE_TOMBSTONE = 'messaging.kafka.message.tombstone'
export const ATTR_MESSAGING_KAFKA_OFFSET = 'messaging.kafka.offset'
export const ATTR_ERROR_TYPE = 'error.type'

/** `messaging.system` for Kafka. */
export const MESSAGING_SYSTEM_KAFKA = 'kafka'
/** `messaging.operation.name` and `messaging.operation.type` of a produced record. */
export const MESSAGING_OPERATION_SEND = 'send'

/** Counter, `{message}`: messages the producer attempted to send (with `error.type` when they failed). */
export const METRIC_MESSAGING_CLIENT_SENT_MESSAGES = 'messaging.client.sent.messages'
/** Histogram, seconds: from `send()` to the record's acknowledgement or failure. */
export const METRIC_MESSAGING_CLIENT_OPERATION_DURATION = 'messaging.client.operation.duration'
/** The bucket boundaries semconv advises for `messaging.client.operation.duration`. */
export const OPERATION_DURATION_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
]

/** `SpanKind.PRODUCER` and `SpanStatusCode.ERROR` of `@opentelemetry/api` (stable enum values). */
export const SPAN_KIND_PRODUCER = 3
export const SPAN_STATUS_ERROR = 2
