// `npm run kafka -- <command> [--line 4|3.9] [--nodes 1|3]`: a local Kafka broker by hand.
//   fetch    resolve the line's jars from Maven Central (cached in .cache/m2, classpaths in .cache/kafka/<version>)
//   start    start a cluster in the background (state in .cache/kafka/local/) and print its bootstrap servers
//   status   print the local cluster's nodes, pids and whether each answers ApiVersions
//   stop     SIGKILL the local cluster and delete its data
//   measure  start a 1-node then a 3-node cluster (one at a time) and print start time and RSS per node
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { runProducerPerformance } from './clients/producer-performance.js'
import { defaultJvmOptions, KafkaCluster } from './kafka-cluster.js'
import { KafkaHarnessError } from './kafka-harness-error.js'
import { fetchKafka } from './kafka-install.js'
import { kafkaLine } from './kafka-line.js'
import { localClusterDir } from './paths.js'
import { createTopic } from './topics.js'
import { probeApiVersions } from './wire/api-versions-probe.js'

const usage = 'usage: npm run kafka -- start|stop|status|fetch|measure [--line 4|3.9] [--nodes 1|3]'
const stateFile = join(localClusterDir, 'state.json')

async function status(): Promise<void> {
  if (!existsSync(stateFile)) {
    console.log('no local Kafka cluster (start one with `npm run kafka -- start`)')
    return
  }
  const cluster = KafkaCluster.load(stateFile)
  const state = cluster.snapshot()
  console.log(
    `Kafka ${state.brokerVersion} (line ${state.line}), cluster id ${state.clusterId}, folder ${state.dir}`,
  )
  for (const node of state.nodes) {
    const running = cluster.isRunning(node.nodeId)
    let answer = 'down'
    if (running) {
      answer = await probeApiVersions({ host: '127.0.0.1', port: node.brokerPort }, 2_000).then(
        (r) => (r.errorCode === 0 ? 'answers ApiVersions' : `ApiVersions error ${r.errorCode}`),
        (error: Error) => `not answering (${error.message})`,
      )
    }
    console.log(`  node ${node.nodeId}: pid ${node.pid ?? '-'}, 127.0.0.1:${node.brokerPort}, ${answer}`)
  }
  console.log(`bootstrap.servers=${cluster.bootstrapServers}`)
}

/**
 * Start time (from `KafkaCluster.start` to every node ready: format, JVM start, "Kafka Server started", an
 * ApiVersions answer, all brokers registered) and resident memory per node (VmRSS, what `ps -o rss` shows)
 * right after readiness, after 10 s idle and after producing 200,000 records, for a single node and for
 * three nodes, one cluster at a time.
 */
async function measure(spec: ReturnType<typeof kafkaLine>): Promise<void> {
  await fetchKafka(spec, (line) => console.error(line))
  const mib = (kib: number) => `${Math.round(kib / 1024)} MiB`
  console.log(`Kafka ${spec.brokerVersion}, heap ${defaultJvmOptions().find((o) => o.startsWith('-Xmx'))}`)
  for (const nodes of [1, 3]) {
    const started = Date.now()
    const cluster = await KafkaCluster.start({
      line: spec,
      nodes,
      name: `measure-${nodes}`,
      reapWithOwner: true,
    })
    const startMs = Date.now() - started
    try {
      const ready = [...cluster.residentKiB().values()]
      await new Promise((resolve) => setTimeout(resolve, 10_000))
      const idle = [...cluster.residentKiB().values()]
      // then some work: 200,000 records of 100 bytes, acks=all, through the Java producer
      const topic = 'measure-load'
      await createTopic(cluster, { topic, partitions: 3 })
      await runProducerPerformance(cluster.tools, {
        bootstrapServers: cluster.bootstrapServers,
        topic,
        numRecords: 200_000,
        recordSize: 100,
        producerProps: { acks: 'all', 'linger.ms': '5' },
      })
      const loaded = [...cluster.residentKiB().values()]
      const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)
      const show = (values: number[]) => `${values.map(mib).join(' / ')} (total ${mib(sum(values))})`
      console.log(
        `${nodes} node${nodes > 1 ? 's' : ''}: ready in ${startMs} ms; RSS at ready ${show(ready)}; ` +
          `after 10 s idle ${show(idle)}; after 200k records ${show(loaded)}`,
      )
    } finally {
      cluster.stop()
    }
  }
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { line: { type: 'string' }, nodes: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  })
  const command = positionals[0]
  if (values.help || !command) {
    console.log(usage)
    return
  }
  const spec = kafkaLine(values.line)
  const log = (line: string) => console.error(line)
  switch (command) {
    case 'fetch': {
      const install = await fetchKafka(spec, log)
      console.log(`Kafka ${spec.brokerVersion} (tools ${spec.toolsVersion}) fetched: ${install.dir}`)
      return
    }
    case 'start': {
      if (existsSync(stateFile)) {
        const running = KafkaCluster.load(stateFile)
        if (running.nodeIds().some((id) => running.isRunning(id))) {
          console.error('a local Kafka cluster is already running (`npm run kafka -- stop` first):')
          await status()
          process.exitCode = 1
          return
        }
      }
      const nodes = Number(values.nodes ?? '1')
      if (nodes !== 1 && nodes !== 3) {
        throw new KafkaHarnessError('INVALID_OPTION', `--nodes must be 1 or 3, got ${values.nodes}`)
      }
      const cluster = await KafkaCluster.start({
        line: spec,
        nodes,
        dir: localClusterDir,
        name: 'local',
        log,
      })
      console.log(`bootstrap.servers=${cluster.bootstrapServers}`)
      return
    }
    case 'measure':
      await measure(spec)
      return
    case 'status':
      await status()
      return
    case 'stop': {
      if (!existsSync(stateFile)) {
        console.log('no local Kafka cluster')
        return
      }
      KafkaCluster.load(stateFile).stop()
      console.log('local Kafka cluster stopped')
      return
    }
    default:
      throw new KafkaHarnessError('INVALID_OPTION', `unknown command "${command}"; ${usage}`)
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error)
  process.exitCode = 1
})
