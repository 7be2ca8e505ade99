import type { Partitioner } from '@x/partitioners'
import type { CodecRegistry } from '@x/protocol'
import type { Transport, TransportTlsOptions } from '@x/sender'
import type { ProducerInterceptor } from '../interceptors/producer-interceptor.js'
import type { Serializer } from '../serialization/serializer.js'
import type { ResolvedTracingOptions } from '../tracing/tracing-options.js'
import type { CompressionTypeName, SaslOptions, SecurityProtocol } from './producer-options.js'

/**
 * The options after defaults, parsing, validation and Java's cross-checks: what the producer runs with.
 * `enableIdempotence` and `deliveryTimeoutMs` may differ from what was asked (implicitly disabled
 * idempotence, a raised delivery timeout); each such change comes with a `config-warning` event.
 */
export interface ProducerConfig<K = unknown, V = unknown> {
  readonly bootstrapServers: readonly string[]
  readonly clientId: string
  /** -1 = all. */
  readonly acks: -1 | 0 | 1
  readonly enableIdempotence: boolean
  readonly transactionalId: string | undefined
  readonly transactionTimeoutMs: number
  readonly lingerMs: number
  readonly batchSize: number
  readonly bufferMemory: number
  readonly maxBlockMs: number
  readonly deliveryTimeoutMs: number
  readonly requestTimeoutMs: number
  readonly maxInFlightRequestsPerConnection: number
  readonly retries: number
  readonly retryBackoffMs: number
  readonly retryBackoffMaxMs: number
  readonly maxRequestSize: number
  readonly compressionType: CompressionTypeName
  readonly compressionGzipLevel: number
  readonly compressionLz4Level: number
  readonly compressionZstdLevel: number
  readonly partitionerAdaptivePartitioningEnable: boolean
  readonly partitionerAvailabilityTimeoutMs: number
  readonly partitionerIgnoreKeys: boolean
  readonly allowAutoCreateTopics: boolean
  readonly metadataMaxAgeMs: number
  readonly metadataMaxIdleMs: number
  readonly reconnectBackoffMs: number
  readonly reconnectBackoffMaxMs: number
  readonly socketConnectionSetupTimeoutMs: number
  readonly socketConnectionSetupTimeoutMaxMs: number
  readonly connectionsMaxIdleMs: number
  readonly securityProtocol: SecurityProtocol
  readonly ssl: TransportTlsOptions | undefined
  readonly sasl: SaslOptions | undefined
  readonly keySerializer: Serializer<K>
  readonly valueSerializer: Serializer<V>
  readonly partitioner: Partitioner<K, V> | undefined
  readonly interceptors: readonly ProducerInterceptor<K, V>[]
  readonly transport: Transport | undefined
  readonly codecs: CodecRegistry | undefined
  /** `tracing` when enabled, else undefined. */
  readonly tracing: ResolvedTracingOptions | undefined
  /** The camelCase names of the options the caller set (Java's `originals().containsKey`). */
  readonly userSet: ReadonlySet<string>
}

/** A configuration the producer changed or ignored, as Java logs it at start-up. */
export interface ConfigWarning {
  readonly type: 'config-warning'
  /** The camelCase (or, for an unused Java config, dotted) name concerned. */
  readonly option: string
  readonly message: string
}
