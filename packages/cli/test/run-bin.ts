// Runs the x-kafka bin as a user does (node bin/x-kafka.js …, from the repository root): the launcher, the
// TypeScript sources through tsx, a process of its own.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const bin = fileURLToPath(new URL('../bin/x-kafka.js', import.meta.url))
const root = fileURLToPath(new URL('../../../', import.meta.url))

export interface BinResult {
  code: number | null
  stdout: string
  stderr: string
}

export function runBin(args: string[], input = '', env: NodeJS.ProcessEnv = {}): Promise<BinResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, ...env } })
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
    child.on('error', reject)
    child.on('close', (code) =>
      resolve({
        code,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      }),
    )
    child.stdin.end(input)
  })
}
