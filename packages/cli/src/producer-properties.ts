import { KafkaProducer, type KafkaProducerOptions } from '@x/producer'
import type { CliOutput } from './cli-io.js'

/**
 * Creates the command's producer from string properties as Kafka's tools take them: Java's dotted names
 * (`linger.ms`), librdkafka's aliases the producer knows (`queue.buffering.max.ms`), or camelCase. Bytes in,
 * bytes out. Configuration warnings (an unused Java config, idempotence turned off by a conflicting `acks`)
 * go to stderr as Java logs them.
 *
 * @throws ConfigError from the producer, naming the property and the fix.
 */
export function createProducer(
  command: string,
  properties: ReadonlyMap<string, string>,
  stderr: CliOutput,
  quiet = false,
): KafkaProducer<Uint8Array, Uint8Array> {
  const options = Object.fromEntries(properties) as KafkaProducerOptions<Uint8Array, Uint8Array>
  const producer = new KafkaProducer<Uint8Array, Uint8Array>(options)
  if (!quiet) {
    producer.events$.subscribe((event) => {
      if (event.type === 'config-warning') stderr.write(`x-kafka ${command}: warning: ${event.message}\n`)
    })
  }
  return producer
}

/** Sets `key=value` from a `-X`/`--producer-props` item; kcat's `topic.` prefix names the same configs. */
export function splitProperty(item: string): [string, string] | undefined {
  const equals = item.indexOf('=')
  if (equals <= 0) return undefined
  const key = item.slice(0, equals).trim()
  return [key.startsWith('topic.') ? key.slice('topic.'.length) : key, item.slice(equals + 1)]
}
