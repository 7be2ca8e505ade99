import type { Partitioner } from '@x/partitioners'
import type { CodecRegistry } from '@x/protocol'
import type { Transport, TransportTlsOptions } from '@x/sender'
import type { ProducerInterceptor } from '../interceptors/producer-interceptor.js'
import type { Serializer } from '../serialization/serializer.js'
import type { TracingOptions } from '../tracing/tracing-options.js'

/** `acks`: 0 (no acknowledgement), 1 (the leader's), `'all'` / -1 (every in-sync replica's). */
export type Acks = 'all' | -1 | 0 | 1 | '-1' | '0' | '1'

/** `compression.type`. */
export type CompressionTypeName = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd'

/** `security.protocol` (case-insensitive, as in Java). */
export type SecurityProtocol = 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL'

/** SASL credentials (`sasl.mechanism` plus the username/password of Java's `sasl.jaas.config`). */
export interface SaslOptions {
  mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512'
  username: string
  password: string
}

/**
 * The producer's options, camelCase, each after the Java producer config named beside it; every default is
 * Kafka 4.x's. Java's dotted names (`'linger.ms'`) are accepted too (see `JavaProducerProperties`).
 *
 * @typeParam K the key type before serialization
 * @typeParam V the value type before serialization
 */
export interface ProducerOptions<K = Uint8Array | string, V = Uint8Array | string> {
  /** `bootstrap.servers`: `host:port` list (array or comma-separated). Required. */
  bootstrapServers?: string | readonly string[]
  /** `client.id`. Default `producer-N` (or `producer-<transactionalId>`). */
  clientId?: string
  /** `acks`. Default `'all'`. */
  acks?: Acks
  /** `enable.idempotence`. Default true, unless a conflicting `acks`/`retries` is set (then false, with a warning). */
  enableIdempotence?: boolean
  /** `transactional.id`: enables transactions; requires idempotence. */
  transactionalId?: string
  /** `transaction.timeout.ms`. Default 60000. */
  transactionTimeoutMs?: number
  /** `linger.ms`. Default 5. */
  lingerMs?: number
  /** `batch.size` in bytes. Default 16384. */
  batchSize?: number
  /** `buffer.memory` in bytes. Default 33554432 (32 MiB). */
  bufferMemory?: number
  /** `max.block.ms`: the most `send()` and `partitionsFor()` wait for metadata and memory. Default 60000. */
  maxBlockMs?: number
  /** `delivery.timeout.ms`: ≥ `lingerMs + requestTimeoutMs`. Default 120000. */
  deliveryTimeoutMs?: number
  /** `request.timeout.ms`. Default 30000. */
  requestTimeoutMs?: number
  /** `max.in.flight.requests.per.connection`. Default 5 (at most 5 with idempotence). */
  maxInFlightRequestsPerConnection?: number
  /** `retries`. Default 2147483647: retry until `deliveryTimeoutMs`. */
  retries?: number
  /** `retry.backoff.ms`. Default 100. */
  retryBackoffMs?: number
  /** `retry.backoff.max.ms`. Default 1000. */
  retryBackoffMaxMs?: number
  /** `max.request.size` in bytes. Default 1048576 (1 MiB). */
  maxRequestSize?: number
  /** `compression.type`. Default `'none'`. */
  compressionType?: CompressionTypeName
  /** `compression.gzip.level`: 1–9 or -1 (zlib's default). Default -1. */
  compressionGzipLevel?: number
  /** `compression.lz4.level`: 1–17. Default 9. */
  compressionLz4Level?: number
  /** `compression.zstd.level`: -131072–22. Default 3. */
  compressionZstdLevel?: number
  /** `partitioner.adaptive.partitioning.enable`. Default true. */
  partitionerAdaptivePartitioningEnable?: boolean
  /** `partitioner.availability.timeout.ms`. Default 0 (off). */
  partitionerAvailabilityTimeoutMs?: number
  /** `partitioner.ignore.keys`. Default false. */
  partitionerIgnoreKeys?: boolean
  /**
   * `allow.auto.create.topics` (librdkafka's producer setting; a consumer setting in Java, whose producer
   * always allows it): whether metadata requests may create a missing topic on a broker with
   * `auto.create.topics.enable`. Default true.
   */
  allowAutoCreateTopics?: boolean
  /** `metadata.max.age.ms`. Default 300000. */
  metadataMaxAgeMs?: number
  /** `metadata.max.idle.ms`: ≥ 5000. Default 300000. */
  metadataMaxIdleMs?: number
  /** `reconnect.backoff.ms`. Default 50. */
  reconnectBackoffMs?: number
  /** `reconnect.backoff.max.ms`. Default 1000. */
  reconnectBackoffMaxMs?: number
  /** `socket.connection.setup.timeout.ms`. Default 10000. */
  socketConnectionSetupTimeoutMs?: number
  /** `socket.connection.setup.timeout.max.ms`. Default 30000. */
  socketConnectionSetupTimeoutMaxMs?: number
  /** `connections.max.idle.ms`. Default 540000. */
  connectionsMaxIdleMs?: number
  /** `security.protocol`. Default `'PLAINTEXT'`. */
  securityProtocol?: SecurityProtocol | Lowercase<SecurityProtocol>
  /** TLS options for `SSL` / `SASL_SSL` (Java's `ssl.*`, as Node's TLS takes them). */
  ssl?: TransportTlsOptions
  /** SASL for `SASL_PLAINTEXT` / `SASL_SSL`. */
  sasl?: SaslOptions
  /** `key.serializer`. Default `bytesSerializer` (bytes as they are, strings as UTF-8). */
  keySerializer?: Serializer<K>
  /** `value.serializer`. Default `bytesSerializer`. */
  valueSerializer?: Serializer<V>
  /** `partitioner.class`. Default: Java's built-in (murmur2 for keys, sticky/adaptive without). */
  partitioner?: Partitioner<K, V>
  /** `interceptor.classes`, in order. */
  interceptors?: readonly ProducerInterceptor<K, V>[]
  /** How bytes reach brokers. Default TCP (TLS with `SSL`/`SASL_SSL`). */
  transport?: Transport
  /** Compression codecs (e.g. a native one). Default `CodecRegistry.default()` with the levels above. */
  codecs?: CodecRegistry
  /**
   * OpenTelemetry spans, `messaging.client.*` metrics and W3C `traceparent` propagation, through the optional
   * peer dependency `@opentelemetry/api`. Off by default: `{ enabled: true }` turns it on.
   */
  tracing?: TracingOptions
}
