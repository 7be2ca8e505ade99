import { describe, expect, it } from 'vitest'
import { parseFormatterLine } from './java-consumer.js'

describe('parseFormatterLine', () => {
  it('decodes the base64 key, value and header values printed by JsonRecordFormatter', () => {
    // the shape java/JsonRecordFormatter.java prints; AP8= is bytes 00 ff
    const line =
      '{"topic":"t","partition":1,"offset":"9223372036854775807","timestamp":1700000000000,"timestampType":"LogAppendTime","key":"AP8=","value":null,"headers":[{"key":"h","value":"YQ=="},{"key":"n","value":null}]}'
    expect(parseFormatterLine(new TextEncoder().encode(line))).toEqual({
      topic: 't',
      partition: 1,
      offset: 9223372036854775807n,
      key: Uint8Array.from([0x00, 0xff]),
      value: null,
      headers: [
        { key: 'h', value: Uint8Array.from([0x61]) },
        { key: 'n', value: null },
      ],
      timestamp: 1700000000000,
      timestampType: 'LogAppendTime',
    })
  })
})
