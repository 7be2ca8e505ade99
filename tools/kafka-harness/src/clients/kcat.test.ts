import { describe, expect, it } from 'vitest'
import { parseKcatJsonLine } from './kcat.js'

// One line printed by `kcat -C -J` (kcat 1.7.1, librdkafka 2.0.2) for a record produced with
// `printf 'k1\x00\xff|v\xc3\x28\x01\x00zz\n' | kcat -P -K '|' -H h1=a -H h2=` against Kafka 4.4.0:
// control bytes come escaped (\u0000), other bytes raw (0xff, and the invalid UTF-8 pair 0xc3 0x28).
const line = Buffer.from(
  '7b22746f706963223a2262696e31222c22706172746974696f6e223a302c226f6666736574223a302c22747374797065223a22637265617465222c227473223a313739353433343634393639312c2262726f6b6572223a312c2268656164657273223a5b226831222c2261222c226832222c22225d2c226b6579223a226b315c7530303030ff222c227061796c6f6164223a2276c3285c75303030315c75303030307a7a227d',
  'hex',
)

describe('parseKcatJsonLine', () => {
  it('recovers the exact key, value and headers kcat wrote from its JSON envelope', () => {
    expect(parseKcatJsonLine(line)).toEqual({
      topic: 'bin1',
      partition: 0,
      offset: 0n,
      key: Uint8Array.from([0x6b, 0x31, 0x00, 0xff]),
      value: Uint8Array.from([0x76, 0xc3, 0x28, 0x01, 0x00, 0x7a, 0x7a]),
      headers: [
        { key: 'h1', value: Uint8Array.from([0x61]) },
        { key: 'h2', value: new Uint8Array() },
      ],
      timestamp: 1795434649691,
      timestampType: 'CreateTime',
    })
  })

  it('maps null key, payload and header values to null and log-append time to LogAppendTime', () => {
    const json =
      '{"topic":"t","partition":2,"offset":9007199254740993,"tstype":"logappend","ts":5,"broker":1,"headers":["n",null],"key":null,"payload":null}'
    expect(parseKcatJsonLine(new TextEncoder().encode(json))).toMatchObject({
      partition: 2,
      offset: 9007199254740993n,
      key: null,
      value: null,
      headers: [{ key: 'n', value: null }],
      timestampType: 'LogAppendTime',
    })
  })
})
