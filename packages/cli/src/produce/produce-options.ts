import { type OptionSpec, parseArguments } from '../arguments/parse-arguments.js'
import { CliUsageError } from '../cli-usage-error.js'
import { readPropertiesFile } from '../config/properties-file.js'
import { splitProperty } from '../producer-properties.js'
import { parseKcatDelimiter } from './kcat-delimiter.js'

/** `x-kafka produce`'s options: kcat's producer flags (`kcat -P`) with long forms. */
export const produceOptionSpecs: readonly OptionSpec[] = [
  { name: 'produceMode', short: 'P', long: ['produce'], arity: 'flag' },
  { name: 'bootstrapServers', short: 'b', long: ['bootstrap-server', 'broker-list'], arity: 'value' },
  { name: 'topic', short: 't', long: ['topic'], arity: 'value' },
  { name: 'partition', short: 'p', long: ['partition'], arity: 'value' },
  { name: 'key', short: 'k', long: ['key'], arity: 'value' },
  { name: 'keyDelimiter', short: 'K', long: ['key-delimiter'], arity: 'value' },
  { name: 'delimiter', short: 'D', long: ['delimiter'], arity: 'value' },
  { name: 'header', short: 'H', long: ['header'], arity: 'repeated' },
  { name: 'compression', short: 'z', long: ['compression-codec'], arity: 'value' },
  { name: 'property', short: 'X', long: ['producer-property'], arity: 'repeated' },
  { name: 'configFile', short: 'F', long: ['producer.config', 'config-file'], arity: 'repeated' },
  { name: 'readerProperty', long: ['property'], arity: 'repeated' },
  { name: 'count', short: 'c', long: ['count'], arity: 'value' },
  { name: 'lineMode', short: 'l', long: ['line-mode'], arity: 'flag' },
  { name: 'tee', short: 'T', long: ['tee'], arity: 'flag' },
  { name: 'nullEmpty', short: 'Z', long: ['null-empty'], arity: 'flag' },
  { name: 'quiet', short: 'q', long: ['quiet'], arity: 'flag' },
  { name: 'help', short: 'h', long: ['help'], arity: 'flag' },
]

export const produceUsage = `Usage: x-kafka produce [options] [file ...]

Reads records from stdin (or files) and produces them, like kcat -P. Without -b, starts an embedded cluster.

  -b, --bootstrap-server <host:port,..>  Bootstrap broker(s); without it an embedded cluster is started
  -t, --topic <topic>                    Topic to produce to (required)
  -p, --partition <n>                    Partition; -1 (default): the producer's partitioner (Java's murmur2)
  -k, --key <str>                        A fixed key for every record (-K keys take precedence)
  -K, --key-delimiter <delim>            Split each message into key and value at the first <delim>
  -D, --delimiter <delim>                Message delimiter (default \\n); escapes: \\n \\r \\t \\xNN
  -H, --header <name=value>              Add a header to every record (repeatable); "name" alone: null value
  -z, --compression-codec <codec>        none, gzip, snappy, lz4 or zstd
  -X, --producer-property <prop=value>   Producer config: Java's names (linger.ms), librdkafka's aliases;
                                         "-X list" lists them, "-X dump" prints the resolved configuration
  -F, --producer.config <file>           Read properties from a Java .properties file (also $KCAT_CONFIG)
      --property parse.key=true          kafka-console-producer's key parsing: with key.separator=<sep>
                                         (default a tab) it means -K <sep>
  -c, --count <n>                        Exit after producing <n> records
  -l, --line-mode                        Split the one file given by the delimiter, as stdin
  -T, --tee                              Echo each record's input to stdout once it is handed to the producer
  -Z, --null-empty                       Send an empty key or value (after -K splits) as NULL
  -q, --quiet                            No notices on stderr (errors still)
  -h, --help                             This help

  file ...                               Without -l, each file is sent as one record
Exits 1 with the reason on stderr when any record fails.
`

/** A header given with `-H`. */
export interface ProduceHeader {
  readonly key: string
  readonly value: Uint8Array | null
}

/** The parsed command line of `x-kafka produce`. */
export interface ProduceOptions {
  readonly help: boolean
  /** `-X list` / `-X dump`: print and exit. */
  readonly listProperties: boolean
  readonly dumpConfig: boolean
  /** Undefined: start the embedded cluster. */
  readonly bootstrapServers: string | undefined
  readonly topic: string
  /** Undefined: the producer's partitioner. */
  readonly partition: number | undefined
  readonly fixedKey: Uint8Array | undefined
  readonly keyDelimiter: Uint8Array | undefined
  readonly delimiter: Uint8Array
  readonly headers: readonly ProduceHeader[]
  /** Producer properties in the order they apply: config files, then -X and -z as given. */
  readonly properties: ReadonlyMap<string, string>
  readonly count: number | undefined
  readonly lineMode: boolean
  readonly tee: boolean
  readonly nullEmpty: boolean
  readonly quiet: boolean
  readonly files: readonly string[]
}

const encoder = new TextEncoder()
const BOOTSTRAP_NAMES = ['bootstrap.servers', 'metadata.broker.list', 'bootstrapServers']

