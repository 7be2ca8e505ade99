// No JVM outlives the process that started it: whether the owner dies of an uncaught error (exit handler)
// or is SIGKILLed (the detached reaper), the nodes recorded in the state file are SIGKILLed.
import { spawn } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type ClusterState, KafkaCluster } from '@x/kafka-harness'
import { describe, expect, it } from 'vitest'

const fixture = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'cluster-owner.ts')

/** Starts the fixture and resolves with it and its cluster's state once the node is up. */
function startOwner(mode: 'hang' | 'throw') {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, mode], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  return new Promise<{ child: typeof child; state: ClusterState }>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = /STATE (\S+)\n/.exec(out)
      if (match) resolve({ child, state: JSON.parse(readFileSync(match[1]!, 'utf8')) as ClusterState })
    })
    child.on('exit', (code) =>
      reject(new Error(`fixture exited (${code}) before starting its cluster: ${stderr}`)),
    )
  })
}

async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return true
    } catch {
      return true
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return false
}

describe('process cleanup', () => {
  it('SIGKILLs the nodes through the reaper when the owning process is SIGKILLed', async () => {
    const { child, state } = await startOwner('hang')
    const pid = state.nodes[0]!.pid!
    try {
      expect(KafkaCluster.load(state.stateFile).isRunning(1)).toBe(true)
      child.kill('SIGKILL')
      expect(await waitGone(pid, 10_000)).toBe(true)
    } finally {
      KafkaCluster.load(state.stateFile).stop()
      rmSync(state.dir, { recursive: true, force: true })
    }
  })

  it('SIGKILLs the nodes from the exit handler when the owner dies of an uncaught error', async () => {
    const { child, state } = await startOwner('throw')
    const pid = state.nodes[0]!.pid!
    try {
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
      expect(code).toBe(1)
      // the exit handler runs before the process is gone, so the node is dead by now, not in the reaper's 500 ms
      expect(await waitGone(pid, 1_000)).toBe(true)
    } finally {
      KafkaCluster.load(state.stateFile).stop()
      rmSync(state.dir, { recursive: true, force: true })
    }
  })
})
