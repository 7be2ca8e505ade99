import { KafkaError } from '@x/protocol'

const marker = Symbol.for('x.kafka.error.ConfigError')

/**
 * An option of `new KafkaProducer(...)` is invalid or conflicts with another (Java `ConfigException`). Thrown
 * by the constructor, never later. `option` is the camelCase name, `javaName` Java's dotted name.
 */
export class ConfigError extends KafkaError {
  readonly [marker] = true
  override name = 'ConfigError'
  readonly option: string
  readonly javaName: string | undefined
  readonly value: unknown

  constructor(options: { option: string; javaName?: string; value?: unknown; message: string }) {
    super({ code: 'INVALID_CONFIG', retriable: false, message: options.message })
    this.option = options.option
    this.javaName = options.javaName
    this.value = options.value
  }

  /** True for a `ConfigError` from any copy of this package. */
  static override isInstance(value: unknown): value is ConfigError {
    return KafkaError.isInstance(value) && (value as { [marker]?: boolean })[marker] === true
  }
}
