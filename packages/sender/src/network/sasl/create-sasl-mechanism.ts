import { SenderConfigError } from '../../errors/config-error.js'
import { PlainMechanism } from './plain-mechanism.js'
import type { SaslMechanism, SaslOptions } from './sasl-mechanism.js'
import { ScramMechanism } from './scram-mechanism.js'

/** The mechanism for `sasl` options: a built-in one by name, or a custom `SaslMechanism` as given. */
export function createSaslMechanism(options: SaslOptions | SaslMechanism): SaslMechanism {
  if ('createExchange' in options) return options
  switch (options.mechanism) {
    case 'PLAIN':
      return new PlainMechanism(options.username, options.password)
    case 'SCRAM-SHA-256':
    case 'SCRAM-SHA-512':
      return new ScramMechanism(options.mechanism, options.username, options.password)
    default:
      throw new SenderConfigError(
        'sasl.mechanism',
        `"${(options as { mechanism: string }).mechanism}" is not built in: use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, or pass a SaslMechanism.`,
      )
  }
}
