/**
 * @x/producer: a Kafka producer with the Java `KafkaProducer`'s contract — typed options with Kafka 4.x's
 * defaults (and Java's dotted names), `send` → `FutureRecordMetadata` (a promise of `RecordMetadata`), `sendBatch`, `flush`, `close`,
 * interceptors, serializers, metrics — composed from @x/protocol, @x/buffer-pool, @x/partitioners,
 * @x/accumulator and @x/sender, with RxJS at batch and event granularity (`events$`, `metrics$`,
 * `sendRecords`).
 */

// The sender's errors a producer's promises reject with, re-exported so users need one import.
export {
  AbortableTransactionError,
  AuthenticationError,
  NetworkError,
  ProducerFencedError,
  SenderClosedError,
  TimeoutError,
  TransactionAbortedError,
} from '@x/sender'
export { FlushAbortedError } from './cancellation/flush-aborted-error.js'
export { MaybeWrittenError } from './cancellation/maybe-written-error.js'
export { NotWrittenError } from './cancellation/not-written-error.js'
export type { FlushOptions, SendBatchOptions, SendOptions } from './cancellation/send-options.js'
export { ConfigError } from './errors/config-error.js'
export { IllegalStateError } from './errors/illegal-state-error.js'
export { InvalidArgumentError } from './errors/invalid-argument-error.js'
export { InvalidTopicError, MAX_TOPIC_NAME_LENGTH, validateTopicName } from './errors/invalid-topic-error.js'
export { ProducerClosedError } from './errors/producer-closed-error.js'
export { RecordTooLargeError } from './errors/record-too-large-error.js'
export { SerializationError } from './errors/serialization-error.js'
export type {
  CallbackErrorEvent,
  InterceptorErrorEvent,
  ProducerEvent,
  ProducerLifecycleEvent,
} from './events/producer-event.js'
export type { PartitionReason, SendBlocker, SendExplanation } from './explain/send-explanation.js'
export type { ProducerInterceptor } from './interceptors/producer-interceptor.js'
export { type InterceptorErrorReporter, ProducerInterceptors } from './interceptors/producer-interceptors.js'
export { type CloseOptions, KafkaProducer } from './kafka-producer.js'
export {
  type JavaProducerProperties,
  type KafkaProducerOptions,
  librdkafkaAliases,
  unusedJavaConfigs,
} from './options/java-properties.js'
export { type OptionDefinition, optionDefinitions } from './options/option-definitions.js'
export type { ConfigWarning, ProducerConfig } from './options/producer-config.js'
export type {
  Acks,
  CompressionTypeName,
  ProducerOptions,
  SaslOptions,
  SecurityProtocol,
} from './options/producer-options.js'
export { type ResolvedProducerConfig, resolveProducerConfig } from './options/resolve-producer-config.js'
export { type PartitionInfo, partitionInfos } from './record/partition-info.js'
export type { ProducerHeader, ProducerHeaders, ProducerRecord } from './record/producer-record.js'
export { RecordMetadata, UNKNOWN_PARTITION } from './record/record-metadata.js'
export { type RecordSink, sendRecords } from './rx/send-records.js'
export type { SendResult } from './send/batch-send.js'
export type { FutureRecordMetadata } from './send/future-record-metadata.js'
export type { SendCallback } from './send/send-callback.js'
export { bytesSerializer, jsonSerializer, type Serializer, stringSerializer } from './serialization/index.js'
export type {
  OtelApi,
  OtelMeterProvider,
  OtelTracerProvider,
} from './tracing/otel-api.js'
export {
  ACK_CHANNEL_NAME,
  ERROR_CHANNEL_NAME,
  type ProducerAckMessage,
  type ProducerErrorMessage,
  type ProducerSendMessage,
  SEND_CHANNEL_NAME,
} from './tracing/producer-channels.js'
export { SEMCONV_VERSION } from './tracing/semconv.js'
export { TRACEPARENT_HEADER, TRACESTATE_HEADER } from './tracing/traceparent.js'
export type { TracingOptions } from './tracing/tracing-options.js'
export type {
  ConsumerGroupMetadata,
  ProducerTransactions,
  TransactionOffset,
} from './transactions/producer-transactions.js'
