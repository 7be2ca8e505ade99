import { KafkaError } from '@x/protocol'

/** Stable codes of {@link TestkitError}. */
export type TestkitErrorCode =
  | 'INVALID_OPTION'
  | 'UNKNOWN_TOPIC'
  | 'UNKNOWN_BROKER'
  | 'CONNECTION_REFUSED'
  | 'CONNECTION_CLOSED'
  | 'CLUSTER_STOPPED'
  | 'REQUEST_FAILED'
  | 'TIMEOUT'

/**
 * An error of the embedded cluster or its wire client (a bad option, an unknown topic or broker, a refused
 * or closed connection). Broker error codes travel in responses, never as exceptions.
 */
export class TestkitError extends KafkaError {
  override name = 'TestkitError'
  declare readonly code: TestkitErrorCode

  constructor(
    code: TestkitErrorCode,
    message: string,
    options: { retriable?: boolean; cause?: unknown } = {},
  ) {
    super({ message, code, retriable: options.retriable ?? false, cause: options.cause })
  }
}
