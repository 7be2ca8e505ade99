// SaslHandshake (key 17), version 1: names the mechanism for the SaslAuthenticate exchange that follows
// (KIP-152 framing; v0's unframed tokens are not served). On a connection being authenticated it answers
// NONE with the enabled mechanisms, or UNSUPPORTED_SASL_MECHANISM and the connection closes after
// `connections.failed.authentication.delay.ms`; on a connection already authenticated, or a cluster without
// SASL, ILLEGAL_SASL_STATE (Kafka's KafkaApis answer).
import { ErrorCode } from '@x/protocol'
import type { ApiHandler } from './api-handler.js'

export const saslHandshakeHandler: ApiHandler<'SaslHandshake'> = {
  name: 'SaslHandshake',
  handle(ctx, request) {
    const session = ctx.sasl
    if (session === undefined || session.isComplete) {
      return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms: [] }
    }
    const mechanisms = [...session.settings.mechanisms]
    if (!session.handshake(request.mechanism)) {
      ctx.failAuthentication()
      return { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms }
    }
    return { errorCode: ErrorCode.NONE, mechanisms }
  },
}
