import { KafkaError } from '@x/protocol'

const marker = Symbol.for('x.kafka.error.AuthenticationError')

/**
 * SASL authentication with a broker failed (Java `SaslAuthenticationException`/`AuthenticationException`,
 * code `SASL_AUTHENTICATION_FAILED`): wrong credentials, a mechanism the broker does not enable, or a server
 * signature that does not verify. Not retriable: fix `sasl` in the options.
 */
export class AuthenticationError extends KafkaError {
  readonly [marker] = true
  override name = 'AuthenticationError'

  constructor(options: { message: string; code?: string; cause?: unknown }) {
    super({
      code: options.code ?? 'SASL_AUTHENTICATION_FAILED',
      retriable: false,
      message: options.message,
      cause: options.cause,
    })
  }

  /** True for an `AuthenticationError` from any copy of this package. */
  static override isInstance(value: unknown): value is AuthenticationError {
    return KafkaError.isInstance(value) && (value as { [marker]?: boolean })[marker] === true
  }
}
