import { KafkaError } from '@x/protocol'

const marker = Symbol.for('x.kafka.error.TimeoutError')

/** Which deadline ran out, by its Java config name. */
export type TimeoutKind =
  | 'delivery.timeout.ms'
  | 'request.timeout.ms'
  | 'max.block.ms'
  | 'socket.connection.setup.timeout.ms'
  | 'close'

/**
 * A deadline passed (Java `TimeoutException`, retriable). `timeout` names the config whose deadline it was:
 * `delivery.timeout.ms` (a batch expired, queued or in flight), `request.timeout.ms` (a broker did not answer
 * in time; the connection is closed and its requests retried), `max.block.ms` (metadata did not arrive).
 */
export class TimeoutError extends KafkaError {
  readonly [marker] = true
  override name = 'TimeoutError'
  readonly timeout: TimeoutKind
  /** The configured value of that timeout, in milliseconds. */
  readonly timeoutMs: number

  constructor(options: { timeout: TimeoutKind; timeoutMs: number; message: string; cause?: unknown }) {
    super({ code: 'REQUEST_TIMED_OUT', retriable: true, message: options.message, cause: options.cause })
    this.timeout = options.timeout
    this.timeoutMs = options.timeoutMs
  }

  /** True for a `TimeoutError` from any copy of this package. */
  static override isInstance(value: unknown): value is TimeoutError {
    return KafkaError.isInstance(value) && (value as { [marker]?: boolean })[marker] === true
  }
}
