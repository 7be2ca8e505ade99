import type { KafkaLine } from '../kafka-line.js'

/** A cluster started by the global setup, as tests see it. */
export interface ProvidedKafkaCluster {
  /** `127.0.0.1:port,…` for clients' bootstrap servers. */
  bootstrapServers: string
  /** Load with `KafkaCluster.load(stateFile)` to kill, pause, restart nodes or read metadata. */
  stateFile: string
  nodes: number
}

export interface ProvidedKafka {
  line: KafkaLine
  brokerVersion: string
  toolsVersion: string
  /** One combined broker+controller node. */
  singleNode: ProvidedKafkaCluster
  /** Three combined nodes (replication factor 3, fast failover); tests that mutate it must restore it. */
  cluster: ProvidedKafkaCluster
}

declare module 'vitest' {
  export interface ProvidedContext {
    kafka: ProvidedKafka
  }
}
