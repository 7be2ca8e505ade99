import { describe, expect, it } from 'vitest'
import { decodeApiVersionsV0 } from './api-versions-probe.js'
import { parseAddress } from './kafka-exchange.js'
import { decodeListOffsetsV4, encodeListOffsetsV4 } from './list-offsets.js'
import { decodeMetadataV8, encodeMetadataV8 } from './metadata.js'

// Byte layouts follow Kafka's message specs (shared/kafka-message-specs: ApiVersionsResponse v0,
// MetadataRequest/MetadataResponse v8, request header v1, response header v0).

describe('encodeMetadataV8', () => {
  it('writes size, request header v1 and the topics of a Metadata v8 request', () => {
    const frame = encodeMetadataV8(7, ['ab'])
    const expected = Buffer.concat([
      Buffer.from([0, 0, 0, 34]), // size: 8 + 15 + 8 + 3
      Buffer.from([0, 3, 0, 8, 0, 0, 0, 7]), // api key 3, version 8, correlation id 7
      Buffer.from([0, 13]),
      Buffer.from('kafka-harness'), // client id
      Buffer.from([0, 0, 0, 1, 0, 2]),
      Buffer.from('ab'), // topics ["ab"]
      Buffer.from([0, 0, 0]), // no auto-creation, no authorized operations
    ])
    expect(frame).toEqual(expected)
  })

  it('writes a null topic array (-1) to ask for every topic', () => {
    const frame = encodeMetadataV8(1, null)
    expect(frame.subarray(frame.length - 7)).toEqual(Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0]))
  })
})

describe('decodeMetadataV8', () => {
  it('reads brokers, controller and partitions with leader, epoch, replicas and ISR', () => {
    const int16 = (v: number) => Buffer.from([(v >> 8) & 0xff, v & 0xff])
    const int32 = (v: number) => {
      const b = Buffer.alloc(4)
      b.writeInt32BE(v)
      return b
    }
    const str = (s: string) => Buffer.concat([int16(Buffer.byteLength(s)), Buffer.from(s)])
    const frame = Buffer.concat([
      int32(5), // correlation id
      int32(0), // throttle
      int32(1),
      int32(2),
      str('127.0.0.1'),
      int32(9092),
      int16(-1), // broker 2, null rack
      str('cid'),
      int32(2), // cluster id, controller
      int32(1),
      int16(0),
      str('t'),
      Buffer.from([0]), // topic t, not internal
      int32(1),
      int16(0),
      int32(0),
      int32(2),
      int32(4), // partition 0, leader 2, epoch 4
      int32(2),
      int32(2),
      int32(3), // replicas [2,3]
      int32(1),
      int32(2), // isr [2]
      int32(1),
      int32(3), // offline [3]
      int32(-2147483648), // topic authorized operations
      int32(-2147483648), // cluster authorized operations
    ])
    expect(decodeMetadataV8(frame, 5)).toEqual({
      brokers: [{ nodeId: 2, host: '127.0.0.1', port: 9092, rack: null }],
      clusterId: 'cid',
      controllerId: 2,
      topics: [
        {
          errorCode: 0,
          name: 't',
          isInternal: false,
          partitions: [
            {
              errorCode: 0,
              partition: 0,
              leader: 2,
              leaderEpoch: 4,
              replicas: [2, 3],
              isr: [2],
              offlineReplicas: [3],
            },
          ],
        },
      ],
    })
  })

  it('rejects a response to another request', () => {
    expect(() => decodeMetadataV8(Buffer.from([0, 0, 0, 9]), 5)).toThrow(/correlation id 9, expected 5/)
  })
})

describe('decodeApiVersionsV0', () => {
  it('reads the error code and every api range', () => {
    const frame = Buffer.from([0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 3, 0, 11, 0, 18, 0, 0, 0, 4])
    expect(decodeApiVersionsV0(frame, 1)).toEqual({
      errorCode: 0,
      apis: [
        { apiKey: 0, minVersion: 3, maxVersion: 11 },
        { apiKey: 18, minVersion: 0, maxVersion: 4 },
      ],
    })
  })
})

describe('parseAddress', () => {
  it('takes the first host:port of a bootstrap list', () => {
    expect(parseAddress('127.0.0.1:9092,127.0.0.1:9093')).toEqual({ host: '127.0.0.1', port: 9092 })
  })

  it('rejects an address without a port, naming the option', () => {
    expect(() => parseAddress('localhost')).toThrow(/not host:port \(bootstrap servers\)/)
  })
})

describe('ListOffsets v4', () => {
  it('asks for the latest offset (-1) of each partition as a consumer (replica id -1)', () => {
    const frame = encodeListOffsetsV4(3, 't', [0])
    expect(frame.subarray(0, 12)).toEqual(Buffer.from([0, 0, 0, 55, 0, 2, 0, 4, 0, 0, 0, 3]))
    // replica id -1, read_uncommitted, 1 topic "t", 1 partition: index 0, leader epoch -1, timestamp -1
    expect(frame.subarray(27)).toEqual(
      Buffer.from([
        0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 1, 0, 1, 0x74, 0, 0, 0, 1, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
      ]),
    )
  })

  it('reads each partition error code and offset', () => {
    const frame = Buffer.from([
      0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0x74, 0, 0, 0, 1, 0, 0, 0, 2, 0, 6, 0xff, 0xff, 0xff, 0xff,
      0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 42, 0, 0, 0, 5,
    ])
    expect(decodeListOffsetsV4(frame, 3)).toEqual([{ partition: 2, errorCode: 6, offset: 42n }])
  })
})
