// An embedded cluster per test, producers closed and the cluster stopped afterwards, and a check that the
// test left no socket, server or timer behind.
import {
  DeliveryChecker,
  type DeliveryLedger,
  type DeliveryPolicy,
  type DeliveryReport,
  EmbeddedKafkaCluster,
  type EmbeddedKafkaClusterOptions,
  leakedResources,
  type ResourceSnapshot,
  readEmbeddedTopic,
  snapshotActiveResources,
} from '@x/testkit'
import { afterEach, beforeEach, expect } from 'vitest'
import { type OracleProducer, oracleProducer, type ProducerMode } from './oracle-producer.js'

export interface EmbeddedFixture {
  start(options?: EmbeddedKafkaClusterOptions): Promise<EmbeddedKafkaCluster>
  producer(mode: ProducerMode, options?: Parameters<typeof oracleProducer>[1]): OracleProducer
  /** The oracle over the cluster's logs of `topic`. */
  check(ledger: DeliveryLedger, topic: string, policy: Partial<DeliveryPolicy>): DeliveryReport
}

export function useEmbeddedCluster(): EmbeddedFixture {
  let cluster: EmbeddedKafkaCluster | undefined
  let before: ResourceSnapshot
  const producers: OracleProducer[] = []
  beforeEach(() => {
    before = snapshotActiveResources()
  })
  afterEach(async () => {
    for (const producer of producers.splice(0)) await producer.close({ timeoutMs: 0 })
    const errors = cluster?.errors ?? []
    await cluster?.stop()
    cluster = undefined
    expect(errors.map((e) => String(e.error))).toEqual([])
    expect(await leakedResources(before, 2_000)).toEqual([])
  })
  return {
    async start(options = {}) {
      cluster = await EmbeddedKafkaCluster.start({ brokers: 3, listen: false, ...options })
      return cluster
    },
    producer(mode, options = {}) {
      const producer = oracleProducer(mode, {
        bootstrapServers: cluster!.bootstrapServers,
        transport: cluster!.transport,
        ...options,
      })
      producers.push(producer)
      return producer
    },
    check(ledger, topic, policy) {
      return new DeliveryChecker(ledger).read('cluster', readEmbeddedTopic(cluster!, topic)).report(policy)
    },
  }
}
