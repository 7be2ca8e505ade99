import { KafkaError } from '@x/protocol'

const marker = Symbol.for('x.kafka.error.SenderConfigError')

/** An option of the sender, network client or metadata is invalid (Java `ConfigException`). Not retriable. */
export class SenderConfigError extends KafkaError {
  readonly [marker] = true
  override name = 'SenderConfigError'
  /** The option, by its Java config name (e.g. `bootstrap.servers`). */
  readonly option: string

  constructor(option: string, message: string) {
    super({ code: 'INVALID_CONFIG', retriable: false, message: `Invalid value for ${option}: ${message}` })
    this.option = option
  }

  /** True for a `SenderConfigError` from any copy of this package. */
  static override isInstance(value: unknown): value is SenderConfigError {
    return KafkaError.isInstance(value) && (value as { [marker]?: boolean })[marker] === true
  }
}
