import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  isProcessAlive,
  isProcessStopped,
  signalProcess,
  spawnDetached,
  waitForExec,
} from './node-process.js'

const dir = mkdtempSync(join(tmpdir(), 'node-process-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('spawnDetached and waitForExec', () => {
  it('shows every freshly spawned process alive (cmdline exec-ed) once waitForExec resolves', async () => {
    // right after spawn, /proc/<pid>/cmdline can still be empty; 100 spawns hit that window a few times
    const marker = `marker-${process.pid}`
    // `sh -c '…' <marker>` puts the marker in argv ($0); the trailing `:` keeps sh from exec-ing sleep
    const pids = Array.from({ length: 100 }, () =>
      spawnDetached('sh', ['-c', 'sleep 30; :', marker], join(dir, 'log')),
    )
    try {
      for (const pid of pids) {
        await waitForExec(pid, marker)
        expect(isProcessAlive(pid, marker)).toBe(true)
      }
    } finally {
      // sh's sleep child shares its process group (spawnDetached makes sh the leader)
      for (const pid of pids) process.kill(-pid, 'SIGKILL')
    }
  })

  it('never signals a process whose command line lacks the marker', async () => {
    const pid = spawnDetached('sleep', ['30'], join(dir, 'log'))
    await waitForExec(pid, 'sleep')
    try {
      expect(signalProcess(pid, 'some-other-node.properties', 'SIGKILL')).toBe(false)
      expect(isProcessAlive(pid, 'sleep')).toBe(true)
    } finally {
      signalProcess(pid, 'sleep', 'SIGKILL')
    }
  })

  it('reads SIGSTOP and SIGCONT back from /proc', async () => {
    const pid = spawnDetached('sleep', ['30'], join(dir, 'log'))
    await waitForExec(pid, 'sleep')
    try {
      signalProcess(pid, 'sleep', 'SIGSTOP')
      await expect.poll(() => isProcessStopped(pid)).toBe(true)
      signalProcess(pid, 'sleep', 'SIGCONT')
      await expect.poll(() => isProcessStopped(pid)).toBe(false)
    } finally {
      signalProcess(pid, 'sleep', 'SIGKILL')
    }
  })
})
