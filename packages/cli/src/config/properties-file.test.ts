import { describe, expect, it } from 'vitest'
import { parseProperties, readPropertiesFile } from './properties-file.js'

describe('parseProperties', () => {
  it('reads a Java producer.properties file: comments, separators, continuations and escapes', () => {
    const properties = parseProperties(
      [
        '# a comment',
        '  ! another',
        '',
        'bootstrap.servers=a:9092,\\',
        '    b:9092',
        'linger.ms : 5',
        'acks all',
        'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username\\="u";',
        'key\\ with\\ space = v\\u0041\\t',
        'empty=',
        'linger.ms=10',
      ].join('\r\n'),
    )
    expect(Object.fromEntries(properties)).toEqual({
      'bootstrap.servers': 'a:9092,b:9092',
      'linger.ms': '10',
      acks: 'all',
      'sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required username="u";',
      'key with space': 'vA\t',
      empty: '',
    })
  })

  it("reads kcat's -F format (property=value lines) alike", () => {
    expect(Object.fromEntries(parseProperties('compression.codec=lz4\nqueue.buffering.max.ms=1\n'))).toEqual({
      'compression.codec': 'lz4',
      'queue.buffering.max.ms': '1',
    })
  })

  it('names the option and the file it cannot read', () => {
    expect(() => readPropertiesFile('produce', '-F', '/nonexistent.properties')).toThrow(
      /cannot read the config file of -F '\/nonexistent.properties'/,
    )
  })
})
