// The harness's dead-man switch: `node reaper.mjs <ownerPid> <stateFile>` runs detached beside a test run and,
// once the owner process is gone (finished, crashed, Ctrl-C, SIGKILL) while the cluster's state file still
// exists, SIGKILLs every node pid recorded there, so no broker JVM outlives the run. A normal teardown
// removes the state file first and the reaper just exits. Plain JavaScript: it must run without tsx.
import { existsSync, readFileSync } from 'node:fs'

const ownerPid = Number(process.argv[2])
const stateFile = process.argv[3]

function alive(pid) {
  try {
    process.kill(pid, 0)
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}

function killNodes() {
  let state
  try {
    state = JSON.parse(readFileSync(stateFile, 'utf8'))
  } catch {
    return
  }
  for (const node of state.nodes) {
    if (!node.pid) continue
    try {
      // only a process whose command line names this node's config: never a stranger that reused the pid
      if (!readFileSync(`/proc/${node.pid}/cmdline`, 'utf8').includes(node.configFile)) continue
      process.kill(node.pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
}

const timer = setInterval(() => {
  if (!existsSync(stateFile)) {
    clearInterval(timer)
    return
  }
  if (!alive(ownerPid)) {
    killNodes()
    clearInterval(timer)
  }
}, 500)
