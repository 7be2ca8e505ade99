/**
 * A SASL mechanism the client authenticates with (Java `SaslClient` per connection). The connection runs
 * the exchange after ApiVersions: SaslHandshake names `name`, then one SaslAuthenticate round trip per
 * client message until the exchange says it is done.
 */
export interface SaslMechanism {
  /** The mechanism name the broker enables, e.g. `PLAIN`, `SCRAM-SHA-256`. */
  readonly name: string
  /** A fresh exchange for one connection. */
  createExchange(): SaslExchange
}

/** One authentication's state machine (Java `SaslClient.evaluateChallenge`). */
export interface SaslExchange {
  /** The client's first message. */
  initial(): Uint8Array
  /**
   * Takes the server's answer to the last client message; returns the next client message, or `null` when
   * authentication is complete. Throws `AuthenticationError` when the server's message does not verify.
   */
  respond(serverMessage: Uint8Array): Uint8Array | null
}

/** The built-in mechanisms, configured by name. */
export type SaslOptions =
  | { mechanism: 'PLAIN'; username: string; password: string }
  | { mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512'; username: string; password: string }
