import { type OptionDefinition, optionDefinitions } from './option-definitions.js'
import type { ProducerOptions } from './producer-options.js'

type Definition = (typeof optionDefinitions)[number]
type DottedDefinition = Exclude<Definition, { jsOnly: true }>

/**
 * Java's dotted producer config names, for people coming from Java, librdkafka or the Kafka CLIs:
 * `{ 'linger.ms': 5 }` means `{ lingerMs: 5 }`. Values may also be strings, as in a `.properties` file
 * (`'linger.ms': '5'`, `'enable.idempotence': 'false'`, `'bootstrap.servers': 'a:9092,b:9092'`), and
 * `key.serializer`/`value.serializer`/`partitioner.class` may name Java's built-in classes
 * (`org.apache.kafka.common.serialization.StringSerializer`, `...ByteArraySerializer`,
 * `org.apache.kafka.clients.producer.RoundRobinPartitioner`). `sasl.mechanism` and a PLAIN or SCRAM
 * `sasl.jaas.config` fill `sasl`.
 */
export type JavaProducerProperties<K = Uint8Array | string, V = Uint8Array | string> = {
  [D in DottedDefinition as D['javaName']]?: ProducerOptions<K, V>[D['name']] | string
} & {
  'sasl.mechanism'?: string
  'sasl.jaas.config'?: string
}

/** `new KafkaProducer(options)`: camelCase options, Java's dotted names, or a mix of both. */
export type KafkaProducerOptions<K = Uint8Array | string, V = Uint8Array | string> = ProducerOptions<K, V> &
  JavaProducerProperties<K, V>

/** Java name → definition. */
export const definitionsByJavaName: ReadonlyMap<string, OptionDefinition> = new Map(
  optionDefinitions
    .filter((definition) => !('jsOnly' in definition))
    .map((definition) => [definition.javaName, definition]),
)

/**
 * librdkafka's own names for settings that mean exactly what a Java config means (same unit, same
 * semantics). Other librdkafka names (`queue.buffering.max.kbytes`, `batch.num.messages`, ...) have no exact
 * counterpart and are reported as unused.
 */
export const librdkafkaAliases: ReadonlyMap<string, string> = new Map([
  ['queue.buffering.max.ms', 'linger.ms'],
  ['message.timeout.ms', 'delivery.timeout.ms'],
  ['request.required.acks', 'acks'],
  ['compression.codec', 'compression.type'],
  ['max.in.flight', 'max.in.flight.requests.per.connection'],
  ['message.send.max.retries', 'retries'],
  ['metadata.broker.list', 'bootstrap.servers'],
])

/**
 * Java producer configs this client accepts but does not use, because Node or this client has no
 * counterpart (JMX reporters, socket buffer sizes, Java security providers, keystore files, ...). Accepted
 * so a Java `.properties` file can be passed as it is; each one set yields a `config-warning` event.
 */
export const unusedJavaConfigs: ReadonlySet<string> = new Set([
  'client.dns.lookup',
  'send.buffer.bytes',
  'receive.buffer.bytes',
  'metrics.sample.window.ms',
  'metrics.num.samples',
  'metrics.recording.level',
  'metric.reporters',
  'enable.metrics.push',
  'security.providers',
  'metadata.recovery.strategy',
  'metadata.recovery.rebootstrap.trigger.ms',
  'config.providers',
  'auto.include.jmx.reporter',
])
