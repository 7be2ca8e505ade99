import { KafkaError } from '@x/protocol'

const marker = Symbol.for('x.kafka.error.ProducerClosedError')

/**
 * The producer was used after `close()` began (Java: `IllegalStateException("Cannot perform operation after
 * producer has been closed")`), or a record was still pending when `close({ timeoutMs })` ran out of time
 * (Java: "Producer is closed forcefully"). Not retriable on this producer.
 */
export class ProducerClosedError extends KafkaError {
  readonly [marker] = true
  override name = 'ProducerClosedError'
  /** `send`, `flush`, ... for a call after close; `close` for a record failed by a forced close. */
  readonly operation: string

  constructor(options: { operation: string; forced?: boolean; cause?: unknown }) {
    super({
      code: options.forced ? 'PRODUCER_CLOSED_FORCEFULLY' : 'PRODUCER_CLOSED',
      retriable: false,
      cause: options.cause,
      message: options.forced
        ? 'Producer is closed forcefully: the record was not acknowledged before close({ timeoutMs }) ran ' +
          'out of time. Give close() a longer timeoutMs, or call flush() before closing.'
        : `Cannot perform ${options.operation}() after the producer has been closed: create a new ` +
          'KafkaProducer, or call close() only once every send() has been issued.',
    })
    this.operation = options.operation
  }

  /** True for a `ProducerClosedError` from any copy of this package. */
  static override isInstance(value: unknown): value is ProducerClosedError {
    return KafkaError.isInstance(value) && (value as { [marker]?: boolean })[marker] === true
  }
}
