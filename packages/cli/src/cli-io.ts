import type { Readable, Writable } from 'node:stream'

/** A writable end of the command: stdout or stderr. `isTTY` decides whether a live progress bar is drawn. */
export interface CliOutput {
  write(text: string | Uint8Array): unknown
  readonly isTTY?: boolean
}

/** Where a command reads and writes: the process's streams, or captured ones in tests. */
export interface CliIo {
  readonly stdin: Readable
  readonly stdout: CliOutput
  readonly stderr: CliOutput
  /** Environment (`KCAT_CONFIG`). */
  readonly env: Readonly<Record<string, string | undefined>>
  /**
   * Aborted on Ctrl-C: `produce` stops reading and `perf` stops sending; both still deliver what the
   * producer holds and finish as usual (kcat does the same).
   */
  readonly signal?: AbortSignal
}

/** The process's own streams, and `signal` aborted by the first SIGINT or SIGTERM (a second one exits). */
export function processIo(): CliIo {
  const interrupted = new AbortController()
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted.signal.aborted) process.exit(signal === 'SIGINT' ? 130 : 143)
    interrupted.abort()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return {
    stdin: process.stdin,
    stdout: process.stdout as Writable & { isTTY?: boolean },
    stderr: process.stderr as Writable & { isTTY?: boolean },
    env: process.env,
    signal: interrupted.signal,
  }
}
