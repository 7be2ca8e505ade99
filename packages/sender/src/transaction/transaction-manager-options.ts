import type { SenderClock } from '../clock.js'

/** What `new TransactionManager(options)` takes: the producer's transactional settings and its clock. */
export interface TransactionManagerOptions {
  /** `transactional.id`; without it the manager gives idempotence only. */
  transactionalId?: string | null
  /** `transaction.timeout.ms`, sent in InitProducerId. Default 60000. */
  transactionTimeoutMs?: number
  /** `retry.backoff.ms` between attempts of a transactional request. Default 100. */
  retryBackoffMs?: number
  /** Times the waits of `TransactionalRequestResult.await` and request backoffs: the sender's clock. */
  clock?: SenderClock
}
