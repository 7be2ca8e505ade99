import { randomUUID } from 'node:crypto'
import { type OptionSpec, parseArguments } from '../arguments/parse-arguments.js'
import { CliUsageError } from '../cli-usage-error.js'
import { readPropertiesFile } from '../config/properties-file.js'

/** `x-kafka perf`'s options: those of Kafka 4.3's `kafka-producer-perf-test` (ProducerPerformance). */
export const perfOptionSpecs: readonly OptionSpec[] = [
  { name: 'bootstrapServer', long: ['bootstrap-server'], arity: 'value' },
  { name: 'topic', long: ['topic'], arity: 'value' },
  { name: 'numRecords', long: ['num-records'], arity: 'value' },
  { name: 'recordSize', long: ['record-size'], arity: 'value' },
  { name: 'payloadFile', long: ['payload-file'], arity: 'value' },
  { name: 'payloadMonotonic', long: ['payload-monotonic'], arity: 'flag' },
  { name: 'payloadDelimiter', long: ['payload-delimiter'], arity: 'value' },
  { name: 'throughput', long: ['throughput'], arity: 'value' },
  { name: 'producerProps', long: ['producer-props'], arity: 'values' },
  { name: 'commandProperty', long: ['command-property'], arity: 'values' },
  { name: 'producerConfig', long: ['producer.config'], arity: 'value' },
  { name: 'commandConfig', long: ['command-config'], arity: 'value' },
  { name: 'printMetrics', long: ['print-metrics'], arity: 'flag' },
  { name: 'transactionalId', long: ['transactional-id'], arity: 'value' },
  { name: 'transactionDurationMs', long: ['transaction-duration-ms'], arity: 'value' },
  { name: 'warmupRecords', long: ['warmup-records'], arity: 'value' },
  { name: 'reportingInterval', long: ['reporting-interval'], arity: 'value' },
  { name: 'help', short: 'h', long: ['help'], arity: 'flag' },
]

export const perfUsage = `Usage: x-kafka perf [--topic TOPIC] --num-records NUM-RECORDS --throughput THROUGHPUT
                    (--record-size RECORD-SIZE | --payload-file PAYLOAD-FILE | --payload-monotonic)
                    [--bootstrap-server BOOTSTRAP-SERVER] [--producer-props PROP-NAME=PROP-VALUE ...]
                    [--command-property PROP-NAME=PROP-VALUE ...] [--producer.config CONFIG-FILE]
                    [--command-config CONFIG-FILE] [--payload-delimiter PAYLOAD-DELIMITER] [--print-metrics]
                    [--transactional-id TRANSACTIONAL-ID] [--transaction-duration-ms TRANSACTION-DURATION]
                    [--warmup-records WARMUP-RECORDS] [--reporting-interval INTERVAL-MS]

Kafka's kafka-producer-perf-test over @x/producer: the same options and the same output lines, so scripts
that parse the Java tool parse this one. Without a bootstrap server (--bootstrap-server, bootstrap.servers
in the properties) it starts an embedded cluster and says so on stderr. A live progress bar is drawn on
stderr when it is a terminal.

  --topic TOPIC                      Produce records to this topic (required with a bootstrap server;
                                     x-kafka-perf on the embedded cluster).
  --num-records NUM-RECORDS          Number of records to produce.
  --throughput THROUGHPUT            Throttle to about THROUGHPUT records/sec; -1 for no limit.
  --record-size RECORD-SIZE          Record size in bytes (random A-Z values).
  --payload-file PAYLOAD-FILE        Values picked at random from this UTF-8 file, split at the delimiter.
  --payload-monotonic                Values are the record's number.
  --payload-delimiter DELIMITER      Regular expression splitting --payload-file (default: \\n).
  --bootstrap-server SERVERS         The server(s) to connect to; overrides bootstrap.servers.
  --producer-props / --command-property PROP=VALUE ...
                                     Producer configs (Java names); they override the config file.
  --producer.config / --command-config FILE
                                     Producer config properties file.
  --print-metrics                    Print the producer's metrics at the end.
  --transactional-id ID              Enables transactions with this id (default with a duration:
                                     performance-producer-<uuid>).
  --transaction-duration-ms MS       Commit every MS milliseconds (default 3000 when transactional).
  --warmup-records N                 Leave the first N records out of a second, steady-state summary.
  --reporting-interval INTERVAL-MS   Progress line interval (default: 5000).
`

