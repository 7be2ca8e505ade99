import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { JavaTools } from './clients/java-tools.js'
import { randomClusterId } from './cluster-id.js'
import { type ClusterState, type NodeState, readClusterState, writeClusterState } from './cluster-state.js'
import { freePorts } from './free-port.js'
import { KafkaHarnessError } from './kafka-harness-error.js'
import { fetchKafka } from './kafka-install.js'
import { type KafkaLineSpec, kafkaLine } from './kafka-line.js'
import { writeLogConfigs } from './log-config.js'
import {
  countInFile,
  exitOf,
  isProcessAlive,
  isProcessStopped,
  residentKiB,
  signalProcess,
  sleep,
  spawnDetached,
  waitForExec,
} from './node-process.js'
import { runsDir } from './paths.js'
import { runCommand, tail } from './run-command.js'
import { type NodeAddress, serverProperties } from './server-properties.js'
import { probeApiVersions } from './wire/api-versions-probe.js'
import { type ClusterMetadata, fetchMetadata } from './wire/metadata.js'

export interface StartClusterOptions {
  /** 1 (a single node) or 3; every node is a combined broker+controller. */
  nodes?: number
  /** Kafka line; defaults to env `KAFKA_LINE`, else 4. */
  line?: KafkaLineSpec
  /** Folder for the cluster (created); defaults to a fresh one under `.cache/kafka/runs/`. */
  dir?: string
  name?: string
  /** Extra broker configs for every node. */
  brokerConfig?: Record<string, string>
  /** JVM options for the brokers; default: small heap (`KAFKA_HARNESS_HEAP`, else 384m). */
  jvmOptions?: string[]
  /**
   * Kill the nodes when this process exits, and start a detached reaper that kills them if this process
   * dies without running exit handlers. True for test runs; false for the CLI, whose broker outlives it.
   */
  reapWithOwner?: boolean
  startTimeoutMs?: number
  log?: (line: string) => void
}

const STARTED = 'Kafka Server started'
const reaperScript = fileURLToPath(new URL('./reaper.mjs', import.meta.url))

export function defaultJvmOptions(): string[] {
  const heap = process.env.KAFKA_HARNESS_HEAP ?? '384m'
  return [
    '-Xms64m',
    `-Xmx${heap}`,
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:InitiatingHeapOccupancyPercent=35',
    '-XX:+ExplicitGCInvokesConcurrent',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
  ]
}

/**
 * A KRaft cluster of separate `kafka.Kafka` JVMs on 127.0.0.1, operated through its state file: any
 * process can `KafkaCluster.load(stateFile)` and kill, pause or restart nodes; every change is written back
 * so teardown kills exactly the pids that are running.
 */
export class KafkaCluster {
  private constructor(private state: ClusterState) {}

  /** Formats and starts a new cluster and waits until every node is ready; see `StartClusterOptions`. */
  static async start(options: StartClusterOptions = {}): Promise<KafkaCluster> {
    const spec = options.line ?? kafkaLine()
    const size = options.nodes ?? 1
    if (!Number.isInteger(size) || size < 1 || size > 9) {
      throw new KafkaHarnessError(
        'INVALID_OPTION',
        `nodes must be an integer from 1 to 9, got ${options.nodes}`,
      )
    }
    const log = options.log ?? (() => {})
    const install = await fetchKafka(spec, log)
    let lastError: unknown
    // free-port probes race with other processes: on "Address already in use" start again on new ports
    for (let attempt = 1; attempt <= 3; attempt++) {
      const cluster = await KafkaCluster.create(spec, size, install, options)
      try {
        await cluster.startAll(options.startTimeoutMs ?? 120_000, log)
        return cluster
      } catch (error) {
        cluster.stop({ keepFiles: true })
        lastError = error
        if (!(error instanceof KafkaHarnessError && /Address already in use/.test(error.message))) throw error
        log(`kafka-harness: port taken, retrying (${attempt}/3)`)
      }
    }
    throw lastError
  }

  /** The cluster recorded in `stateFile` (written by `start`, in this process or another). */
  static load(stateFile: string): KafkaCluster {
    return new KafkaCluster(readClusterState(stateFile))
  }

