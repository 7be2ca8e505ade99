import { KafkaError } from '@x/protocol'

const marker = Symbol.for('x.kafka.error.TimeoutError')

/**
 * An operation of the producer did not finish in time (Java `TimeoutException`): waiting for a topic's
 * metadata within `max.block.ms` in `send()` or `partitionsFor()`, or `close({ timeoutMs })`. Retriable:
 * the same call may succeed later. `timeout` names the option that bounded the wait.
 */
export class TimeoutError extends KafkaError {
  readonly [marker] = true
  override name = 'TimeoutError'
  readonly timeout: 'maxBlockMs' | 'closeTimeoutMs'
  readonly timeoutMs: number

  constructor(options: {
    timeout: 'maxBlockMs' | 'closeTimeoutMs'
    timeoutMs: number
    message: string
    cause?: unknown
  }) {
    super({ code: 'TIMEOUT', retriable: true, message: options.message, cause: options.cause })
    this.timeout = options.timeout
    this.timeoutMs = options.timeoutMs
  }

  /** True for a `TimeoutError` from any copy of this package. */
  static override isInstance(value: unknown): value is TimeoutError {
    return KafkaError.isInstance(value) && (value as { [marker]?: boolean })[marker] === true
  }
}
