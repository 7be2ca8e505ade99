import { ApiError, ErrorCode } from '@x/protocol'

const marker = Symbol.for('x.kafka.error.ProducerFencedError')

/**
 * Another producer with the same `transactional.id` has started (its `initTransactions()` bumped the epoch),
 * so this one may not write or end transactions any more (Java `ProducerFencedException`, code
 * PRODUCER_FENCED). Fatal: every pending record and every later call fails with it; close the producer.
 */
export class ProducerFencedError extends ApiError {
  readonly [marker] = true
  override name = 'ProducerFencedError'

  constructor(options: {
    transactionalId?: string | null
    producerId?: bigint
    epoch?: number
    cause?: unknown
  }) {
    const who =
      options.transactionalId === undefined || options.transactionalId === null
        ? 'This producer'
        : `The producer with transactionalId '${options.transactionalId}'${
            options.producerId === undefined
              ? ''
              : ` (producerId ${options.producerId}, epoch ${options.epoch})`
          }`
    super({
      errorCode: ErrorCode.PRODUCER_FENCED,
      message: `${who} has been fenced by another producer with the same transactionalId: it can no longer write or end transactions. Close it; the newer producer carries on.`,
      cause: options.cause,
    })
  }

  /** True for a `ProducerFencedError` from any copy of this package. */
  static override isInstance(value: unknown): value is ProducerFencedError {
    return ApiError.isInstance(value) && (value as { [marker]?: boolean })[marker] === true
  }
}
