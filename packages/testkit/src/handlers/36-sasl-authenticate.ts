// SaslAuthenticate (key 36), versions 0-2: carries one client message of the mechanism's exchange and the
// server's answer. A failed exchange answers SASL_AUTHENTICATION_FAILED with the mechanism's reason
// ("Authentication failed: Invalid user credentials" for SCRAM, as Kafka's servers word it) and the
// connection closes after `connections.failed.authentication.delay.ms`. Once authenticated, or on a cluster
// without SASL, ILLEGAL_SASL_STATE (Kafka's KafkaApis answer). No re-authentication: session lifetime 0.
import { ErrorCode } from '@x/protocol'
import type { ApiHandler } from './api-handler.js'

export const saslAuthenticateHandler: ApiHandler<'SaslAuthenticate'> = {
  name: 'SaslAuthenticate',
  handle(ctx, request) {
    const session = ctx.sasl
    if (session === undefined || session.isComplete) {
      return {
        errorCode: ErrorCode.ILLEGAL_SASL_STATE,
        errorMessage: 'SaslAuthenticate request received after successful authentication',
        authBytes: new Uint8Array(0),
        sessionLifetimeMs: 0n,
      }
    }
    const outcome = session.authenticate(request.authBytes)
    if ('error' in outcome) {
      ctx.failAuthentication()
      return {
        errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED,
        errorMessage: outcome.error,
        authBytes: new Uint8Array(0),
        sessionLifetimeMs: 0n,
      }
    }
    return {
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      authBytes: outcome.message,
      sessionLifetimeMs: 0n,
    }
  },
}
