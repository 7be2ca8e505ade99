import {
  ErrorCode,
  type KafkaError,
  readSaslAuthenticateResponse,
  readSaslHandshakeResponse,
  saslAuthenticateApi,
  saslHandshakeApi,
  writeSaslAuthenticateRequest,
  writeSaslHandshakeRequest,
} from '@x/protocol'
import { AuthenticationError } from '../../errors/authentication-error.js'
import type { NodeApiVersions } from '../api-versions.js'
import type { ClientResponse, RequestSpec } from '../client-request.js'
import type { SaslMechanism } from './sasl-mechanism.js'

/** Sends one handshake request on the connection being set up. */
export type SendHandshakeRequest = <Body, Response>(
  spec: RequestSpec<Body, Response>,
  version: number,
  onResponse: (response: ClientResponse<Response>) => void,
) => void

/**
 * Java `SaslClientAuthenticator` for the Kafka-framed exchange (KIP-152): SaslHandshake v1 names the
 * mechanism, then each client message travels in a SaslAuthenticate request and the server's answer comes
 * back in its response, until the mechanism's exchange is complete. Resolves when authenticated; rejects
 * with `AuthenticationError` (not retriable) when the broker refuses.
 */
export function authenticate(
  mechanism: SaslMechanism,
  apiVersions: NodeApiVersions,
  send: SendHandshakeRequest,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const fail = (error: unknown) => reject(error)
    if (!apiVersions.supports(saslHandshakeApi, 1) || !apiVersions.supports(saslAuthenticateApi)) {
      fail(
        new AuthenticationError({
          message:
            'The broker does not support SaslHandshake v1 and SaslAuthenticate, which SASL needs: check that the listener is SASL_PLAINTEXT or SASL_SSL on Kafka 1.0 or later.',
        }),
      )
      return
    }
    const authenticateVersion = apiVersions.latestUsableVersion(saslAuthenticateApi)
    const exchange = mechanism.createExchange()
    const step = (message: Uint8Array) =>
      send(
        {
          api: saslAuthenticateApi,
          body: { authBytes: message },
          write: writeSaslAuthenticateRequest,
          read: readSaslAuthenticateResponse,
        },
        authenticateVersion,
        (response) => {
          if (response.error !== undefined) return fail(response.error)
          const body = response.body!
          if (body.errorCode !== ErrorCode.NONE) {
            return fail(
              new AuthenticationError({
                message: `SASL ${mechanism.name} authentication failed: ${body.errorMessage ?? `error code ${body.errorCode}`}. Check the username and password.`,
              }),
            )
          }
          let next: Uint8Array | null
          try {
            next = exchange.respond(body.authBytes)
          } catch (error) {
            return fail(error)
          }
          if (next === null) resolve()
          else step(next)
        },
      )
    send(
      {
        api: saslHandshakeApi,
        body: { mechanism: mechanism.name },
        write: writeSaslHandshakeRequest,
        read: readSaslHandshakeResponse,
      },
      apiVersions.latestUsableVersion(saslHandshakeApi, 1),
      (response) => {
        if (response.error !== undefined) return fail(response.error)
        const body = response.body!
        if (body.errorCode === ErrorCode.UNSUPPORTED_SASL_MECHANISM) {
          return fail(
            new AuthenticationError({
              code: 'UNSUPPORTED_SASL_MECHANISM',
              message: `The broker does not enable SASL mechanism ${mechanism.name}; it enables ${body.mechanisms.join(', ') || 'none'}. Set sasl.mechanism to one of them.`,
            }),
          )
        }
        if (body.errorCode !== ErrorCode.NONE) {
          return fail(
            new AuthenticationError({
              message: `SaslHandshake for ${mechanism.name} failed with error code ${body.errorCode}: is the listener a SASL listener?`,
            }),
          )
        }
        let initial: Uint8Array
        try {
          initial = exchange.initial()
        } catch (error) {
          return fail(error as KafkaError)
        }
        step(initial)
      },
    )
  })
}
