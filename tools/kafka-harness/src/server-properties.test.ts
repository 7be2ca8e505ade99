import { describe, expect, it } from 'vitest'
import { serverProperties } from './server-properties.js'

const parse = (text: string) =>
  Object.fromEntries(
    text
      .trim()
      .split('\n')
      .map((line) => line.split(/=(.*)/s).slice(0, 2)),
  ) as Record<string, string>

const nodes = [
  { nodeId: 1, brokerPort: 9001, controllerPort: 9101 },
  { nodeId: 2, brokerPort: 9002, controllerPort: 9102 },
  { nodeId: 3, brokerPort: 9003, controllerPort: 9103 },
]

describe('serverProperties', () => {
  it('configures a single combined node with a static voter and replication factor 1 everywhere', () => {
    const config = parse(serverProperties({ line: '4', node: nodes[0]!, voters: [nodes[0]!], logDir: '/d' }))
    expect(config).toMatchObject({
      'process.roles': 'broker,controller',
      'node.id': '1',
      'controller.quorum.voters': '1@127.0.0.1:9101',
      listeners: 'PLAINTEXT://127.0.0.1:9001,CONTROLLER://127.0.0.1:9101',
      'advertised.listeners': 'PLAINTEXT://127.0.0.1:9001',
      'log.dirs': '/d',
      'offsets.topic.replication.factor': '1',
      'transaction.state.log.min.isr': '1',
      'share.coordinator.state.topic.replication.factor': '1',
      'log.cleaner.dedupe.buffer.size': '2097152',
    })
    expect(config['broker.session.timeout.ms']).toBeUndefined()
  })

  it('lists all three voters, sizes internal topics for 3 nodes and shortens the session timeout', () => {
    const config = parse(serverProperties({ line: '4', node: nodes[1]!, voters: nodes, logDir: '/d' }))
    expect(config).toMatchObject({
      'node.id': '2',
      'controller.quorum.voters': '1@127.0.0.1:9101,2@127.0.0.1:9102,3@127.0.0.1:9103',
      'default.replication.factor': '3',
      'min.insync.replicas': '2',
      'transaction.state.log.min.isr': '2',
      'broker.session.timeout.ms': '3000',
      'broker.heartbeat.interval.ms': '500',
    })
  })

  it('leaves out the share-coordinator settings 3.9 does not know, and applies overrides last', () => {
    const config = parse(
      serverProperties({
        line: '3.9',
        node: nodes[0]!,
        voters: [nodes[0]!],
        logDir: '/d',
        overrides: { 'auto.create.topics.enable': 'false' },
      }),
    )
    expect(Object.keys(config).some((key) => key.startsWith('share.'))).toBe(false)
    expect(config['auto.create.topics.enable']).toBe('false')
  })
})
