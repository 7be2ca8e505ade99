import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface ResourceUsage {
  maxRssKiB: number
  userSec: number
  sysSec: number
}

export interface ProcessOutcome {
  status: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  wallMs: number
  /** From GNU time (getrusage of the child after it exited); undefined if it could not report. */
  usage?: ResourceUsage
  timedOut: boolean
}

const TIME = '/usr/bin/time'
const KEEP = 1 << 20 // keep the last MiB of each stream

/** Parses the line `/usr/bin/time -f 'rusage %M %U %S'` writes. */
export function parseTimeOutput(text: string): ResourceUsage | undefined {
  const match = /rusage (\d+) ([\d.]+) ([\d.]+)/.exec(text)
  if (!match) return undefined
  return { maxRssKiB: Number(match[1]), userSec: Number(match[2]), sysSec: Number(match[3]) }
}

/**
 * Runs one client process under GNU time, so peak RSS and CPU come from the kernel's accounting of that
 * process alone (getrusage after wait), the same way for Node, Java and kcat. The child gets its own
 * process group, killed whole on timeout.
 */
export function runMeasured(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs: number; onStderr?: (chunk: string) => void },
): Promise<ProcessOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'x-bench-'))
  const timeFile = join(dir, 'rusage')
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const child = spawn(TIME, ['-f', 'rusage %M %U %S', '-o', timeFile, command, ...args], {
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout = (stdout + chunk).slice(-KEEP)
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-KEEP)
      options.onStderr?.(chunk)
    })
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
    }, options.timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      rmSync(dir, { recursive: true, force: true })
      reject(
        new Error(`could not start ${TIME} ${command}: ${error.message} (bench/setup.sh installs GNU time)`),
      )
    })
    child.on('close', (status, signal) => {
      clearTimeout(timer)
      let usage: ResourceUsage | undefined
      try {
        usage = parseTimeOutput(readFileSync(timeFile, 'utf8'))
      } catch (error) {
        stderr += `\n(bench: no rusage from GNU time: ${(error as Error).message})`
      }
      rmSync(dir, { recursive: true, force: true })
      resolve({ status, signal, stdout, stderr, wallMs: performance.now() - started, usage, timedOut })
    })
  })
}