function usage(message: string): CliUsageError {
  return new CliUsageError({ command: 'produce', message })
}

function integer(option: string, text: string, min: number): number {
  const value = Number(text)
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min) {
    throw usage(`${option} '${text}' is not an integer ≥ ${min}.`)
  }
  return value
}

/**
 * Parses `x-kafka produce`'s arguments.
 *
 * @throws CliUsageError naming the option and the fix.
 */
export function parseProduceOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): ProduceOptions {
  const parsed = parseArguments('produce', argv, produceOptionSpecs)
  const help = parsed.flags.has('help')
  const properties = new Map<string, string>()
  const configFiles = parsed.lists.get('configFile') ?? []
  // kcat reads $KCAT_CONFIG when no -F is given
  const fromEnv = configFiles.length === 0 && env['KCAT_CONFIG'] ? [env['KCAT_CONFIG']] : []
  for (const file of [...fromEnv, ...configFiles]) {
    for (const [key, value] of readPropertiesFile('produce', '-F', file)) properties.set(key, value)
  }
  let listProperties = false
  let dumpConfig = false
  for (const { name, value } of parsed.sequence) {
    if (name === 'compression') properties.set('compression.type', String(value))
    if (name !== 'property') continue
    const item = String(value)
    if (item === 'list' || item === 'help') listProperties = true
    else if (item === 'dump') dumpConfig = true
    else {
      const pair = splitProperty(item)
      if (pair === undefined) {
        throw usage(`-X expects property=value, not '${item}' (use -X list to see the properties).`)
      }
      properties.set(pair[0], pair[1])
    }
  }
  let bootstrapServers = parsed.values.get('bootstrapServers')
  for (const name of BOOTSTRAP_NAMES) {
    const value = properties.get(name)
    if (value !== undefined) {
      bootstrapServers ??= value
      properties.delete(name)
    }
  }
  if (bootstrapServers !== undefined) properties.set('bootstrap.servers', bootstrapServers)

  const topic = parsed.values.get('topic')
  if (topic === undefined && !help && !listProperties) throw usage('-t <topic> missing.')
  const partitionText = parsed.values.get('partition')
  const partition = partitionText === undefined ? -1 : integer('-p', partitionText, -1)
  const countText = parsed.values.get('count')
  const files = parsed.positionals
  const lineMode = parsed.flags.has('lineMode')
  if (lineMode && files.length !== 1) {
    throw usage(`-l reads exactly one file (got ${files.length}): give one file, or none to read stdin.`)
  }
  const fixedKey = parsed.values.get('key')
  const keyDelimiter = parsed.values.get('keyDelimiter')
  const consoleKeySeparator = consoleProducerKeySeparator(parsed.lists.get('readerProperty') ?? [])
  return {
    help,
    listProperties,
    dumpConfig,
    bootstrapServers,
    topic: topic ?? '',
    partition: partition === -1 ? undefined : partition,
    fixedKey: fixedKey === undefined ? undefined : encoder.encode(fixedKey),
    keyDelimiter: keyDelimiter !== undefined ? parseKcatDelimiter('-K', keyDelimiter) : consoleKeySeparator,
    delimiter: parseKcatDelimiter('-D', parsed.values.get('delimiter') ?? '\\n'),
    headers: (parsed.lists.get('header') ?? []).map(parseHeader),
    properties,
    count: countText === undefined ? undefined : integer('-c', countText, 1),
    lineMode,
    tee: parsed.flags.has('tee'),
    nullEmpty: parsed.flags.has('nullEmpty'),
    quiet: parsed.flags.has('quiet'),
    files,
  }
}

/** `-H name=value` (value up to the end, `=` included), or `-H name` for a null value, as kcat. */
function parseHeader(text: string): ProduceHeader {
  const equals = text.indexOf('=')
  if (text === '' || equals === 0) throw usage(`-H expects "name=value" or "name", not '${text}'.`)
  if (equals === -1) return { key: text, value: null }
  return { key: text.slice(0, equals), value: encoder.encode(text.slice(equals + 1)) }
}

/**
 * kafka-console-producer's `--property parse.key=true` and `key.separator=<sep>` (default a tab, taken
 * literally): the same split as `-K <sep>`. Its other reader properties are refused by name.
 */
function consoleProducerKeySeparator(items: readonly string[]): Uint8Array | undefined {
  let parseKey = false
  let separator = '\t'
  for (const item of items) {
    const equals = item.indexOf('=')
    const name = equals === -1 ? item : item.slice(0, equals)
    const value = equals === -1 ? '' : item.slice(equals + 1)
    if (name === 'parse.key') parseKey = value.trim().toLowerCase() === 'true'
    else if (name === 'key.separator') separator = value
    else {
      throw usage(
        `--property ${item}: only parse.key and key.separator of kafka-console-producer are supported; use -K, -H and -Z for the rest.`,
      )
    }
  }
  if (!parseKey) return undefined
  if (separator === '') throw usage('--property key.separator is empty: give at least one character.')
  return encoder.encode(separator)
}
