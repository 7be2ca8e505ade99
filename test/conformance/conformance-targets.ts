// The brokers every conformance scenario runs against: the real Apache Kafka single node the harness
// started for this run, and @x/testkit's embedded cluster reached through its in-memory transport and
// through loopback TCP. Scenarios assert the same expectations on each, so the fake cannot drift from
// Kafka without a red test.
import { kafkaSingleNode } from '@x/kafka-harness/vitest'
import {
  EmbeddedKafkaCluster,
  leakedResources,
  type ResourceSnapshot,
  snapshotActiveResources,
  tcpTransport,
} from '@x/testkit'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import { ProtocolSession } from './protocol-session'

export interface ConformanceTarget {
  readonly name: string
  /** Starts what the target needs (nothing for the real broker, which the harness runs). */
  setUp(): Promise<void>
  open(): Promise<ProtocolSession>
  tearDown(): Promise<void>
}

function realKafka(): ConformanceTarget {
  return {
    name: 'Apache Kafka (harness single node)',
    async setUp() {},
    open() {
      const [host, port] = kafkaSingleNode().bootstrapServers.split(',')[0]!.split(':')
      return ProtocolSession.open({ bootstrap: { host: host!, port: Number(port) }, transport: tcpTransport })
    },
    async tearDown() {},
  }
}

function embedded(via: 'in-memory' | 'tcp'): ConformanceTarget {
  let cluster: EmbeddedKafkaCluster | undefined
  return {
    name: `@x/testkit embedded cluster (${via})`,
    async setUp() {
      cluster = await EmbeddedKafkaCluster.start({ brokers: 1, listen: via === 'tcp' })
    },
    open() {
      const broker = cluster!.brokers[0]!
      return ProtocolSession.open({
        bootstrap: { host: broker.host, port: broker.port },
        transport: via === 'tcp' ? tcpTransport : cluster!.transport,
      })
    },
    async tearDown() {
      const errors = cluster?.errors ?? []
      await cluster?.stop()
      cluster = undefined
      if (errors.length > 0)
        throw new Error(`The embedded brokers failed internally: ${String(errors[0]!.error)}`)
    },
  }
}

export function conformanceTargets(): ConformanceTarget[] {
  return [realKafka(), embedded('in-memory'), embedded('tcp')]
}

let counter = 0

/** A topic name no earlier run used (the real broker keeps its topics for the whole run). */
export function freshTopic(prefix: string): string {
  counter += 1
  return `conformance-${prefix}-${counter}-${Math.random().toString(36).slice(2, 8)}`
}

/**
 * Declares `body` once per target, each with its own session, and checks after the last test that the
 * target left no socket, server or timer behind.
 */
export function describeOnEveryTarget(title: string, body: (session: () => ProtocolSession) => void): void {
  describe.each(conformanceTargets().map((target) => [target.name, target] as const))(
    `${title} — %s`,
    (_name, target) => {
      let session: ProtocolSession | undefined
      let before: ResourceSnapshot = new Map()
      beforeAll(async () => {
        before = snapshotActiveResources()
        await target.setUp()
        session = await target.open()
      })
      afterAll(async () => {
        session?.close()
        await target.tearDown()
        expect(await leakedResources(before)).toEqual([])
      })
      body(() => session!)
    },
  )
}
