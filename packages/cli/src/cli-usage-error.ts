import { KafkaError } from '@x/protocol'

const marker = Symbol.for('x.kafka.error.CliUsageError')

/**
 * The command line is wrong: an unknown option, a missing value, a value out of range, an unreadable
 * config file. The message names the option and the fix; `x-kafka` prints it with the command's name and
 * exits 1 (as kcat and Kafka's argparse-based tools do).
 */
export class CliUsageError extends KafkaError {
  readonly [marker] = true
  override name = 'CliUsageError'
  /** `produce`, `perf`, or undefined for the top level. */
  readonly command: string | undefined

  constructor(options: { command?: string; message: string; cause?: unknown }) {
    super({ code: 'CLI_USAGE', retriable: false, message: options.message, cause: options.cause })
    this.command = options.command
  }

  /** True for a `CliUsageError` from any copy of this package. */
  static override isInstance(value: unknown): value is CliUsageError {
    return KafkaError.isInstance(value) && (value as { [marker]?: boolean })[marker] === true
  }
}
