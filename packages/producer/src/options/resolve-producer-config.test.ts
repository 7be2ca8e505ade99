// Defaults, ranges and messages follow Apache Kafka 4.x `ProducerConfig` (static ConfigDef and
// postProcessAndValidateIdempotenceConfigs) and `KafkaProducer.configureDeliveryTimeout`.
import { RoundRobinPartitioner } from '@x/partitioners'
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../errors/config-error.js'
import { bytesSerializer } from '../serialization/bytes-serializer.js'
import { stringSerializer } from '../serialization/string-serializer.js'
import { resolveProducerConfig } from './resolve-producer-config.js'

const servers = { bootstrapServers: '127.0.0.1:9092' }

function configError(options: object): ConfigError {
  try {
    resolveProducerConfig(options)
  } catch (error) {
    if (ConfigError.isInstance(error)) return error
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('resolveProducerConfig', () => {
  it("applies the Java 4.x producer's defaults", () => {
    const { config, warnings } = resolveProducerConfig(servers)
    expect(config).toMatchObject({
      bootstrapServers: ['127.0.0.1:9092'],
      acks: -1,
      enableIdempotence: true,
      lingerMs: 5,
      batchSize: 16_384,
      bufferMemory: 33_554_432,
      maxBlockMs: 60_000,
      deliveryTimeoutMs: 120_000,
      requestTimeoutMs: 30_000,
      maxInFlightRequestsPerConnection: 5,
      retries: 2_147_483_647,
      retryBackoffMs: 100,
      retryBackoffMaxMs: 1000,
      maxRequestSize: 1_048_576,
      compressionType: 'none',
      compressionGzipLevel: -1,
      compressionLz4Level: 9,
      compressionZstdLevel: 3,
      partitionerAdaptivePartitioningEnable: true,
      partitionerAvailabilityTimeoutMs: 0,
      partitionerIgnoreKeys: false,
      metadataMaxAgeMs: 300_000,
      metadataMaxIdleMs: 300_000,
      reconnectBackoffMs: 50,
      reconnectBackoffMaxMs: 1000,
      securityProtocol: 'PLAINTEXT',
      transactionTimeoutMs: 60_000,
      transactionalId: undefined,
    })
    expect(config.keySerializer).toBe(bytesSerializer)
    expect(config.valueSerializer).toBe(bytesSerializer)
    expect(config.clientId).toMatch(/^producer-\d+$/)
    expect(warnings).toEqual([])
  })

  it("maps Java's dotted names and parses .properties-style strings", () => {
    const { config } = resolveProducerConfig({
      'bootstrap.servers': 'a:9092, b:9093',
      'linger.ms': '20',
      'enable.idempotence': 'FALSE',
      acks: '1',
      'compression.type': 'zstd',
      'max.in.flight.requests.per.connection': 10,
      'security.protocol': 'plaintext',
      'key.serializer': 'org.apache.kafka.common.serialization.StringSerializer',
      'value.serializer': 'org.apache.kafka.common.serialization.ByteArraySerializer',
      'partitioner.class': 'org.apache.kafka.clients.producer.RoundRobinPartitioner',
    })
    expect(config).toMatchObject({
      bootstrapServers: ['a:9092', 'b:9093'],
      lingerMs: 20,
      enableIdempotence: false,
      acks: 1,
      compressionType: 'zstd',
      maxInFlightRequestsPerConnection: 10,
      securityProtocol: 'PLAINTEXT',
    })
    expect(config.keySerializer).toBe(stringSerializer)
    expect(config.valueSerializer).toBe(bytesSerializer)
    expect(config.partitioner).toBeInstanceOf(RoundRobinPartitioner)
  })

  it("accepts librdkafka's names where they mean exactly the Java setting", () => {
    const { config } = resolveProducerConfig({
      'metadata.broker.list': 'h:1',
      'queue.buffering.max.ms': 7,
      'message.timeout.ms': 60_000,
      'compression.codec': 'lz4',
    })
    expect(config).toMatchObject({
      bootstrapServers: ['h:1'],
      lingerMs: 7,
      deliveryTimeoutMs: 60_000,
      compressionType: 'lz4',
    })
  })

  it('refuses the same option given twice with different values under both names', () => {
    const error = configError({ ...servers, lingerMs: 5, 'linger.ms': 10 })
    expect(error.option).toBe('lingerMs')
    expect(error.message).toContain("'lingerMs' and 'linger.ms'")
    expect(resolveProducerConfig({ ...servers, lingerMs: 10, 'linger.ms': 10 }).config.lingerMs).toBe(10)
  })

  it('refuses an unknown camelCase option and suggests the right spelling', () => {
    const error = configError({ ...servers, lingerMS: 5 })
    expect(error.option).toBe('lingerMS')
    expect(error.message).toContain("Did you mean 'lingerMs'?")
  })

  it('warns about Java configs it does not use instead of failing, as Java does', () => {
    const { warnings } = resolveProducerConfig({ ...servers, 'send.buffer.bytes': 1, 'group.id': 'g' })
    expect(warnings.map((warning) => warning.option)).toEqual(['send.buffer.bytes', 'group.id'])
    expect(warnings[0]!.message).toContain('was supplied but is not used')
  })

  it.each([
    [
      { lingerMs: -1 },
      'lingerMs',
      'Invalid value -1 for configuration lingerMs (linger.ms): Value must be at least 0.',
    ],
    [{ batchSize: 1.5 }, 'batchSize', 'Expected an integer number of bytes'],
    [{ metadataMaxIdleMs: 4999 }, 'metadataMaxIdleMs', 'Value must be at least 5000'],
    [{ maxInFlightRequestsPerConnection: 0 }, 'maxInFlightRequestsPerConnection', 'Value must be at least 1'],
    [{ retries: 2 ** 31 }, 'retries', 'Value must be between'],
    [{ acks: 2 }, 'acks', 'String must be one of: all, -1, 0, 1.'],
    [{ compressionType: 'brotli' }, 'compressionType', 'none, gzip, snappy, lz4, zstd'],
    [{ compressionGzipLevel: 10 }, 'compressionGzipLevel', 'between 1 and 9, or -1'],
    [{ compressionLz4Level: 18 }, 'compressionLz4Level', 'between 1 and 17'],
    [{ enableIdempotence: 'yes' }, 'enableIdempotence', 'either true or false'],
    [{ transactionalId: '' }, 'transactionalId', 'non-empty'],
    [{ keySerializer: {} }, 'keySerializer', 'serialize(topic, data, headers)'],
    [{ partitioner: 'com.example.Mine' }, 'partitioner', 'RoundRobinPartitioner'],
  ])('rejects %o naming the option', (options, option, message) => {
    const error = configError({ ...servers, ...options })
    expect(error.option).toBe(option)
    expect(error.code).toBe('INVALID_CONFIG')
    expect(error.message).toContain(message)
  })

  it('requires bootstrap servers in host:port form', () => {
    expect(configError({}).message).toContain(
      'Missing required configuration bootstrapServers (bootstrap.servers)',
    )
    expect(configError({ bootstrapServers: 'localhost' }).message).toContain(
      'Invalid bootstrapServers (bootstrap.servers): "localhost" is not a valid host:port',
    )
    expect(resolveProducerConfig({ bootstrapServers: ['[::1]:9092'] }).config.bootstrapServers).toEqual([
      '[::1]:9092',
    ])
  })

  describe('idempotence cross-checks', () => {
    it('fails when idempotence is asked for with acks other than all', () => {
      const error = configError({ ...servers, enableIdempotence: true, acks: 1 })
      expect(error.option).toBe('acks')
      expect(error.message).toContain('Must set acks to all in order to use the idempotent producer')
    })

    it('fails when idempotence is asked for with retries 0', () => {
      const error = configError({ ...servers, enableIdempotence: true, retries: 0 })
      expect(error.option).toBe('retries')
      expect(error.message).toContain('Must set retries to non-zero')
    })

    it('disables idempotence with a warning when a conflicting acks or retries is set without asking for it', () => {
      const acks = resolveProducerConfig({ ...servers, acks: 0 })
      expect(acks.config.enableIdempotence).toBe(false)
      expect(acks.warnings).toEqual([
        {
          type: 'config-warning',
          option: 'enableIdempotence',
          message: "Idempotence will be disabled because acks (acks) is set to 0, not set to 'all'.",
        },
      ])
      const retries = resolveProducerConfig({ ...servers, retries: 0 })
      expect(retries.config.enableIdempotence).toBe(false)
      expect(retries.warnings[0]!.message).toContain('retries (retries) is set to 0')
    })

    it('fails with more than 5 requests in flight unless idempotence is switched off, as Java 4.0 does', () => {
      for (const options of [
        { maxInFlightRequestsPerConnection: 6 },
        { enableIdempotence: true, maxInFlightRequestsPerConnection: 6 },
      ]) {
        const error = configError({ ...servers, ...options })
        expect(error.option).toBe('maxInFlightRequestsPerConnection')
        expect(error.message).toContain('must be set to at most 5. Current value is 6.')
      }
      const off = resolveProducerConfig({
        ...servers,
        enableIdempotence: false,
        maxInFlightRequestsPerConnection: 6,
      })
      expect(off.config.maxInFlightRequestsPerConnection).toBe(6)
    })

    it('refuses a transactional id without idempotence, explicit or implied', () => {
      expect(configError({ ...servers, transactionalId: 't', enableIdempotence: false }).option).toBe(
        'transactionalId',
      )
      const implied = configError({ ...servers, transactionalId: 't', acks: 1 })
      expect(implied.message).toContain(
        'Cannot set a transactionalId (transactional.id) without also enabling idempotence',
      )
    })

    it('names the client after the transactional id', () => {
      expect(resolveProducerConfig({ ...servers, transactionalId: 'tx-1' }).config.clientId).toBe(
        'producer-tx-1',
      )
    })
  })

  describe('delivery timeout', () => {
    it('fails when an explicit delivery timeout is below linger + request timeout', () => {
      const error = configError({ ...servers, deliveryTimeoutMs: 30_000 })
      expect(error.option).toBe('deliveryTimeoutMs')
      expect(error.message).toContain(
        'should be equal to or larger than lingerMs (linger.ms) + requestTimeoutMs',
      )
      expect(error.message).toContain('at least 30005')
    })

    it('raises the default delivery timeout with a warning when linger + request timeout exceed it', () => {
      const { config, warnings } = resolveProducerConfig({
        ...servers,
        lingerMs: 100_000,
        requestTimeoutMs: 30_000,
      })
      expect(config.deliveryTimeoutMs).toBe(130_000)
      expect(warnings[0]).toMatchObject({
        option: 'deliveryTimeoutMs',
        message: expect.stringContaining('Setting it to 130000'),
      })
    })
  })

  it('warns about backoffs Java turns static', () => {
    const { config, warnings } = resolveProducerConfig({
      ...servers,
      retryBackoffMs: 2000,
      reconnectBackoffMs: 70,
    })
    expect(config.reconnectBackoffMaxMs).toBe(70)
    expect(warnings.map((warning) => warning.option)).toEqual(['retryBackoffMs', 'reconnectBackoffMaxMs'])
  })

  describe('SASL', () => {
    it('requires credentials when the security protocol enables SASL', () => {
      expect(configError({ ...servers, securityProtocol: 'SASL_SSL' }).message).toContain('sasl must be set')
    })

    it("reads username and password from Java's sasl.jaas.config", () => {
      const { config } = resolveProducerConfig({
        ...servers,
        'security.protocol': 'SASL_PLAINTEXT',
        'sasl.mechanism': 'SCRAM-SHA-256',
        'sasl.jaas.config':
          'org.apache.kafka.common.security.scram.ScramLoginModule required username="alice" password="s3\\"cret";',
      })
      expect(config.sasl).toEqual({ mechanism: 'SCRAM-SHA-256', username: 'alice', password: 's3\\"cret' })
    })
  })
})
