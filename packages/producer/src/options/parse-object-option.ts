import { RoundRobinPartitioner } from '@x/partitioners'
import { ConfigError } from '../errors/config-error.js'
import { bytesSerializer } from '../serialization/bytes-serializer.js'
import { stringSerializer } from '../serialization/string-serializer.js'
import { parseTracingOptions } from '../tracing/tracing-options.js'
import type { OptionDefinition } from './option-definitions.js'
import type { SaslOptions } from './producer-options.js'

/** Java serializer classes with a built-in counterpart here. */
const javaSerializers = new Map<string, unknown>([
  ['org.apache.kafka.common.serialization.StringSerializer', stringSerializer],
  ['org.apache.kafka.common.serialization.ByteArraySerializer', bytesSerializer],
  ['org.apache.kafka.common.serialization.BytesSerializer', bytesSerializer],
  ['org.apache.kafka.common.serialization.ByteBufferSerializer', bytesSerializer],
])

const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']

const hasFunction = (value: unknown, name: string): boolean =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Record<string, unknown>)[name] === 'function'

/** Parses an option whose value is a JS object (Java configures these as class names). */
export function parseObjectOption(
  definition: OptionDefinition,
  value: unknown,
  _parsed: Record<string, unknown>,
  invalid: (why: string) => ConfigError,
): unknown {
  switch (definition.name) {
    case 'keySerializer':
    case 'valueSerializer': {
      if (typeof value === 'string') {
        const serializer = javaSerializers.get(value.trim())
        if (serializer === undefined)
          throw invalid(
            'This Java serializer class has no built-in counterpart: pass a serializer object ({ serialize(topic, data, headers) }), or one of stringSerializer, bytesSerializer, jsonSerializer.',
          )
        return serializer
      }
      if (!hasFunction(value, 'serialize'))
        throw invalid(
          'Expected a serializer: an object with serialize(topic, data, headers) returning bytes or null.',
        )
      return value
    }
    case 'partitioner': {
      if (value === 'org.apache.kafka.clients.producer.RoundRobinPartitioner')
        return new RoundRobinPartitioner()
      if (!hasFunction(value, 'partition'))
        throw invalid(
          'Expected a partitioner: an object with partition(topic, key, keyBytes, value, valueBytes, cluster), or the name org.apache.kafka.clients.producer.RoundRobinPartitioner.',
        )
      return value
    }
    case 'interceptors': {
      if (!Array.isArray(value) || value.some((item) => typeof item !== 'object' || item === null))
        throw invalid('Expected an array of interceptor objects ({ onSend?, onAcknowledgement?, close? }).')
      return value
    }
    case 'transport':
      if (!hasFunction(value, 'connect'))
        throw invalid('Expected a Transport: an object with connect(options).')
      return value
    case 'codecs':
      if (!hasFunction(value, 'get') || !hasFunction(value, 'prepare'))
        throw invalid('Expected a CodecRegistry from @x/protocol (CodecRegistry.default()).')
      return value
    case 'ssl':
      if (typeof value !== 'object' || value === null)
        throw invalid('Expected TLS options (ca, cert, key, ...).')
      return value
    case 'sasl':
      return checkSasl(value, invalid)
    case 'tracing':
      return parseTracingOptions(value, invalid)
    default:
      throw invalid('Unexpected object option.')
  }
}

function checkSasl(value: unknown, invalid: (why: string) => ConfigError): SaslOptions {
  const sasl = value as Partial<SaslOptions> | null
  if (
    typeof sasl !== 'object' ||
    sasl === null ||
    !SASL_MECHANISMS.includes(String(sasl.mechanism)) ||
    typeof sasl.username !== 'string' ||
    typeof sasl.password !== 'string'
  ) {
    throw invalid(`Expected { mechanism: ${SASL_MECHANISMS.join(' | ')}, username, password }.`)
  }
  return sasl as SaslOptions
}

/**
 * Reads username and password from a Java `sasl.jaas.config` for the PLAIN or SCRAM login modules
 * (`org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p";`).
 */
export function parseSaslJaasConfig(jaas: unknown, mechanism: unknown): SaslOptions {
  const fail = (why: string) =>
    new ConfigError({
      option: 'sasl',
      javaName: 'sasl.jaas.config',
      message: `Invalid sasl.jaas.config: ${why}`,
    })
  if (typeof jaas !== 'string') throw fail('expected a string.')
  const resolvedMechanism = String(mechanism ?? 'PLAIN')
    .trim()
    .toUpperCase()
  if (!SASL_MECHANISMS.includes(resolvedMechanism))
    throw fail(
      `sasl.mechanism ${resolvedMechanism} is not supported; use one of ${SASL_MECHANISMS.join(', ')}.`,
    )
  if (!/(PlainLoginModule|ScramLoginModule)\s+required/.test(jaas))
    throw fail('only the PlainLoginModule and ScramLoginModule (username/password) are supported.')
  const field = (name: string) => new RegExp(`${name}\\s*=\\s*"((?:[^"\\\\]|\\\\.)*)"`).exec(jaas)?.[1]
  const username = field('username')
  const password = field('password')
  if (username === undefined || password === undefined)
    throw fail('it needs username="..." and password="...".')
  return { mechanism: resolvedMechanism as SaslOptions['mechanism'], username, password }
}
