import type { SaslExchange, SaslMechanism } from './sasl-mechanism.js'

const encoder = new TextEncoder()

/**
 * SASL/PLAIN (RFC 4616): one message, `authzid NUL authcid NUL password`, with an empty authorization id
 * as Java's `PlainSaslServer` expects. Send it only over TLS or on a trusted network: the password is clear.
 */
export class PlainMechanism implements SaslMechanism {
  readonly name = 'PLAIN'

  constructor(
    private readonly username: string,
    private readonly password: string,
  ) {}

  createExchange(): SaslExchange {
    const message = encoder.encode(`\u0000${this.username}\u0000${this.password}`)
    return {
      initial: () => message,
      respond: () => null,
    }
  }
}
