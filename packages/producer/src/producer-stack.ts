import { RecordAccumulator, recordBatchBuilderFactory } from '@x/accumulator'
import { BufferPool } from '@x/buffer-pool'
import { CodecRegistry } from '@x/protocol'
import { createSender, type SenderStack } from '@x/sender'
import type { ProducerConfig } from './options/producer-config.js'
import {
  createProducerTransactions,
  type ProducerTransactions,
} from './transactions/producer-transactions.js'

/** The stages one producer composes, bottom-up (see ARCHITECTURE.md). */
export interface ProducerStack extends SenderStack {
  readonly pool: BufferPool
  readonly accumulator: RecordAccumulator
  readonly codecs: CodecRegistry
  /** Settles once the configured compression codec can be used (zstd may load asynchronously); else undefined. */
  readonly ready: Promise<void> | undefined
  readonly transactions: ProducerTransactions | undefined
}

/**
 * Builds the stages from a resolved configuration: `BufferPool` (`buffer.memory`, `batch.size`) →
 * `RecordAccumulator` (RecordBatch v2 builders with the codec) → `@x/sender`'s metadata, network client and
 * `Sender`, with the idempotence/transactions seam given to both the accumulator and the sender.
 */
export function createProducerStack(config: ProducerConfig<unknown, unknown>): ProducerStack {
  const codecs =
    config.codecs ??
    CodecRegistry.default({ gzipLevel: config.compressionGzipLevel, zstdLevel: config.compressionZstdLevel })
  const compression = config.compressionType
  const ready = compression === 'none' || codecs.has(compression) ? undefined : codecs.prepare(compression)
  const transactions = createProducerTransactions(config)
  const pool = new BufferPool({
    totalMemory: config.bufferMemory,
    poolableSize: Math.max(1, config.batchSize),
  })
  const accumulator = new RecordAccumulator({
    batchSize: config.batchSize,
    lingerMs: config.lingerMs,
    retryBackoffMs: config.retryBackoffMs,
    retryBackoffMaxMs: config.retryBackoffMaxMs,
    deliveryTimeoutMs: config.deliveryTimeoutMs,
    bufferPool: pool,
    recordsBuilderFactory: recordBatchBuilderFactory({ compression, codecs }),
    adaptivePartitioning: config.partitionerAdaptivePartitioningEnable,
    partitionerAvailabilityTimeoutMs: config.partitionerAvailabilityTimeoutMs,
    ...(transactions === undefined ? {} : { transactionManager: transactions.accumulatorHooks }),
  })
  const tls =
    config.securityProtocol === 'SSL' || config.securityProtocol === 'SASL_SSL'
      ? (config.ssl ?? true)
      : undefined
  const stack = createSender({
    bootstrapServers: config.bootstrapServers,
    accumulator,
    clientId: config.clientId,
    ...(config.transport === undefined ? {} : { transport: config.transport }),
    ...(tls === undefined ? {} : { tls }),
    ...(config.sasl === undefined ? {} : { sasl: config.sasl }),
    maxInFlightRequestsPerConnection: config.maxInFlightRequestsPerConnection,
    requestTimeoutMs: config.requestTimeoutMs,
    reconnectBackoffMs: config.reconnectBackoffMs,
    reconnectBackoffMaxMs: config.reconnectBackoffMaxMs,
    socketConnectionSetupTimeoutMs: config.socketConnectionSetupTimeoutMs,
    metadataMaxAgeMs: config.metadataMaxAgeMs,
    metadataMaxIdleMs: config.metadataMaxIdleMs,
    retryBackoffMs: config.retryBackoffMs,
    retryBackoffMaxMs: config.retryBackoffMaxMs,
    allowAutoTopicCreation: config.allowAutoCreateTopics,
    acks: config.acks,
    retries: config.retries,
    maxRequestSize: config.maxRequestSize,
    ...(transactions === undefined ? {} : { transactionManager: transactions.senderHooks }),
  })
  return { ...stack, pool, accumulator, codecs, ready, transactions }
}
