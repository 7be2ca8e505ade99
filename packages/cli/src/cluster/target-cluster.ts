import { EmbeddedKafkaCluster } from '@x/testkit'
import type { CliOutput } from '../cli-io.js'

/** The cluster a command produces to: the one given, or an embedded one it started and must stop. */
export interface TargetCluster {
  readonly bootstrapServers: string
  /** True when the command started an embedded cluster (no bootstrap servers were given). */
  readonly embedded: boolean
  close(): Promise<void>
}

export interface TargetClusterOptions {
  /** From `-b`/`--bootstrap-server` or `bootstrap.servers`; undefined starts the embedded cluster. */
  bootstrapServers: string | undefined
  /** The command's name for the notice on stderr. */
  command: string
  stderr: CliOutput
  /**
   * Let the embedded broker decode every record as Kafka's does (true), or check batch headers and CRCs
   * only (false: `perf`, where the broker shares this process's CPU with the producer).
   */
  validateRecords: boolean
  quiet?: boolean
}

/**
 * Connects to the given cluster, or starts @x/testkit's embedded one (one broker on a loopback TCP port, in
 * this process, topics auto-created with one partition) and says so on stderr, so stdout stays as scripts
 * expect it.
 */
export async function openTargetCluster(options: TargetClusterOptions): Promise<TargetCluster> {
  if (options.bootstrapServers !== undefined) {
    return { bootstrapServers: options.bootstrapServers, embedded: false, close: async () => {} }
  }
  const cluster = await EmbeddedKafkaCluster.start({
    brokers: 1,
    requestLog: false,
    validateRecords: options.validateRecords,
  })
  if (!options.quiet) {
    options.stderr.write(
      `x-kafka ${options.command}: no --bootstrap-server given: started an embedded Kafka cluster (@x/testkit, 1 broker in this process) at ${cluster.bootstrapServers}; its records live in memory and go when the command exits.\n`,
    )
  }
  return { bootstrapServers: cluster.bootstrapServers, embedded: true, close: () => cluster.stop() }
}
