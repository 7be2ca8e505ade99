import type { TransactionManagerHooks } from '@x/accumulator'
import { type SenderTransactionManager, TransactionManager } from '@x/sender'
import type { ProducerConfig } from '../options/producer-config.js'

/** A consumed offset to commit with a transaction (Java `OffsetAndMetadata` for one `TopicPartition`). */
export interface TransactionOffset {
  readonly topic: string
  readonly partition: number
  /** The next offset to consume. */
  readonly offset: bigint
  readonly leaderEpoch?: number
  readonly metadata?: string
}

/** The consumer group the offsets belong to (Java `ConsumerGroupMetadata`). */
export interface ConsumerGroupMetadata {
  readonly groupId: string
  readonly generationId?: number
  readonly memberId?: string
  readonly groupInstanceId?: string | null
}

/**
 * The seam idempotence and transactions plug into (Java's `TransactionManager`, as `KafkaProducer` uses it):
 * the hooks the accumulator (producer id, epoch and sequences at drain time) and the sender (InitProducerId,
 * AddPartitionsToTxn, EndTxn, retries and epoch bumps) call, and `manager`, the transactional API the façade
 * drives. `KafkaProducer` builds one with `createProducerTransactions` before its accumulator and sender.
 */
export interface ProducerTransactions {
  readonly accumulatorHooks: TransactionManagerHooks
  readonly senderHooks: SenderTransactionManager
  /** `@x/sender`'s TransactionManager: one object behind both hook sets. */
  readonly manager: TransactionManager
  /** Transactional producers: the partition joins the ongoing transaction after a record was appended to it. */
  maybeAddPartition?(topic: string, partition: number): void
}

/**
 * Idempotence and transactions for a producer with this configuration (Java `configureTransactionState`):
 * a TransactionManager when idempotence is on — the default, with `transactionalId` for transactions — or
 * `undefined` for a plain at-least-once producer (`enableIdempotence: false`, or turned off by `acks`/`retries`).
 */
export function createProducerTransactions(
  config: ProducerConfig<unknown, unknown>,
): ProducerTransactions | undefined {
  if (!config.enableIdempotence) return undefined
  const manager = new TransactionManager({
    transactionalId: config.transactionalId ?? null,
    transactionTimeoutMs: config.transactionTimeoutMs,
    retryBackoffMs: config.retryBackoffMs,
  })
  return {
    accumulatorHooks: manager,
    senderHooks: manager,
    manager,
    ...(manager.isTransactional()
      ? {
          maybeAddPartition: (topic: string, partition: number) =>
            manager.maybeAddPartition(topic, partition),
        }
      : {}),
  }
}
