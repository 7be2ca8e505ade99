import { spawn } from 'node:child_process'
import { KafkaHarnessError } from './kafka-harness-error.js'

export interface CommandResult {
  status: number | null
  signal: NodeJS.Signals | null
  stdout: Buffer
  stderr: string
}

export interface RunCommandOptions {
  /** Bytes written to stdin, which is then closed. */
  input?: Uint8Array | string
  /** SIGKILL the command after this long and fail with `TIMEOUT`. */
  timeoutMs?: number
  env?: NodeJS.ProcessEnv
  cwd?: string
}

/**
 * Runs a command to completion, collecting stdout as bytes (reference clients print binary-safe but not
 * necessarily UTF-8 data) and stderr as text. Never throws for a non-zero exit: callers decide what a
 * failure means for their tool (ConsoleConsumer, for one, exits 0 on a timeout).
 */
export function runCommand(
  command: string,
  args: string[],
  options: RunCommandOptions = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: options.env ?? process.env,
      cwd: options.cwd,
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    let timedOut = false
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true
            child.kill('SIGKILL')
          }, options.timeoutMs)
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(new KafkaHarnessError('TOOL_FAILED', `could not run ${command}: ${error.message}`, error))
    })
    child.on('close', (status, signal) => {
      clearTimeout(timer)
      const stderr = Buffer.concat(err).toString('utf8')
      if (timedOut) {
        reject(
          new KafkaHarnessError(
            'TIMEOUT',
            `${command} ${args.slice(-6).join(' ')} did not finish within ${options.timeoutMs} ms; stderr: ${tail(stderr)}`,
          ),
        )
        return
      }
      resolve({ status, signal, stdout: Buffer.concat(out), stderr })
    })
    child.stdin.on('error', () => {}) // the tool may exit before reading all input; its exit status tells
    child.stdin.end(options.input ?? '')
  })
}

/** The last lines of a tool's output, for error messages. */
export function tail(text: string, lines = 15): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n')
}
