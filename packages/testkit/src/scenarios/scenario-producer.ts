import type { EmbeddedKafkaCluster } from '../embedded-kafka-cluster.js'
import type { Transport } from '../transport.js'

/** A record as the scenario runner hands it to the producer under test. */
export interface ScenarioRecord {
  readonly topic: string
  readonly partition?: number
  readonly key: Uint8Array | null
  readonly value: Uint8Array
  readonly headers: { key: string; value: Uint8Array }[]
}

/** Where the acknowledged record landed. */
export interface ScenarioRecordMetadata {
  readonly partition: number
  readonly offset: bigint | number
}

/**
 * The producer under test, as the runner uses it: any client with a Java-style `send` (promise plus an
 * optional `(metadata, error)` callback), `flush` and `close`. `@x/producer`'s `KafkaProducer` fits as it is;
 * testkit does not depend on it.
 */
export interface ScenarioProducer {
  send(
    record: ScenarioRecord,
    callback?: (metadata: ScenarioRecordMetadata, error: Error | undefined) => void,
  ): Promise<ScenarioRecordMetadata>
  flush(): Promise<void>
  close(options?: { timeoutMs?: number }): Promise<void>
}

/** How the runner connects a producer to the cluster: both the in-memory transport and TCP addresses. */
export interface ScenarioConnection {
  readonly bootstrapServers: string
  /** The cluster's in-memory transport (no sockets); pass it as the producer's transport. */
  readonly transport: Transport
  readonly cluster: EmbeddedKafkaCluster
}

export type ScenarioProducerFactory = (
  connection: ScenarioConnection,
) => ScenarioProducer | Promise<ScenarioProducer>