/** `--topic` when it is left out on the embedded cluster. */
export const DEFAULT_EMBEDDED_TOPIC = 'x-kafka-perf'

/** The parsed command line of `x-kafka perf`. */
export interface PerfOptions {
  readonly help: boolean
  readonly topic: string
  readonly numRecords: number
  readonly recordSize: number | undefined
  readonly payloadFile: string | undefined
  readonly payloadMonotonic: boolean
  readonly payloadDelimiter: string
  readonly throughput: number
  /** Undefined: start the embedded cluster. */
  readonly bootstrapServers: string | undefined
  /** Producer properties, file first then command-line properties, with the tool's own settings applied. */
  readonly properties: ReadonlyMap<string, string>
  readonly printMetrics: boolean
  /** Set when transactions are on (an id or a duration was given, or `transactional.id` is a property). */
  readonly transactionalId: string | undefined
  readonly transactionDurationMs: number | undefined
  readonly warmupRecords: number
  readonly reportingIntervalMs: number
}

/** What argparse4j would say, for the errors the Java tool reports through it. */
function usage(message: string): CliUsageError {
  return new CliUsageError({ command: 'perf', message })
}

function number(option: string, text: string, kind: 'Long' | 'Integer' | 'Double'): number {
  const value = Number(text)
  const valid =
    text.trim() !== '' &&
    Number.isFinite(value) &&
    (kind === 'Double' || (/^[-+]?\d+$/.test(text.trim()) && Number.isSafeInteger(value))) &&
    (kind !== 'Integer' || (value >= -(2 ** 31) && value < 2 ** 31))
  if (!valid) throw usage(`argument ${option}: could not convert '${text}' to ${kind}.`)
  return value
}

/**
 * Parses `x-kafka perf`'s arguments with ProducerPerformance's rules and messages. Unlike the Java tool: no
 * bootstrap server is needed (the embedded cluster is started, and `--topic` then defaults to
 * `x-kafka-perf`), and `--throughput 0` is refused (Java would wait forever after the first record).
 *
 * @throws CliUsageError naming the option and the fix.
 */