  private static async create(
    spec: KafkaLineSpec,
    size: number,
    install: { brokerClasspath: string; toolsClasspath: string },
    options: StartClusterOptions,
  ): Promise<KafkaCluster> {
    let dir = options.dir
    if (dir) {
      rmSync(dir, { recursive: true, force: true })
      mkdirSync(dir, { recursive: true })
    } else {
      mkdirSync(runsDir, { recursive: true })
      dir = mkdtempSync(join(runsDir, `${options.name ?? `n${size}`}-`))
    }
    const ports = await freePorts(size * 2)
    const addresses: NodeAddress[] = Array.from({ length: size }, (_, i) => ({
      nodeId: i + 1,
      brokerPort: ports[i * 2]!,
      controllerPort: ports[i * 2 + 1]!,
    }))
    const nodes: NodeState[] = addresses.map((address) => {
      const nodeDir = join(dir, `node${address.nodeId}`)
      mkdirSync(nodeDir, { recursive: true })
      const configFile = join(nodeDir, 'server.properties')
      const properties = serverProperties({
        line: spec.line,
        node: address,
        voters: addresses,
        logDir: join(nodeDir, 'data'),
        overrides: options.brokerConfig,
      })
      writeFileSync(configFile, properties)
      return {
        ...address,
        dir: nodeDir,
        configFile,
        logFile: join(nodeDir, 'server.log'),
        pid: null,
        paused: false,
      }
    })
    const state: ClusterState = {
      version: 1,
      name: options.name ?? `kafka-${spec.brokerVersion}-${size}`,
      line: spec.line,
      brokerVersion: spec.brokerVersion,
      toolsVersion: spec.toolsVersion,
      clusterId: randomClusterId(),
      dir,
      stateFile: join(dir, 'state.json'),
      brokerClasspath: install.brokerClasspath,
      toolsClasspath: install.toolsClasspath,
      logFlags: writeLogConfigs(spec, dir),
      jvmOptions: options.jvmOptions ?? defaultJvmOptions(),
      nodes,
      ownerPid: options.reapWithOwner ? process.pid : null,
    }
    writeClusterState(state)
    if (options.reapWithOwner) {
      const reaper = spawn(process.execPath, [reaperScript, String(process.pid), state.stateFile], {
        detached: true,
        stdio: 'ignore',
      })
      reaper.unref()
      const cluster = new KafkaCluster(state)
      process.once('exit', () => cluster.stop({ keepFiles: true }))
      return cluster
    }
    return new KafkaCluster(state)
  }

  get stateFile(): string {
    return this.state.stateFile
  }

  get clusterId(): string {
    return this.state.clusterId
  }

  get brokerVersion(): string {
    return this.state.brokerVersion
  }

  /** Classpath and logging flag for Kafka's Java tools of this cluster's line. */
  get tools(): JavaTools {
    return {
      toolsClasspath: this.state.toolsClasspath,
      toolsLogFlag: this.state.logFlags.tools,
      toolsVersion: this.state.toolsVersion,
    }
  }

  /** `127.0.0.1:port,…` of every node, for clients' `bootstrap.servers`. */
  get bootstrapServers(): string {
    return this.state.nodes.map((node) => `127.0.0.1:${node.brokerPort}`).join(',')
  }

  /** A fresh copy of the recorded state (re-read from the state file). */
  snapshot(): ClusterState {
    this.reload()
    return structuredClone(this.state)
  }

  nodeIds(): number[] {
    return this.state.nodes.map((node) => node.nodeId)
  }

  /** `127.0.0.1:port` of one node's broker listener. */
  brokerAddress(nodeId: number): string {
    return `127.0.0.1:${this.node(nodeId).brokerPort}`
  }

  /** Whether the node's JVM is running (paused counts as running). */
  isRunning(nodeId: number): boolean {
    this.reload()
    const node = this.node(nodeId)
    return node.pid !== null && isProcessAlive(node.pid, node.configFile)
  }

  /** RSS in KiB of every running node, by node id. */
  residentKiB(): Map<number, number> {
    this.reload()
    return new Map(
      this.state.nodes.map((node) => [node.nodeId, node.pid === null ? 0 : residentKiB(node.pid)]),
    )
  }

  /** Kills one node (SIGKILL by default: no controlled shutdown) and waits until the process is gone. */
  async kill(nodeId: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    this.reload()
    const node = this.node(nodeId)
    if (node.pid !== null) {
      if (node.paused && signal !== 'SIGKILL') signalProcess(node.pid, node.configFile, 'SIGCONT')
      signalProcess(node.pid, node.configFile, signal)
      const deadline = Date.now() + 60_000
      while (isProcessAlive(node.pid, node.configFile)) {
        if (Date.now() > deadline) {
          throw new KafkaHarnessError(
            'TIMEOUT',
            `node ${nodeId} (pid ${node.pid}) did not exit within 60 s of ${signal}`,
          )
        }
        await sleep(50)
      }
    }
    node.pid = null
    node.paused = false
    writeClusterState(this.state)
  }

