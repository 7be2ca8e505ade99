import { spawn } from 'node:child_process'
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs'

/**
 * True when `pid` is a live (not zombie, not reaped) process whose command line contains `marker` (a node's
 * config file path). The marker guards against signalling an unrelated process that reused a dead node's pid.
 */
export function isProcessAlive(pid: number, marker: string): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // the state letter follows the parenthesised command name, which may itself contain spaces
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)
    if (state === 'Z' || state === 'X') return false
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)
  } catch {
    return false
  }
}

/** True when the process is stopped (SIGSTOP): state letter T. */
export function isProcessStopped(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'T'
  } catch {
    return false
  }
}

/** Sends `signal` if the process is still ours; returns whether it was sent. */
export function signalProcess(pid: number, marker: string, signal: NodeJS.Signals): boolean {
  if (!isProcessAlive(pid, marker)) return false
  try {
    process.kill(pid, signal)
    return true
  } catch {
    return false
  }
}

/** Resident set size in KiB (from /proc), or 0 when the process is gone. */
export function residentKiB(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) : 0
  } catch {
    return 0
  }
}

/** How children this process spawned ended, by pid: for error messages about a node that died. */
const exits = new Map<number, string>()

/** "exit code 1" / "signal SIGKILL" for a child of this process that ended, else undefined. */
export function exitOf(pid: number): string | undefined {
  return exits.get(pid)
}

/**
 * Starts a long-lived process detached from ours (its own process group, so a terminal's Ctrl-C does not
 * send it SIGINT and start a slow graceful shutdown: the harness SIGKILLs it instead), with stdout and
 * stderr appended to `logFile`: a file, not a pipe, since an unread pipe would block the JVM's logging.
 * Returns the pid at once, so the caller can record it before anything else can fail; then await
 * `waitForExec`.
 */
export function spawnDetached(command: string, args: string[], logFile: string): number {
  const fd = openSync(logFile, 'a')
  try {
    const child = spawn(command, args, { detached: true, stdio: ['ignore', fd, fd] })
    child.on('error', () => {}) // a spawn failure shows as a dead pid to the readiness wait
    child.unref()
    const pid = child.pid
    if (pid === undefined) throw new Error(`could not start ${command}`)
    child.on('exit', (code, signal) => exits.set(pid, signal ? `signal ${signal}` : `exit code ${code}`))
    return pid
  } finally {
    closeSync(fd)
  }
}

/**
 * Waits until `/proc/<pid>/cmdline` shows the new program (it contains `marker`), or the child ended. Right
 * after `spawn` returns, the child may not have exec'd yet and its cmdline reads empty (seen with Node 20's
 * libuv 1.46 in about 3 % of spawns), which would make it look dead, or a stranger, to `isProcessAlive`.
 */
export async function waitForExec(pid: number, marker: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline && !exits.has(pid) && !isProcessAlive(pid, marker)) await sleep(5)
}

/** Occurrences of `needle` in a text file (0 when the file does not exist yet). */
export function countInFile(file: string, needle: string): number {
  if (!existsSync(file)) return 0
  return readFileSync(file, 'utf8').split(needle).length - 1
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
