import { type SaslMechanismName, type SaslServerExchange, saslServerExchange } from './sasl-server.js'

/** The SASL settings of the cluster (the `sasl` start option, resolved). */
export interface SaslSettings {
  readonly mechanisms: readonly SaslMechanismName[]
  readonly users: ReadonlyMap<string, string>
}

/**
 * One connection's authentication, as Kafka's SaslServerAuthenticator runs it with KIP-152 framing: ApiVersions
 * and SaslHandshake first, then only SaslAuthenticate until the mechanism's exchange completes, then any API.
 */
export class SaslSession {
  private state: 'handshake' | 'authenticate' | 'complete' | 'failed' = 'handshake'
  private exchange: SaslServerExchange | undefined

  constructor(readonly settings: SaslSettings) {}

  get isComplete(): boolean {
    return this.state === 'complete'
  }

  /** Whether the broker handles a request of `api` now; others close the connection, as Kafka does. */
  allows(api: string): boolean {
    switch (this.state) {
      case 'handshake':
        return api === 'ApiVersions' || api === 'SaslHandshake'
      case 'authenticate':
        return api === 'SaslAuthenticate'
      case 'complete':
        return true
      case 'failed':
        return false
    }
  }

  /** SaslHandshake: starts the exchange when the mechanism is enabled, else fails the session. */
  handshake(mechanism: string): boolean {
    const enabled = this.settings.mechanisms.find((candidate) => candidate === mechanism)
    if (enabled === undefined) {
      this.state = 'failed'
      return false
    }
    this.exchange = saslServerExchange(enabled, this.settings.users)
    this.state = 'authenticate'
    return true
  }

  /** SaslAuthenticate: the server's next message, or why authentication failed (the session fails). */
  authenticate(clientMessage: Uint8Array): { message: Uint8Array } | { error: string } {
    const outcome = this.exchange!.respond(clientMessage)
    if ('error' in outcome) this.state = 'failed'
    else if (this.exchange!.isComplete) this.state = 'complete'
    return outcome
  }
}
