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
}

/** The process's own streams. */
export function processIo(): CliIo {
  return {
    stdin: process.stdin,
    stdout: process.stdout as Writable & { isTTY?: boolean },
    stderr: process.stderr as Writable & { isTTY?: boolean },
    env: process.env,
  }
}
