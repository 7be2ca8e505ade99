// The `x-kafka` command (bin/x-kafka.js runs this file, built or through tsx).
import { runCli } from './cli.js'
import { processIo } from './cli-io.js'

const flushed = (stream: NodeJS.WriteStream) =>
  new Promise<void>((resolve) => stream.write('', () => resolve()))

async function main(): Promise<void> {
  const code = await runCli(process.argv.slice(2), processIo())
  // Exit once stdout and stderr have drained: a stdin left unread (-c) or a socket being torn down must not
  // keep the process alive, and a pipe must not lose the last lines.
  await Promise.all([flushed(process.stdout), flushed(process.stderr)])
  process.exit(code)
}

void main()
