import { parseBootstrapServers } from '@x/sender'
import { ConfigError } from '../errors/config-error.js'
import { bytesSerializer } from '../serialization/bytes-serializer.js'
import { definitionsByJavaName, librdkafkaAliases, unusedJavaConfigs } from './java-properties.js'
import { definitionsByName, INT_RANGE, type OptionDefinition } from './option-definitions.js'
import { parseObjectOption, parseSaslJaasConfig } from './parse-object-option.js'
import type { ConfigWarning, ProducerConfig } from './producer-config.js'

/** Java's `MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION_FOR_IDEMPOTENCE`: the broker keeps 5 batches per producer. */
const MAX_IN_FLIGHT_FOR_IDEMPOTENCE = 5

let clientIdSequence = 1

/** The resolved configuration and the warnings Java would log while building it. */
export interface ResolvedProducerConfig<K, V> {
  readonly config: ProducerConfig<K, V>
  readonly warnings: readonly ConfigWarning[]
}

/** `lingerMs (linger.ms)`: how every message names an option. */
export function label(name: string): string {
  const javaName = definitionsByName.get(name)?.javaName
  return javaName === undefined || javaName === name || definitionsByName.get(name)?.jsOnly
    ? name
    : `${name} (${javaName})`
}

/**
 * Applies Kafka 4.x's defaults to `input` (camelCase options, Java's dotted names or both), parses string
 * values as a `.properties` file holds them, validates every value and runs Java's cross-checks
 * (`ProducerConfig.postProcessParsedConfig`, `KafkaProducer.configureDeliveryTimeout`).
 *
 * @throws ConfigError naming the option and the fix, for the first invalid value or conflict.
 */
export function resolveProducerConfig<K, V>(input: object): ResolvedProducerConfig<K, V> {
  const warnings: ConfigWarning[] = []
  const warn = (option: string, message: string) => warnings.push({ type: 'config-warning', option, message })
  const raw = collect(input, warn)
  const values: Record<string, unknown> = {}
  for (const definition of definitionsByName.values()) {
    const given = raw.get(definition.name) ?? definition.defaultValue
    values[definition.name] = given === undefined ? undefined : parse(definition, given, values)
  }
  const userSet = new Set(raw.keys())
  const saslJaas = raw.get('saslJaasConfig')
  if (saslJaas !== undefined) values['sasl'] = parseSaslJaasConfig(saslJaas, raw.get('saslMechanism'))
  crossCheck(values, userSet, warn)
  values['userSet'] = userSet
  values['keySerializer'] ??= bytesSerializer
  values['valueSerializer'] ??= bytesSerializer
  values['interceptors'] ??= []
  return { config: values as unknown as ProducerConfig<K, V>, warnings }
}

/** Maps every key of `input` to its camelCase option; unknown camelCase keys are errors (typos). */
function collect(input: object, warn: (option: string, message: string) => void): Map<string, unknown> {
  if (typeof input !== 'object' || input === null) {
    throw new ConfigError({
      option: 'options',
      message: 'KafkaProducer options must be an object, e.g. { bootstrapServers: "127.0.0.1:9092" }.',
    })
  }
  const raw = new Map<string, unknown>()
  const from = new Map<string, string>()
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue
    let name: string | undefined
    if (definitionsByName.has(key)) name = key
    else if (key === 'sasl.mechanism') name = 'saslMechanism'
    else if (key === 'sasl.jaas.config') name = 'saslJaasConfig'
    else {
      const javaName = librdkafkaAliases.get(key) ?? key
      name = definitionsByJavaName.get(javaName)?.name
    }
    if (name === undefined) {
      if (unusedJavaConfigs.has(key) || key.includes('.')) {
        warn(key, `The configuration '${key}' was supplied but is not used by this client.`)
        continue
      }
      throw new ConfigError({
        option: key,
        value,
        message: `Unknown producer option '${key}'.${suggest(key)} Options are camelCase (lingerMs) or Java's dotted names (linger.ms).`,
      })
    }
    const earlier = from.get(name)
    if (earlier !== undefined && raw.get(name) !== value) {
      throw new ConfigError({
        option: name,
        value,
        message: `Option ${label(name)} is given twice with different values, as '${earlier}' and '${key}': keep one.`,
      })
    }
    from.set(name, key)
    raw.set(name, value)
  }
  return raw
}

function suggest(key: string): string {
  const lower = key.toLowerCase()
  for (const name of definitionsByName.keys()) {
    if (name.toLowerCase() === lower) return ` Did you mean '${name}'?`
  }
  return ''
}

function invalid(definition: OptionDefinition, value: unknown, why: string): ConfigError {
  const shown = typeof value === 'string' ? `"${value}"` : String(value)
  return new ConfigError({
    option: definition.name,
    javaName: definition.javaName,
    value,
    message: `Invalid value ${shown} for configuration ${label(definition.name)}: ${why}`,
  })
}

