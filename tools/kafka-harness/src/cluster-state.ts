import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { KafkaHarnessError } from './kafka-harness-error.js'
import type { KafkaLine } from './kafka-line.js'
import type { LogFlags } from './log-config.js'

/** One combined broker+controller node and the process currently running it. */
export interface NodeState {
  nodeId: number
  brokerPort: number
  controllerPort: number
  /** The node's folder: server.properties, server.log, data/. */
  dir: string
  configFile: string
  logFile: string
  /** The JVM's pid, or null while the node is down. */
  pid: number | null
  /** True between SIGSTOP and SIGCONT. */
  paused: boolean
}

/**
 * Everything needed to operate on a running cluster from any process: vitest's global setup starts the
 * cluster in the main process, tests kill and restart nodes from worker processes, and teardown (or the
 * reaper, if the run dies) kills every pid recorded here.
 */
export interface ClusterState {
  version: 1
  name: string
  line: KafkaLine
  brokerVersion: string
  toolsVersion: string
  clusterId: string
  dir: string
  stateFile: string
  brokerClasspath: string
  toolsClasspath: string
  logFlags: LogFlags
  /** JVM options of the broker processes (heap, GC). */
  jvmOptions: string[]
  nodes: NodeState[]
  /** The process whose exit ends the cluster (vitest's main process); null for a CLI-started cluster. */
  ownerPid: number | null
}

export function readClusterState(stateFile: string): ClusterState {
  if (!existsSync(stateFile)) {
    throw new KafkaHarnessError(
      'CLUSTER_STATE_MISSING',
      `no Kafka cluster state at ${stateFile}: start one first (vitest's kafka project, or \`npm run kafka -- start\`)`,
    )
  }
  return JSON.parse(readFileSync(stateFile, 'utf8')) as ClusterState
}

/** Writes through a rename, so a reader in another process never sees half a file. */
export function writeClusterState(state: ClusterState): void {
  const temp = `${state.stateFile}.${process.pid}.tmp`
  writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`)
  renameSync(temp, state.stateFile)
}
