// Rules and messages of Kafka 4.3.1's ProducerPerformance (ConfigPostProcessor and readProps, strings read
// from the kafka-tools jar); argparse4j's wording for required and exclusive arguments.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parsePerfOptions } from './perf-options.js'

const base = ['--topic', 't', '--num-records', '10', '--record-size', '100', '--throughput', '-1']

describe('parsePerfOptions', () => {
  it('sets what the Java tool sets: byte-array serializers and the perf client id', () => {
    const options = parsePerfOptions([...base, '--producer-props', 'acks=1', 'linger.ms=0'])
    expect(Object.fromEntries(options.properties)).toEqual({
      acks: '1',
      'linger.ms': '0',
      'key.serializer': 'org.apache.kafka.common.serialization.ByteArraySerializer',
      'value.serializer': 'org.apache.kafka.common.serialization.ByteArraySerializer',
      'client.id': 'perf-producer-client',
    })
    expect(options).toMatchObject({
      numRecords: 10,
      recordSize: 100,
      throughput: -1,
      reportingIntervalMs: 5000,
    })
  })

  it('lets command-line properties override the config file, and --bootstrap-server override both', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'x-kafka-perf-')), 'producer.properties')
    writeFileSync(file, 'bootstrap.servers=file:9092\nlinger.ms=50\nclient.id=mine\n')
    const fromFile = parsePerfOptions([
      ...base,
      '--producer.config',
      file,
      '--command-property',
      'linger.ms=1',
    ])
    expect(fromFile.properties.get('linger.ms')).toBe('1')
    expect(fromFile.properties.get('client.id')).toBe('mine')
    expect(fromFile.bootstrapServers).toBe('file:9092')
    const overridden = parsePerfOptions([
      ...base,
      '--command-config',
      file,
      '--bootstrap-server',
      'flag:9092',
    ])
    expect(overridden.bootstrapServers).toBe('flag:9092')
  })

  it('leaves the bootstrap servers undefined (the embedded cluster) and --topic optional without them', () => {
    const options = parsePerfOptions(['--num-records', '5', '--record-size', '1', '--throughput', '-1'])
    expect(options.bootstrapServers).toBeUndefined()
    expect(options.topic).toBe('x-kafka-perf')
    expect(() =>
      parsePerfOptions([
        '--bootstrap-server',
        'b:1',
        '--num-records',
        '5',
        '--record-size',
        '1',
        '--throughput',
        '1',
      ]),
    ).toThrow('argument --topic is required.')
  })

  it('turns transactions on as Java does: an id, a duration or transactional.id', () => {
    expect(parsePerfOptions(base).transactionalId).toBeUndefined()
    expect(parsePerfOptions([...base, '--transactional-id', 'tx'])).toMatchObject({
      transactionalId: 'tx',
      transactionDurationMs: 3000,
    })
    const byDuration = parsePerfOptions([...base, '--transaction-duration-ms', '100'])
    expect(byDuration.transactionalId).toMatch(/^performance-producer-[0-9a-f-]{36}$/)
    expect(byDuration.properties.get('transactional.id')).toBe(byDuration.transactionalId)
    expect(parsePerfOptions([...base, '--producer-props', 'transactional.id=p']).transactionalId).toBe('p')
  })

  it("reads --payload-delimiter's default \\n as a newline", () => {
    const options = parsePerfOptions([
      '--topic',
      't',
      '--num-records',
      '1',
      '--payload-file',
      'f',
      '--throughput',
      '1',
    ])
    expect(options.payloadDelimiter).toBe('\n')
  })

  it.each([
    [
      ['--num-records', '10', '--record-size', '1', '--throughput', '1', '--bootstrap-server', 'b:1'],
      'argument --topic is required.',
    ],
    [['--topic', 't', '--record-size', '1', '--throughput', '1'], 'argument --num-records is required.'],
    [['--topic', 't', '--num-records', '1', '--record-size', '1'], 'argument --throughput is required.'],
    [
      ['--topic', 't', '--num-records', '1', '--throughput', '1'],
      'one of the arguments --record-size --payload-file --payload-monotonic is required.',
    ],
    [
      [...base, '--payload-monotonic'],
      'argument --payload-monotonic: not allowed with argument --record-size.',
    ],
    [
      ['--topic', 't', '--num-records', 'many', '--record-size', '1', '--throughput', '1'],
      "argument --num-records: could not convert 'many' to Long.",
    ],
    [
      ['--topic', 't', '--num-records', '0', '--record-size', '1', '--throughput', '1'],
      '--num-records should be greater than zero.',
    ],
    [
      [...base, '--warmup-records', '10'],
      'The value for --warmup-records must be strictly fewer than the number of records in the test, --num-records.',
    ],
    [
      ['--topic', 't', '--num-records', '1', '--record-size', '0', '--throughput', '1'],
      '--record-size should be greater than zero.',
    ],
    [
      [...base, '--producer-props', 'a=1', '--command-property', 'b=2'],
      '--command-property and --producer-props cannot be specified together.',
    ],
    [
      [...base, '--producer.config', 'a', '--command-config', 'b'],
      '--command-config and --producer.config cannot be specified together.',
    ],
    [[...base, '--transaction-duration-ms', '0'], '--transaction-duration-ms should be greater than zero.'],
    [[...base, '--reporting-interval', '0'], '--reporting-interval should be greater than zero.'],
    [
      [...base, '--producer-props', 'bootstrap.servers='],
      'Invalid property: bootstrap.servers= (expected PROP-NAME=PROP-VALUE).',
    ],
    [[...base, '--producer-props', 'a=b=c'], 'Invalid property: a=b=c (expected PROP-NAME=PROP-VALUE).'],
  ])('refuses %j with the Java message', (argv, message) => {
    expect(() => parsePerfOptions(argv)).toThrow(message)
  })

  it('refuses --throughput 0, which would make the Java tool wait forever', () => {
    expect(() =>
      parsePerfOptions(['--topic', 't', '--num-records', '5', '--record-size', '1', '--throughput', '0']),
    ).toThrow(/--throughput 0 would never send/)
  })
})