  /**
   * SIGSTOP: the JVM freezes with its sockets open (a hung broker, unlike a crashed one). Resolves once the
   * kernel reports the process stopped: delivery to every thread is asynchronous.
   */
  async pause(nodeId: number): Promise<void> {
    this.reload()
    const node = this.requireRunning(nodeId)
    signalProcess(node.pid!, node.configFile, 'SIGSTOP')
    node.paused = true
    writeClusterState(this.state)
    await this.waitUntil(10_000, `showing node ${nodeId} stopped`, () => isProcessStopped(node.pid!))
  }

  /** SIGCONT after `pause`; resolves once the process runs again. */
  async resume(nodeId: number): Promise<void> {
    this.reload()
    const node = this.requireRunning(nodeId)
    signalProcess(node.pid!, node.configFile, 'SIGCONT')
    node.paused = false
    writeClusterState(this.state)
    await this.waitUntil(10_000, `showing node ${nodeId} running`, () => !isProcessStopped(node.pid!))
  }

  /** Whether the node is currently stopped by SIGSTOP (read from /proc, not from the state file). */
  isPaused(nodeId: number): boolean {
    this.reload()
    const node = this.node(nodeId)
    return node.pid !== null && isProcessStopped(node.pid)
  }

  /**
   * Starts a stopped node again with the identical command and config (no re-format: it keeps its data and
   * cluster id) and waits for its next "Kafka Server started" and an ApiVersions answer. A running node is
   * SIGKILLed first.
   */
  async restart(nodeId: number, timeoutMs = 90_000): Promise<void> {
    if (this.isRunning(nodeId)) await this.kill(nodeId)
    this.reload()
    const node = this.node(nodeId)
    const baseline = countInFile(node.logFile, STARTED)
    node.pid = spawnDetached('java', this.nodeCommand(node), node.logFile)
    node.paused = false
    writeClusterState(this.state)
    await waitForExec(node.pid, node.configFile)
    await this.waitReady(node, baseline, timeoutMs)
  }

  /** Metadata as one node sees it (the first running node when `nodeId` is omitted). */
  async metadata(topics: string[] | null = null, nodeId?: number): Promise<ClusterMetadata> {
    this.reload()
    const node =
      nodeId === undefined
        ? this.state.nodes.find((n) => n.pid !== null && !n.paused && isProcessAlive(n.pid, n.configFile))
        : this.node(nodeId)
    if (!node) throw new KafkaHarnessError('BROKER_NOT_READY', `no node of ${this.state.name} is running`)
    return fetchMetadata({ host: '127.0.0.1', port: node.brokerPort }, topics)
  }

  /**
   * Brings the cluster back to full health after a test mutated it: resumes paused nodes, restarts dead
   * ones, then waits until every running broker lists all nodes and every partition's ISR holds all its
   * replicas. Tests that kill or pause nodes call it in `afterEach`/`finally`.
   */
  async ensureHealthy(timeoutMs = 120_000): Promise<void> {
    this.reload()
    for (const node of this.state.nodes) {
      if (node.pid !== null && node.paused) await this.resume(node.nodeId)
    }
    await Promise.all(
      this.state.nodes
        .filter((node) => !this.isRunning(node.nodeId))
        .map((node) => this.restart(node.nodeId, timeoutMs)),
    )
    await this.waitUntil(timeoutMs, 'every broker registered and every ISR complete', async () => {
      for (const node of this.state.nodes) {
        const metadata = await fetchMetadata({ host: '127.0.0.1', port: node.brokerPort }, null, 3_000)
        if (metadata.brokers.length !== this.state.nodes.length) return false
        for (const topic of metadata.topics) {
          for (const p of topic.partitions) {
            if (p.leader < 0 || p.isr.length !== p.replicas.length) return false
          }
        }
      }
      return true
    })
  }

  /** Polls `check` (errors count as "not yet") every 200 ms until it holds, else fails with `TIMEOUT`. */
  async waitUntil(timeoutMs: number, what: string, check: () => Promise<boolean> | boolean): Promise<void> {
    const deadline = Date.now() + timeoutMs
    let lastError: unknown
    for (;;) {
      try {
        if (await check()) return
      } catch (error) {
        lastError = error
      }
      if (Date.now() > deadline) {
        const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : ''
        throw new KafkaHarnessError(
          'TIMEOUT',
          `${this.state.name}: not ${what} within ${timeoutMs} ms${reason}`,
          lastError,
        )
      }
      await sleep(200)
    }
  }

