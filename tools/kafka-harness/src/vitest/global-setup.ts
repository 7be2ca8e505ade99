// Global setup of vitest's `kafka` project: runs once per test run, in vitest's main process. Fetches the jars
// if missing, starts a single node and a 3-node cluster concurrently, hands their coordinates to the tests
// through `provide('kafka', …)`, and SIGKILLs every node at the end. If the run dies instead (crash, Ctrl-C,
// SIGKILL), the exit handler and the detached reaper still kill every JVM recorded in the state files.
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import type { ClusterState } from '../cluster-state.js'
import { KafkaCluster } from '../kafka-cluster.js'
import { fetchKafka } from '../kafka-install.js'
import { kafkaLine } from '../kafka-line.js'
import { isProcessAlive, signalProcess } from '../node-process.js'
import { runsDir } from '../paths.js'
import { requireJava, requireKcat } from '../required-tools.js'
import type { ProvidedKafka } from './provided-context.js'
import './provided-context.js'

/**
 * Deletes clusters of earlier runs whose owner process is gone (a run killed before its teardown). A cluster
 * started without an owner (`npm run kafka -- start`, the benchmark suite) is left alone while any of its
 * nodes lives, and a folder without a state file only once it is an hour old (a start may be under way).
 */
function pruneStaleRuns(): void {
  if (!existsSync(runsDir)) return
  for (const entry of readdirSync(runsDir)) {
    const dir = join(runsDir, entry)
    const stateFile = join(dir, 'state.json')
    let state: ClusterState | undefined
    try {
      state = JSON.parse(readFileSync(stateFile, 'utf8')) as ClusterState
    } catch {
      // no state: a start under way, or one that died before writing it
      if (Date.now() - statSync(dir).mtimeMs < 3_600_000) continue
    }
    if (state !== undefined && !state.ownerPid) {
      if (state.nodes.some((node) => node.pid && isProcessAlive(node.pid, node.configFile))) continue
    }
    if (state?.ownerPid) {
      try {
        process.kill(state.ownerPid, 0)
        continue // another run is still using it
      } catch {
        // owner gone
      }
    }
    for (const node of state?.nodes ?? []) if (node.pid) signalProcess(node.pid, node.configFile, 'SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const log = (line: string) => console.log(line)
  // fail, never skip, when the machine lacks what the integration tests need
  requireJava()
  requireKcat()
  const spec = kafkaLine()
  await fetchKafka(spec, log)
  pruneStaleRuns()
  const started = await Promise.allSettled([
    KafkaCluster.start({ line: spec, nodes: 1, name: 'single', reapWithOwner: true, log }),
    KafkaCluster.start({ line: spec, nodes: 3, name: 'cluster', reapWithOwner: true, log }),
  ])
  const clusters = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))
  const keep = process.env.KAFKA_HARNESS_KEEP === '1'
  const teardown = async () => {
    for (const cluster of clusters) cluster.stop({ keepFiles: keep })
  }
  const failure = started.find((result) => result.status === 'rejected')
  if (failure) {
    await teardown()
    throw failure.reason
  }
  const [single, cluster] = clusters as [KafkaCluster, KafkaCluster]
  const provided: ProvidedKafka = {
    line: spec.line,
    brokerVersion: spec.brokerVersion,
    toolsVersion: spec.toolsVersion,
    singleNode: { bootstrapServers: single.bootstrapServers, stateFile: single.stateFile, nodes: 1 },
    cluster: { bootstrapServers: cluster.bootstrapServers, stateFile: cluster.stateFile, nodes: 3 },
  }
  project.provide('kafka', provided)
  return teardown
}