function parse(definition: OptionDefinition, value: unknown, parsed: Record<string, unknown>): unknown {
  switch (definition.kind) {
    case 'int':
    case 'long':
      return parseNumber(definition, value)
    case 'boolean':
      if (typeof value === 'boolean') return value
      if (typeof value === 'string' && /^(true|false)$/i.test(value.trim()))
        return value.trim().toLowerCase() === 'true'
      throw invalid(definition, value, 'Expected value to be either true or false.')
    case 'string':
      if (typeof value !== 'string') throw invalid(definition, value, 'Expected a string.')
      if (definition.name === 'transactionalId' && value.length === 0)
        throw invalid(
          definition,
          value,
          'String must be non-empty (leave the option out for no transactions).',
        )
      return value
    case 'list':
      return parseList(definition, value)
    case 'acks': {
      const text = String(value).trim().toLowerCase()
      if (text === 'all' || text === '-1') return -1
      if (text === '0' || text === '1') return Number(text)
      throw invalid(definition, value, 'String must be one of: all, -1, 0, 1.')
    }
    case 'enum': {
      if (typeof value !== 'string')
        throw invalid(definition, value, `Expected one of ${definition.values!.join(', ')}.`)
      const text = definition.caseInsensitive ? value.trim().toUpperCase() : value.trim()
      if (!definition.values!.includes(text))
        throw invalid(definition, value, `String must be one of: ${definition.values!.join(', ')}.`)
      return text
    }
    case 'object':
      return parseObjectOption(definition, value, parsed, (why) => invalid(definition, value, why))
  }
}

function parseNumber(definition: OptionDefinition, value: unknown): number {
  let number = value
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) number = Number(value)
  const range =
    definition.kind === 'int' ? INT_RANGE : { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }
  if (typeof number !== 'number' || !Number.isInteger(number))
    throw invalid(definition, value, `Expected an integer number of ${unit(definition)}.`)
  if (number < range.min || number > range.max)
    throw invalid(definition, value, `Value must be between ${range.min} and ${range.max}.`)
  if (definition.min !== undefined && number < definition.min) {
    throw invalid(
      definition,
      value,
      definition.max !== undefined
        ? `Value must be between ${definition.min} and ${definition.max}.`
        : `Value must be at least ${definition.min}.`,
    )
  }
  if (definition.max !== undefined && number > definition.max)
    throw invalid(
      definition,
      value,
      `Value must be between ${definition.min ?? range.min} and ${definition.max}.`,
    )
  return number
}

function unit(definition: OptionDefinition): string {
  if (definition.name.endsWith('Ms')) return 'milliseconds'
  if (/Size|Memory/.test(definition.name)) return 'bytes'
  return 'units'
}

function parseList(definition: OptionDefinition, value: unknown): string[] {
  const items = typeof value === 'string' ? value.split(',') : value
  if (!Array.isArray(items) || items.some((item) => typeof item !== 'string'))
    throw invalid(definition, value, 'Expected a list of host:port strings or a comma-separated string.')
  const list = (items as string[]).map((item) => item.trim()).filter((item) => item.length > 0)
  if (list.length === 0) return list
  try {
    // The sender parses them again when it connects; checking here makes the constructor fail instead.
    parseBootstrapServers(list)
  } catch (error) {
    throw new ConfigError({
      option: definition.name,
      javaName: definition.javaName,
      value,
      message: `${(error as Error).message.replace('Invalid value for bootstrap.servers', 'Invalid bootstrapServers (bootstrap.servers)')}`,
    })
  }
  return list
}

/** Java's cross-checks, in Java's order. Mutates `values`. */
function crossCheck(
  values: Record<string, unknown>,
  userSet: ReadonlySet<string>,
  warn: (option: string, message: string) => void,
): void {
  const servers = values['bootstrapServers'] as string[] | undefined
  if (servers === undefined || servers.length === 0) {
    throw new ConfigError({
      option: 'bootstrapServers',
      javaName: 'bootstrap.servers',
      value: servers,
      message:
        'Missing required configuration bootstrapServers (bootstrap.servers): give at least one broker as ' +
        'host:port, e.g. { bootstrapServers: "127.0.0.1:9092" }.',
    })
  }
  const protocol = values['securityProtocol'] as string
  if (protocol.startsWith('SASL_') && values['sasl'] === undefined) {
    throw new ConfigError({
      option: 'sasl',
      javaName: 'sasl.mechanism',
      message: `When securityProtocol (security.protocol) is ${protocol}, sasl must be set: { mechanism, username, password } (or Java's sasl.mechanism and sasl.jaas.config).`,
    })
  }
  const gzipLevel = values['compressionGzipLevel'] as number
  if (gzipLevel !== -1 && (gzipLevel < 1 || gzipLevel > 9)) {
    throw invalid(
      definitionsByName.get('compressionGzipLevel')!,
      gzipLevel,
      'Value must be between 1 and 9, or -1 for the default.',
    )
  }
  const retryBackoffMs = values['retryBackoffMs'] as number
  const retryBackoffMaxMs = values['retryBackoffMaxMs'] as number
  if (retryBackoffMs > retryBackoffMaxMs) {
    warn(
      'retryBackoffMs',
      `Configuration retryBackoffMs (retry.backoff.ms) with value ${retryBackoffMs} is greater than retryBackoffMaxMs (retry.backoff.max.ms) with value ${retryBackoffMaxMs}. A static backoff with value ${retryBackoffMaxMs} will be applied.`,
    )
  }
  const setupMs = values['socketConnectionSetupTimeoutMs'] as number
  const setupMaxMs = values['socketConnectionSetupTimeoutMaxMs'] as number
  if (setupMs > setupMaxMs) {
    warn(
      'socketConnectionSetupTimeoutMs',
      `Configuration socketConnectionSetupTimeoutMs with value ${setupMs} is greater than socketConnectionSetupTimeoutMaxMs with value ${setupMaxMs}. A static connection setup timeout with value ${setupMaxMs} will be applied.`,
    )
  }
  if (userSet.has('reconnectBackoffMs') && !userSet.has('reconnectBackoffMaxMs')) {
    values['reconnectBackoffMaxMs'] = values['reconnectBackoffMs']
    warn(
      'reconnectBackoffMaxMs',
      'Disabling exponential reconnect backoff because reconnectBackoffMs (reconnect.backoff.ms) is set, but reconnectBackoffMaxMs (reconnect.backoff.max.ms) is not.',
    )
  }
  checkIdempotence(values, userSet, warn)
  if (!userSet.has('clientId')) {
    const transactionalId = values['transactionalId'] as string | undefined
    values['clientId'] = `producer-${transactionalId ?? clientIdSequence++}`
  }
  checkDeliveryTimeout(values, userSet, warn)
}

