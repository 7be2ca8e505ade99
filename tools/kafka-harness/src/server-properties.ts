import type { KafkaLine } from './kafka-line.js'

export interface NodeAddress {
  nodeId: number
  brokerPort: number
  controllerPort: number
}

export interface ServerPropertiesOptions {
  line: KafkaLine
  node: NodeAddress
  /** Every node of the cluster (combined broker+controller each): the static KRaft voters. */
  voters: NodeAddress[]
  logDir: string
  /** Extra or overriding broker configs, e.g. `{ 'auto.create.topics.enable': 'false' }`. */
  overrides?: Record<string, string>
}

/**
 * The `server.properties` of one combined broker+controller node on 127.0.0.1 with a static quorum
 * (`controller.quorum.voters`), so `format` needs neither `--standalone` nor `--initial-controllers`.
 * Internal topics are sized for the cluster; heaps stay small because the log cleaner's dedupe buffer
 * (128 MiB on heap by default) is cut to 2 MiB.
 */
export function serverProperties(options: ServerPropertiesOptions): string {
  const { line, node, voters, logDir } = options
  const size = voters.length
  const replication = String(Math.min(size, 3))
  const minIsr = size >= 3 ? '2' : '1'
  const config: Record<string, string> = {
    'process.roles': 'broker,controller',
    'node.id': String(node.nodeId),
    'controller.quorum.voters': voters.map((v) => `${v.nodeId}@127.0.0.1:${v.controllerPort}`).join(','),
    listeners: `PLAINTEXT://127.0.0.1:${node.brokerPort},CONTROLLER://127.0.0.1:${node.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${node.brokerPort}`,
    'inter.broker.listener.name': 'PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'log.dirs': logDir,
    'auto.create.topics.enable': 'true',
    'num.partitions': '1',
    'default.replication.factor': replication,
    'min.insync.replicas': minIsr,
    'offsets.topic.replication.factor': replication,
    'offsets.topic.num.partitions': '1',
    'transaction.state.log.replication.factor': replication,
    'transaction.state.log.min.isr': minIsr,
    'transaction.state.log.num.partitions': '1',
    'group.initial.rebalance.delay.ms': '0',
    'log.cleaner.dedupe.buffer.size': '2097152',
    // fewer threads: up to four brokers share two cores with the tests
    'num.network.threads': '2',
    'num.io.threads': '2',
    'num.recovery.threads.per.data.dir': '1',
    'background.threads': '2',
  }
  if (line !== '3.9') {
    // share groups (KIP-932) keep their state in an internal topic sized like the others; unknown to 3.9
    config['share.coordinator.state.topic.replication.factor'] = replication
    config['share.coordinator.state.topic.min.isr'] = minIsr
  }
  if (size > 1) {
    // fast failover for kill tests: a SIGKILLed broker is fenced (and leaves the ISRs) after 3 s, not 9 s
    config['broker.heartbeat.interval.ms'] = '500'
    config['broker.session.timeout.ms'] = '3000'
    // a restarted node gets its preferred leaderships back within seconds, not after 5 minutes
    config['leader.imbalance.check.interval.seconds'] = '5'
  }
  Object.assign(config, options.overrides)
  return `${Object.entries(config)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n')}\n`
}
