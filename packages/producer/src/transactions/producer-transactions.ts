import type { TransactionManagerHooks } from '@x/accumulator'
import type { SenderTransactionManager } from '@x/sender'
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
 * AddPartitionsToTxn, EndTxn, retries and epoch bumps) call, and the transactional API the façade forwards to.
 * `KafkaProducer` builds one with `createProducerTransactions` before its accumulator and sender.
 */
export interface ProducerTransactions {
  readonly accumulatorHooks: TransactionManagerHooks
  readonly senderHooks: SenderTransactionManager
  /** Transactional producers: the partition joins the ongoing transaction after a record was appended to it. */
  maybeAddPartition?(topic: string, partition: number): void
  initTransactions(timeoutMs: number): Promise<void>
  beginTransaction(): void
  sendOffsetsToTransaction(
    offsets: readonly TransactionOffset[],
    groupMetadata: ConsumerGroupMetadata,
    timeoutMs: number,
  ): Promise<void>
  commitTransaction(timeoutMs: number): Promise<void>
  abortTransaction(timeoutMs: number): Promise<void>
}

/**
 * Idempotence and transactions for a producer with this configuration, or `undefined` for a plain
 * at-least-once producer.
 *
 * Not available yet (the "exactly-once" issue fills this in with `@x/sender`'s TransactionManager): returns
 * `undefined`, so an idempotent configuration (the default) runs as a non-idempotent `acks=all` producer —
 * `KafkaProducer` says so with a `config-warning` event — and a `transactionalId` is refused at construction.
 */
export function createProducerTransactions(
  _config: ProducerConfig<unknown, unknown>,
): ProducerTransactions | undefined {
  return undefined
}
