/**
 * What integration tests in vitest's `kafka` project use: the clusters started by the global setup and
 * unique topic names. Import from `@x/kafka-harness/vitest`.
 */
import { expect, inject } from 'vitest'
import { KafkaCluster } from '../kafka-cluster.js'
import './provided-context.js'

export type { ProvidedKafka, ProvidedKafkaCluster } from './provided-context.js'

let single: KafkaCluster | undefined
let cluster: KafkaCluster | undefined

/** The run's single-node cluster (one combined broker+controller). */
export function kafkaSingleNode(): KafkaCluster {
  single ??= KafkaCluster.load(inject('kafka').singleNode.stateFile)
  return single
}

/**
 * The run's 3-node cluster. A test that kills, pauses or restarts nodes must call `ensureHealthy()` on it
 * before it ends (e.g. in `afterEach`), so the next test finds all three nodes up and every ISR complete.
 */
export function kafkaCluster(): KafkaCluster {
  cluster ??= KafkaCluster.load(inject('kafka').cluster.stateFile)
  return cluster
}

/** The Kafka line and versions this run uses (env `KAFKA_LINE`). */
export function kafkaVersions(): { line: string; brokerVersion: string; toolsVersion: string } {
  const { line, brokerVersion, toolsVersion } = inject('kafka')
  return { line, brokerVersion, toolsVersion }
}

let counter = 0

/**
 * A topic name no other test (nor an earlier run against the same broker) uses: built from the current
 * test's name, a counter and random characters, within Kafka's rules (`[a-zA-Z0-9._-]`, at most 249).
 */
export function uniqueTopic(prefix?: string): string {
  const base = (prefix ?? expect.getState().currentTestName ?? 'topic')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
  counter += 1
  return `${base || 'topic'}-${counter}-${Math.random().toString(36).slice(2, 8)}`
}