export function parsePerfOptions(argv: readonly string[]): PerfOptions {
  const parsed = parseArguments('perf', argv, perfOptionSpecs)
  const help = parsed.flags.has('help') || argv.length === 0
  const value = (name: string) => parsed.values.get(name)
  const required = (name: string, option: string) => {
    const given = value(name)
    if (given === undefined && !help) throw usage(`argument ${option} is required.`)
    return given ?? '0'
  }
  const topicArgument = value('topic')
  const numRecords = number('--num-records', required('numRecords', '--num-records'), 'Long')
  const throughput = number('--throughput', required('throughput', '--throughput'), 'Double')
  const payloadChoices = [
    ['--record-size', value('recordSize') !== undefined],
    ['--payload-file', value('payloadFile') !== undefined],
    ['--payload-monotonic', parsed.flags.has('payloadMonotonic')],
  ] as const
  const chosen = payloadChoices.filter(([, given]) => given).map(([option]) => option)
  if (!help && chosen.length === 0) {
    throw usage('one of the arguments --record-size --payload-file --payload-monotonic is required.')
  }
  if (chosen.length > 1) throw usage(`argument ${chosen[1]}: not allowed with argument ${chosen[0]}.`)
  const recordSizeText = value('recordSize')
  const recordSize =
    recordSizeText === undefined ? undefined : number('--record-size', recordSizeText, 'Integer')
  const warmupRecords = Math.max(number('--warmup-records', value('warmupRecords') ?? '0', 'Long'), 0)
  const reportingIntervalMs = number('--reporting-interval', value('reportingInterval') ?? '5000', 'Long')
  const durationText = value('transactionDurationMs')
  let transactionDurationMs =
    durationText === undefined ? undefined : number('--transaction-duration-ms', durationText, 'Long')
  if (!help) {
    if (numRecords <= 0) throw usage('--num-records should be greater than zero.')
    if (warmupRecords >= numRecords) {
      throw usage(
        'The value for --warmup-records must be strictly fewer than the number of records in the test, --num-records.',
      )
    }
    if (recordSize !== undefined && recordSize <= 0) throw usage('--record-size should be greater than zero.')
    if (throughput === 0) {
      throw usage(
        '--throughput 0 would never send past the first record: use -1 for no limit, or a rate > 0.',
      )
    }
    if (parsed.lists.has('commandProperty') && parsed.lists.has('producerProps')) {
      throw usage('--command-property and --producer-props cannot be specified together.')
    }
    if (value('commandConfig') !== undefined && value('producerConfig') !== undefined) {
      throw usage('--command-config and --producer.config cannot be specified together.')
    }
    if (transactionDurationMs !== undefined && transactionDurationMs <= 0) {
      throw usage('--transaction-duration-ms should be greater than zero.')
    }
    if (reportingIntervalMs <= 0) throw usage('--reporting-interval should be greater than zero.')
  }

  const properties = new Map<string, string>()
  const configFile = value('commandConfig') ?? value('producerConfig')
  if (configFile !== undefined) {
    const option = value('commandConfig') === undefined ? '--producer.config' : '--command-config'
    for (const [key, setting] of readPropertiesFile('perf', option, configFile)) properties.set(key, setting)
  }
  for (const item of parsed.lists.get('commandProperty') ?? parsed.lists.get('producerProps') ?? []) {
    // Java splits at every '=' and wants exactly two pieces
    const pieces = item.split('=')
    while (pieces.length > 1 && pieces.at(-1) === '') pieces.pop()
    if (pieces.length !== 2) throw usage(`Invalid property: ${item} (expected PROP-NAME=PROP-VALUE).`)
    properties.set(pieces[0]!, pieces[1]!)
  }
  const bootstrapServer = value('bootstrapServer')
  if (bootstrapServer !== undefined) properties.set('bootstrap.servers', bootstrapServer)
  properties.set('key.serializer', 'org.apache.kafka.common.serialization.ByteArraySerializer')
  properties.set('value.serializer', 'org.apache.kafka.common.serialization.ByteArraySerializer')
  if (properties.get('client.id') === undefined) properties.set('client.id', 'perf-producer-client')

  const transactionalIdArgument = value('transactionalId')
  let transactionalId: string | undefined
  if (
    durationText !== undefined ||
    transactionalIdArgument !== undefined ||
    properties.has('transactional.id')
  ) {
    transactionalId =
      transactionalIdArgument ?? properties.get('transactional.id') ?? `performance-producer-${randomUUID()}`
    properties.set('transactional.id', transactionalId)
    transactionDurationMs ??= 3000
  }

  const bootstrapServers = properties.get('bootstrap.servers') ?? properties.get('bootstrapServers')
  // On the embedded cluster (a newcomer's first run) the topic may be left out; a real cluster needs it.
  if (topicArgument === undefined && bootstrapServers !== undefined && !help) {
    throw usage('argument --topic is required.')
  }
  return {
    help,
    topic: topicArgument ?? DEFAULT_EMBEDDED_TOPIC,
    numRecords,
    recordSize,
    payloadFile: value('payloadFile'),
    payloadMonotonic: parsed.flags.has('payloadMonotonic'),
    payloadDelimiter: (value('payloadDelimiter') ?? '\\n') === '\\n' ? '\n' : value('payloadDelimiter')!,
    throughput,
    bootstrapServers,
    properties,
    printMetrics: parsed.flags.has('printMetrics'),
    transactionalId,
    transactionDurationMs,
    warmupRecords,
    reportingIntervalMs,
  }
}