  /**
   * SIGKILLs every node recorded in the state file (SIGKILL, not SIGTERM: with the quorum gone, a graceful
   * shutdown waits minutes for controlled shutdown), then deletes the cluster's folder unless `keepFiles`.
   * Synchronous, so it also works inside a process 'exit' handler.
   */
  stop(options: { keepFiles?: boolean } = {}): void {
    try {
      this.reload()
    } catch {
      // state file already gone: kill what this object last knew
    }
    for (const node of this.state.nodes) {
      if (node.pid === null) continue
      signalProcess(node.pid, node.configFile, 'SIGKILL')
      node.pid = null
    }
    if (options.keepFiles) {
      try {
        writeClusterState(this.state)
      } catch {
        // folder removed meanwhile
      }
    } else {
      rmSync(this.state.dir, { recursive: true, force: true })
    }
  }

  /** The JVM command (arguments after `java`) that runs one node. */
  private nodeCommand(node: NodeState): string[] {
    return [
      ...this.state.jvmOptions,
      this.state.logFlags.server,
      '-cp',
      this.state.brokerClasspath,
      'kafka.Kafka',
      node.configFile,
    ]
  }

  private async startAll(timeoutMs: number, log: (line: string) => void): Promise<void> {
    const started = Date.now()
    await Promise.all(this.state.nodes.map((node) => this.format(node)))
    for (const node of this.state.nodes)
      node.pid = spawnDetached('java', this.nodeCommand(node), node.logFile)
    writeClusterState(this.state)
    for (const node of this.state.nodes) await waitForExec(node.pid!, node.configFile)
    // combined nodes block in startup until a controller majority exists, so they are started together
    await Promise.all(this.state.nodes.map((node) => this.waitReady(node, 0, timeoutMs)))
    await this.waitUntil(timeoutMs, 'all brokers registered', async () => {
      const metadata = await this.metadata(null)
      return metadata.brokers.length === this.state.nodes.length
    })
    log(`kafka-harness: ${this.state.name} ready at ${this.bootstrapServers} in ${Date.now() - started} ms`)
  }

  /** `StorageTool format` with the shared cluster id: writes meta.properties and the bootstrap checkpoint. */
  private async format(node: NodeState): Promise<void> {
    const run = await runCommand(
      'java',
      [
        '-Xmx128m',
        '-XX:TieredStopAtLevel=1',
        this.state.logFlags.tools,
        '-cp',
        this.state.brokerClasspath,
        'kafka.tools.StorageTool',
        'format',
        '-t',
        this.state.clusterId,
        '-c',
        node.configFile,
      ],
      { timeoutMs: 60_000 },
    )
    if (run.status !== 0) {
      throw new KafkaHarnessError(
        'BROKER_START_FAILED',
        `StorageTool format failed for node ${node.nodeId} (exit ${run.status}):\n${tail(run.stdout.toString('utf8') + run.stderr)}`,
      )
    }
  }

  /** Waits for a new "Kafka Server started" line (beyond `baseline`) and an ApiVersions answer. */
  private async waitReady(node: NodeState, baseline: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      if (node.pid === null || !isProcessAlive(node.pid, node.configFile)) {
        const log = tail(readLog(node.logFile), 25)
        const how = node.pid === null ? '' : ` (${exitOf(node.pid) ?? 'ended outside this process'})`
        throw new KafkaHarnessError(
          'BROKER_START_FAILED',
          `Kafka node ${node.nodeId} (${this.state.name}) exited during startup${how}; ${node.logFile} ends with:\n${log}`,
        )
      }
      if (countInFile(node.logFile, STARTED) > baseline) {
        try {
          const result = await probeApiVersions({ host: '127.0.0.1', port: node.brokerPort }, 2_000)
          if (result.errorCode === 0 && result.apis.length > 0) return
        } catch {
          // listener up but not answering yet
        }
      }
      if (Date.now() > deadline) {
        throw new KafkaHarnessError(
          'BROKER_NOT_READY',
          `Kafka node ${node.nodeId} (${this.state.name}) not ready within ${timeoutMs} ms; ${node.logFile} ends with:\n${tail(readLog(node.logFile), 25)}`,
        )
      }
      await sleep(100)
    }
  }

  private requireRunning(nodeId: number): NodeState {
    const node = this.node(nodeId)
    if (node.pid === null || !isProcessAlive(node.pid, node.configFile)) {
      throw new KafkaHarnessError('BROKER_NOT_READY', `node ${nodeId} of ${this.state.name} is not running`)
    }
    return node
  }

  private node(nodeId: number): NodeState {
    const node = this.state.nodes.find((n) => n.nodeId === nodeId)
    if (!node) {
      throw new KafkaHarnessError(
        'INVALID_OPTION',
        `${this.state.name} has no node ${nodeId}; its nodes are ${this.nodeIds().join(', ')}`,
      )
    }
    return node
  }

  private reload(): void {
    this.state = readClusterState(this.state.stateFile)
  }
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}
