import { KafkaError } from '@x/protocol'
import { type CliIo, processIo } from './cli-io.js'
import { CliUsageError } from './cli-usage-error.js'
import { runPerf } from './perf/perf-command.js'
import { runProduce } from './produce/produce-command.js'

export const cliUsage = `Usage: x-kafka <command> [options]

Commands:
  produce   Produce records from stdin or files, with kcat's producer flags (-b -t -p -k -K -D -H -z -X -F -c -l -T -Z)
  perf      Benchmark the producer with kafka-producer-perf-test's flags and output

Without -b / --bootstrap-server, both start an embedded Kafka cluster (@x/testkit) and say so on stderr.
Run 'x-kafka <command> --help' for a command's options.
`

/**
 * Runs the `x-kafka` command line and returns its exit code: 0 on success, 1 for a usage or configuration
 * error (the message names the option and the fix) or when any record failed. Never throws; errors are
 * written to `io.stderr` as `x-kafka <command>: error: <message>`.
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = argv
  try {
    switch (command) {
      case 'produce':
        return await runProduce(rest, io)
      case 'perf':
        return await runPerf(rest, io)
      case '-h':
      case '--help':
      case 'help':
        io.stdout.write(cliUsage)
        return 0
      case undefined:
        io.stderr.write(cliUsage)
        return 1
      default:
        throw new CliUsageError({ message: `unknown command '${command}': use produce or perf.` })
    }
  } catch (error) {
    io.stderr.write(describeError(command, error))
    return 1
  }
}

/** `x-kafka perf: error: ...`, with a pointer to the help for usage errors and the stack for bugs. */
function describeError(command: string | undefined, error: unknown): string {
  const known = command === 'produce' || command === 'perf' ? command : undefined
  const prefix = known === undefined ? 'x-kafka' : `x-kafka ${known}`
  if (CliUsageError.isInstance(error)) {
    return `${prefix}: error: ${error.message}\nRun '${known === undefined ? 'x-kafka' : prefix} --help' for the options.\n`
  }
  if (KafkaError.isInstance(error)) {
    const cause = error.cause instanceof Error ? ` (cause: ${error.cause.message})` : ''
    return `${prefix}: error: ${error.name}: ${error.message}${cause}\n`
  }
  return `${prefix}: error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`
}