/** Java 4.x `postProcessAndValidateIdempotenceConfigs`. */
function checkIdempotence(
  values: Record<string, unknown>,
  userSet: ReadonlySet<string>,
  warn: (option: string, message: string) => void,
): void {
  const explicit = userSet.has('enableIdempotence')
  let enabled = values['enableIdempotence'] as boolean
  if (enabled) {
    let disable = false
    if (values['retries'] === 0) {
      if (explicit) {
        throw conflict(
          'retries',
          0,
          'Must set retries to non-zero when using the idempotent producer (or set enableIdempotence: false).',
        )
      }
      warn('enableIdempotence', 'Idempotence will be disabled because retries (retries) is set to 0.')
      disable = true
    }
    const acks = values['acks'] as number
    if (acks !== -1) {
      if (explicit) {
        throw conflict(
          'acks',
          acks,
          "Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence (set acks: 'all', or enableIdempotence: false).",
        )
      }
      warn(
        'enableIdempotence',
        `Idempotence will be disabled because acks (acks) is set to ${acks}, not set to 'all'.`,
      )
      disable = true
    }
    const inFlight = values['maxInFlightRequestsPerConnection'] as number
    if (inFlight > MAX_IN_FLIGHT_FOR_IDEMPOTENCE) {
      // Java 3.x disabled idempotence here with a warning that it would become an error; 4.0 made it one.
      throw conflict(
        'maxInFlightRequestsPerConnection',
        inFlight,
        `To use the idempotent producer, maxInFlightRequestsPerConnection (max.in.flight.requests.per.connection) must be set to at most ${MAX_IN_FLIGHT_FOR_IDEMPOTENCE}. Current value is ${inFlight}. Lower it, or set enableIdempotence: false.`,
      )
    }
    if (disable) {
      values['enableIdempotence'] = false
      enabled = false
    }
  }
  if (!enabled && userSet.has('transactionalId')) {
    throw conflict(
      'transactionalId',
      values['transactionalId'],
      'Cannot set a transactionalId (transactional.id) without also enabling idempotence: remove enableIdempotence: false and any conflicting acks or retries.',
    )
  }
}

/** Java `KafkaProducer.configureDeliveryTimeout`. */
function checkDeliveryTimeout(
  values: Record<string, unknown>,
  userSet: ReadonlySet<string>,
  warn: (option: string, message: string) => void,
): void {
  const deliveryTimeoutMs = values['deliveryTimeoutMs'] as number
  const sum = Math.min((values['lingerMs'] as number) + (values['requestTimeoutMs'] as number), INT_RANGE.max)
  if (deliveryTimeoutMs >= sum) return
  if (userSet.has('deliveryTimeoutMs')) {
    throw conflict(
      'deliveryTimeoutMs',
      deliveryTimeoutMs,
      `deliveryTimeoutMs (delivery.timeout.ms) should be equal to or larger than lingerMs (linger.ms) + requestTimeoutMs (request.timeout.ms): ${deliveryTimeoutMs} < ${values['lingerMs']} + ${values['requestTimeoutMs']}. Raise deliveryTimeoutMs to at least ${sum}, or lower the other two.`,
    )
  }
  values['deliveryTimeoutMs'] = sum
  warn(
    'deliveryTimeoutMs',
    `deliveryTimeoutMs (delivery.timeout.ms) should be equal to or larger than lingerMs (linger.ms) + requestTimeoutMs (request.timeout.ms). Setting it to ${sum}.`,
  )
}

function conflict(option: string, value: unknown, message: string): ConfigError {
  return new ConfigError({ option, javaName: definitionsByName.get(option)?.javaName, value, message })
}
