import { KafkaError } from '@x/protocol'

const marker = Symbol.for('x.kafka.error.NetworkError')

/**
 * A connection to a broker failed or closed while requests were in flight (Java: a disconnected
 * `ClientResponse`, surfaced to the producer as `NetworkException`, code `NETWORK_EXCEPTION`). Retriable: the
 * request may or may not have reached the broker, so the sender resends it while `delivery.timeout.ms` allows.
 */
export class NetworkError extends KafkaError {
  readonly [marker] = true
  override name = 'NetworkError'
  /** The broker's node id (negative for a bootstrap address), when known. */
  readonly nodeId: number | undefined

  constructor(options: { message: string; nodeId?: number; cause?: unknown; retriable?: boolean }) {
    super({
      code: 'NETWORK_EXCEPTION',
      retriable: options.retriable ?? true,
      message: options.message,
      cause: options.cause,
    })
    this.nodeId = options.nodeId
  }

  /** True for a `NetworkError` from any copy of this package. */
  static override isInstance(value: unknown): value is NetworkError {
    return KafkaError.isInstance(value) && (value as { [marker]?: boolean })[marker] === true
  }
}
