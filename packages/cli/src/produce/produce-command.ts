import { librdkafkaAliases, optionDefinitions, resolveProducerConfig } from '@x/producer'
import type { CliIo } from '../cli-io.js'
import { openTargetCluster } from '../cluster/target-cluster.js'
import { createProducer } from '../producer-properties.js'
import { type ProduceOptions, parseProduceOptions, produceUsage } from './produce-options.js'
import { ProduceRun } from './produce-run.js'

/**
 * `x-kafka produce`: kcat's producer mode over @x/producer. Returns the exit code: 0 when every record was
 * acknowledged, 1 when any failed (after delivering all the others).
 *
 * @throws CliUsageError for a wrong command line, ConfigError for a wrong producer property.
 */
export async function runProduce(argv: readonly string[], io: CliIo): Promise<number> {
  const options = parseProduceOptions(argv, io.env)
  if (options.help) {
    io.stdout.write(produceUsage)
    return 0
  }
  if (options.listProperties) {
    io.stdout.write(listProperties())
    return 0
  }
  if (options.dumpConfig) {
    io.stdout.write(dumpConfig(options))
    return 0
  }
  const cluster = await openTargetCluster({
    bootstrapServers: options.bootstrapServers,
    command: 'produce',
    stderr: io.stderr,
    validateRecords: true,
    quiet: options.quiet,
  })
  try {
    const properties = new Map(options.properties).set('bootstrap.servers', cluster.bootstrapServers)
    const producer = createProducer('produce', properties, io.stderr, options.quiet)
    const run = new ProduceRun(producer, options, io.stdout, io.stderr, io.signal)
    try {
      if (options.files.length === 0) await run.produceStream(io.stdin)
      else if (options.lineMode) await run.produceLines(options.files[0]!)
      else await run.produceFiles(options.files)
      await producer.flush()
    } finally {
      await producer.close()
    }
    return run.finish()
  } finally {
    await cluster.close()
  }
}

/** `-X list`: every producer property with its Java name, camelCase name and default. */
function listProperties(): string {
  const lines = ['Producer properties (Java name, camelCase option, default):']
  for (const definition of optionDefinitions) {
    if ('jsOnly' in definition && definition.jsOnly) continue
    const fallback = 'defaultValue' in definition ? String(definition.defaultValue) : '(none)'
    lines.push(`  ${definition.javaName.padEnd(42)} ${definition.name.padEnd(40)} ${fallback}`)
  }
  lines.push('', "librdkafka's names accepted as aliases:")
  for (const [alias, javaName] of librdkafkaAliases) lines.push(`  ${alias.padEnd(42)} = ${javaName}`)
  return `${lines.join('\n')}\n`
}

/** `-X dump`: the configuration the producer would run with, defaults applied, as `name = value` lines. */
function dumpConfig(options: ProduceOptions): string {
  const { config } = resolveProducerConfig(Object.fromEntries(options.properties))
  const lines: string[] = []
  for (const definition of optionDefinitions) {
    if ('jsOnly' in definition && definition.jsOnly) continue
    const value = (config as unknown as Record<string, unknown>)[definition.name]
    if (value !== undefined)
      lines.push(`${definition.javaName} = ${Array.isArray(value) ? value.join(',') : String(value)}`)
  }
  return `${lines.join('\n')}\n`
}
