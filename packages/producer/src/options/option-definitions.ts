import type { ProducerOptions } from './producer-options.js'

/** How an option's value is parsed and checked (Java `ConfigDef.Type` plus the validators used). */
export type OptionKind =
  | 'int' // a 32-bit integer (Java INT)
  | 'long' // a safe integer (Java LONG)
  | 'boolean'
  | 'string'
  | 'list' // a string list, or a comma-separated string (Java LIST)
  | 'acks'
  | 'enum'
  | 'object' // a JS object: serializer, partitioner, transport, ... (Java CLASS)

export interface OptionDefinition {
  readonly name: keyof ProducerOptions
  readonly javaName: string
  readonly kind: OptionKind
  /** Kafka 4.x's default; absent for options without one. */
  readonly defaultValue?: unknown
  readonly min?: number
  readonly max?: number
  /** Allowed values of an `enum` (compared case-insensitively when `caseInsensitive`). */
  readonly values?: readonly string[]
  readonly caseInsensitive?: boolean
  /** A JS-only option (an object Java configures through classes): it has no dotted alias. */
  readonly jsOnly?: boolean
}

const INT_MAX = 2 ** 31 - 1
const INT_MIN = -(2 ** 31)

/**
 * Every producer option with its Java name, type, Kafka 4.x default and range (from Java's
 * `ProducerConfig` and `CommonClientConfigs`). The one table the camelCase API, the dotted-name mapping
 * and validation are built from.
 */
export const optionDefinitions = [
  { name: 'bootstrapServers', javaName: 'bootstrap.servers', kind: 'list' },
  { name: 'clientId', javaName: 'client.id', kind: 'string' },
  { name: 'acks', javaName: 'acks', kind: 'acks', defaultValue: 'all' },
  { name: 'enableIdempotence', javaName: 'enable.idempotence', kind: 'boolean', defaultValue: true },
  { name: 'transactionalId', javaName: 'transactional.id', kind: 'string' },
  { name: 'transactionTimeoutMs', javaName: 'transaction.timeout.ms', kind: 'int', defaultValue: 60_000 },
  { name: 'lingerMs', javaName: 'linger.ms', kind: 'long', defaultValue: 5, min: 0 },
  { name: 'batchSize', javaName: 'batch.size', kind: 'int', defaultValue: 16_384, min: 0 },
  { name: 'bufferMemory', javaName: 'buffer.memory', kind: 'long', defaultValue: 32 * 1024 * 1024, min: 1 },
  { name: 'maxBlockMs', javaName: 'max.block.ms', kind: 'long', defaultValue: 60_000, min: 0 },
  { name: 'deliveryTimeoutMs', javaName: 'delivery.timeout.ms', kind: 'int', defaultValue: 120_000, min: 0 },
  { name: 'requestTimeoutMs', javaName: 'request.timeout.ms', kind: 'int', defaultValue: 30_000, min: 0 },
  {
    name: 'maxInFlightRequestsPerConnection',
    javaName: 'max.in.flight.requests.per.connection',
    kind: 'int',
    defaultValue: 5,
    min: 1,
  },
  { name: 'retries', javaName: 'retries', kind: 'int', defaultValue: INT_MAX, min: 0, max: INT_MAX },
  { name: 'retryBackoffMs', javaName: 'retry.backoff.ms', kind: 'long', defaultValue: 100, min: 0 },
  { name: 'retryBackoffMaxMs', javaName: 'retry.backoff.max.ms', kind: 'long', defaultValue: 1000, min: 0 },
  { name: 'maxRequestSize', javaName: 'max.request.size', kind: 'int', defaultValue: 1024 * 1024, min: 0 },
  {
    name: 'compressionType',
    javaName: 'compression.type',
    kind: 'enum',
    defaultValue: 'none',
    values: ['none', 'gzip', 'snappy', 'lz4', 'zstd'],
  },
  { name: 'compressionGzipLevel', javaName: 'compression.gzip.level', kind: 'int', defaultValue: -1 },
  {
    name: 'compressionLz4Level',
    javaName: 'compression.lz4.level',
    kind: 'int',
    defaultValue: 9,
    min: 1,
    max: 17,
  },
  {
    name: 'compressionZstdLevel',
    javaName: 'compression.zstd.level',
    kind: 'int',
    defaultValue: 3,
    min: -131_072,
    max: 22,
  },
  {
    name: 'partitionerAdaptivePartitioningEnable',
    javaName: 'partitioner.adaptive.partitioning.enable',
    kind: 'boolean',
    defaultValue: true,
  },
  {
    name: 'partitionerAvailabilityTimeoutMs',
    javaName: 'partitioner.availability.timeout.ms',
    kind: 'long',
    defaultValue: 0,
    min: 0,
  },
  {
    name: 'partitionerIgnoreKeys',
    javaName: 'partitioner.ignore.keys',
    kind: 'boolean',
    defaultValue: false,
  },
  {
    name: 'allowAutoCreateTopics',
    javaName: 'allow.auto.create.topics',
    kind: 'boolean',
    defaultValue: true,
  },
  { name: 'metadataMaxAgeMs', javaName: 'metadata.max.age.ms', kind: 'long', defaultValue: 300_000, min: 0 },
  {
    name: 'metadataMaxIdleMs',
    javaName: 'metadata.max.idle.ms',
    kind: 'long',
    defaultValue: 300_000,
    min: 5000,
  },
  { name: 'reconnectBackoffMs', javaName: 'reconnect.backoff.ms', kind: 'long', defaultValue: 50, min: 0 },
  {
    name: 'reconnectBackoffMaxMs',
    javaName: 'reconnect.backoff.max.ms',
    kind: 'long',
    defaultValue: 1000,
    min: 0,
  },
  {
    name: 'socketConnectionSetupTimeoutMs',
    javaName: 'socket.connection.setup.timeout.ms',
    kind: 'long',
    defaultValue: 10_000,
  },
  {
    name: 'socketConnectionSetupTimeoutMaxMs',
    javaName: 'socket.connection.setup.timeout.max.ms',
    kind: 'long',
    defaultValue: 30_000,
  },
  { name: 'connectionsMaxIdleMs', javaName: 'connections.max.idle.ms', kind: 'long', defaultValue: 540_000 },
  {
    name: 'securityProtocol',
    javaName: 'security.protocol',
    kind: 'enum',
    defaultValue: 'PLAINTEXT',
    values: ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'],
    caseInsensitive: true,
  },
  { name: 'ssl', javaName: 'ssl', kind: 'object', jsOnly: true },
  { name: 'sasl', javaName: 'sasl', kind: 'object', jsOnly: true },
  { name: 'keySerializer', javaName: 'key.serializer', kind: 'object' },
  { name: 'valueSerializer', javaName: 'value.serializer', kind: 'object' },
  { name: 'partitioner', javaName: 'partitioner.class', kind: 'object' },
  { name: 'interceptors', javaName: 'interceptor.classes', kind: 'object' },
  { name: 'transport', javaName: 'transport', kind: 'object', jsOnly: true },
  { name: 'codecs', javaName: 'codecs', kind: 'object', jsOnly: true },
  { name: 'tracing', javaName: 'tracing', kind: 'object', jsOnly: true },
] as const satisfies readonly OptionDefinition[]

export const INT_RANGE = { min: INT_MIN, max: INT_MAX } as const

/** Definitions by camelCase name. */
export const definitionsByName: ReadonlyMap<string, OptionDefinition> = new Map(
  optionDefinitions.map((definition) => [definition.name, definition]),
)
