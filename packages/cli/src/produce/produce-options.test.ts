import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseProduceOptions } from './produce-options.js'

function propertiesFile(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'x-kafka-produce-')), 'client.properties')
  writeFileSync(path, content)
  return path
}

describe('parseProduceOptions', () => {
  it("reads kcat's producer flags", () => {
    const options = parseProduceOptions([
      '-P',
      '-b',
      'h:9092',
      '-t',
      'orders',
      '-p',
      '2',
      '-k',
      'fixed',
      '-K:',
      '-D',
      '\\r\\n',
      '-H',
      'a=1=2',
      '-H',
      'b',
      '-z',
      'zstd',
      '-c',
      '5',
      '-TZ',
      '-q',
    ])
    expect(options).toMatchObject({
      bootstrapServers: 'h:9092',
      topic: 'orders',
      partition: 2,
      count: 5,
      tee: true,
      nullEmpty: true,
      quiet: true,
      lineMode: false,
      files: [],
    })
    expect(Buffer.from(options.fixedKey!).toString()).toBe('fixed')
    expect([...options.keyDelimiter!]).toEqual([58])
    expect([...options.delimiter]).toEqual([13, 10])
    expect(
      options.headers.map((header) => [header.key, header.value && Buffer.from(header.value).toString()]),
    ).toEqual([
      ['a', '1=2'],
      ['b', null],
    ])
    expect(Object.fromEntries(options.properties)).toEqual({
      'compression.type': 'zstd',
      'bootstrap.servers': 'h:9092',
    })
  })

  it('reads the long forms alike', () => {
    const options = parseProduceOptions([
      '--bootstrap-server',
      'h:1',
      '--topic',
      't',
      '--key-delimiter',
      '::',
      '--compression-codec',
      'gzip',
      '--producer-property',
      'linger.ms=7',
      '--tee',
      '--null-empty',
      '--count',
      '3',
    ])
    expect(options).toMatchObject({
      bootstrapServers: 'h:1',
      topic: 't',
      tee: true,
      nullEmpty: true,
      count: 3,
    })
    expect(Object.fromEntries(options.properties)).toMatchObject({
      'compression.type': 'gzip',
      'linger.ms': '7',
    })
  })

  it('applies config files first, then -X and -z in command-line order, and -b over bootstrap.servers', () => {
    const file = propertiesFile('bootstrap.servers=file:1\nlinger.ms=50\ncompression.codec=lz4\n')
    const options = parseProduceOptions([
      '-F',
      file,
      '-X',
      'linger.ms=1',
      '-z',
      'gzip',
      '-X',
      'compression.type=zstd',
      '-b',
      'flag:1',
      '-t',
      't',
    ])
    expect(Object.fromEntries(options.properties)).toEqual({
      'linger.ms': '1',
      'compression.codec': 'lz4',
      'compression.type': 'zstd',
      'bootstrap.servers': 'flag:1',
    })
    expect(options.bootstrapServers).toBe('flag:1')
  })

  it("takes the brokers from the properties, strips kcat's topic. prefix, and reads $KCAT_CONFIG without -F", () => {
    const file = propertiesFile('metadata.broker.list=env:1\n')
    const options = parseProduceOptions(['-t', 't', '-X', 'topic.acks=1'], { KCAT_CONFIG: file })
    expect(options.bootstrapServers).toBe('env:1')
    expect(Object.fromEntries(options.properties)).toEqual({ acks: '1', 'bootstrap.servers': 'env:1' })
  })

  it('leaves the brokers undefined when none is given (the embedded cluster)', () => {
    expect(parseProduceOptions(['-t', 't']).bootstrapServers).toBeUndefined()
  })

  it('takes files as positionals, and exactly one with -l', () => {
    expect(parseProduceOptions(['-t', 't', 'a.bin', 'b.bin']).files).toEqual(['a.bin', 'b.bin'])
    expect(parseProduceOptions(['-t', 't', '-l', 'lines.txt'])).toMatchObject({
      lineMode: true,
      files: ['lines.txt'],
    })
    expect(() => parseProduceOptions(['-t', 't', '-l', 'a', 'b'])).toThrow(
      '-l reads exactly one file (got 2)',
    )
  })

  it.each([
    [[], '-t <topic> missing.'],
    [['-t', 't', '-p', 'x'], "-p 'x' is not an integer ≥ -1."],
    [['-t', 't', '-c', '0'], "-c '0' is not an integer ≥ 1."],
    [['-t', 't', '-X', 'linger.ms'], "-X expects property=value, not 'linger.ms'"],
    [['-t', 't', '-H', '=v'], `-H expects "name=value" or "name", not '=v'.`],
    [['-t', 't', '-F', '/nonexistent.conf'], "cannot read the config file of -F '/nonexistent.conf'"],
  ])('refuses %j naming the option', (argv, message) => {
    expect(() => parseProduceOptions(argv)).toThrow(message)
  })

  it("reads kafka-console-producer's --property parse.key=true and key.separator as -K", () => {
    const tab = parseProduceOptions(['-t', 't', '--property', 'parse.key=true'])
    expect([...tab.keyDelimiter!]).toEqual([9])
    const colon = parseProduceOptions([
      '-t',
      't',
      '--property',
      'parse.key=true',
      '--property',
      'key.separator=:',
    ])
    expect([...colon.keyDelimiter!]).toEqual([58])
    expect(parseProduceOptions(['-t', 't', '--property', 'key.separator=:']).keyDelimiter).toBeUndefined()
    expect(() => parseProduceOptions(['-t', 't', '--property', 'parse.headers=true'])).toThrow(
      /only parse.key and key.separator/,
    )
  })

  it('needs no topic for -X list', () => {
    expect(parseProduceOptions(['-X', 'list']).listProperties).toBe(true)
  })
})
