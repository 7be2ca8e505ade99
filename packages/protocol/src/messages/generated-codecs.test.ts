// Version rules of Kafka's generated message classes (MessageDataGenerator in Kafka's generator module):
// out-of-range versions and non-default values of missing non-ignorable fields throw
// UnsupportedVersionException, missing ignorable fields are dropped, unknown tagged fields survive a read
// and write. Byte layouts in the comments follow the protocol guide.
import { describe, expect, it } from 'vitest'
import { ProtocolDecodeError } from '../errors/protocol-decode-error.js'
import { ProtocolEncodeError } from '../errors/protocol-encode-error.js'
import { UnsupportedVersionError } from '../errors/unsupported-version-error.js'
import { Reader } from '../primitives/reader.js'
import { Writer } from '../primitives/writer.js'
import {
  readApiVersionsResponse,
  readMetadataRequest,
  readMetadataResponse,
  readProduceRequest,
  writeApiVersionsResponse,
  writeFetchRequest,
  writeMetadataRequest,
  writeMetadataResponse,
  writeProduceRequest,
} from './generated/index.js'

const encode = <T>(write: (writer: Writer, version: number, value: T) => void, version: number, value: T) => {
  const writer = new Writer()
  write(writer, version, value)
  return writer.toUint8Array()
}
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')

describe('generated codecs', () => {
  it('refuse versions outside the API range in both directions', () => {
    expect(() => encode(writeProduceRequest, 12, { acks: 1, timeoutMs: 1, topicData: [] })).toThrow(
      UnsupportedVersionError,
    )
    expect(() => readProduceRequest(new Reader(new Uint8Array(16)), -1)).toThrow(/versions 0 to 11/)
  })

  it('throw when a non-ignorable field with a non-default value does not exist in the version', () => {
    // IncludeClusterAuthorizedOperations: versions 8-10, not ignorable
    expect(() =>
      encode(writeMetadataRequest, 11, { topics: [], includeClusterAuthorizedOperations: true }),
    ).toThrow(/non-default MetadataRequest.includeClusterAuthorizedOperations at version 11.*versions 8-10/)
    // ReplicaId: versions 0-14, not ignorable
    expect(() =>
      encode(writeFetchRequest, 15, { replicaId: 2, maxWaitMs: 1, minBytes: 1, topics: [] }),
    ).toThrow(UnsupportedVersionError)
  })

  it('write a missing non-ignorable field at its default without complaint', () => {
    const bytes = encode(writeMetadataRequest, 11, { topics: [], includeClusterAuthorizedOperations: false })
    expect(readMetadataRequest(new Reader(bytes), 11).includeClusterAuthorizedOperations).toBe(false)
  })

  it('drop an ignorable field the version lacks', () => {
    // Rack is v1+ and ignorable: at v0 it is simply not written, and reads back as its default (null).
    const bytes = encode(writeMetadataResponse, 0, {
      brokers: [{ nodeId: 1, host: 'h', port: 9092, rack: 'r1' }],
      topics: [],
    })
    // v0: brokers [int32 count=1][nodeId][host][port], topics [int32 count=0]
    expect(hex(bytes)).toBe(`00000001000000010001${Buffer.from('h').toString('hex')}0000238400000000`)
    expect(readMetadataResponse(new Reader(bytes), 0).brokers[0]!.rack).toBeNull()
  })

  it('fill fields left out of the input with their spec defaults', () => {
    const bytes = encode(writeMetadataRequest, 4, { topics: [{ name: 'a' }] })
    // AllowAutoTopicCreation defaults to true
    expect(readMetadataRequest(new Reader(bytes), 4).allowAutoTopicCreation).toBe(true)
  })

  it('refuse null in a field that is not nullable at the version written', () => {
    // Topics is nullable only from v1
    expect(() => encode(writeMetadataRequest, 0, { topics: null })).toThrow(ProtocolEncodeError)
    expect(hex(encode(writeMetadataRequest, 1, { topics: null }))).toBe('ffffffff')
  })

  it('refuse unknown tagged fields at a version without tagged fields', () => {
    const unknownTaggedFields = [{ tag: 9, data: new Uint8Array([1]) }]
    expect(() => encode(writeMetadataRequest, 8, { topics: [], unknownTaggedFields })).toThrow(
      /unknownTaggedFields are set but version 8/,
    )
  })

  it('keep unknown tagged fields in nested structs and write them back after the known ones, in tag order', () => {
    const response = {
      errorCode: 0,
      apiKeys: [
        {
          apiKey: 3,
          minVersion: 0,
          maxVersion: 12,
          unknownTaggedFields: [{ tag: 4, data: new Uint8Array([7]) }],
        },
      ],
      finalizedFeaturesEpoch: 3n,
      zkMigrationReady: true,
      unknownTaggedFields: [{ tag: 9, data: new Uint8Array([0xaa, 0xbb]) }],
    }
    const bytes = encode(writeApiVersionsResponse, 3, response)
    // tags: count 3 | tag 1, size 8, epoch 3 | tag 3, size 1, true | tag 9, size 2, aa bb
    expect(hex(bytes).endsWith('03010800000000000000030301010902aabb')).toBe(true)
    const read = readApiVersionsResponse(new Reader(bytes), 3)
    expect(read.apiKeys[0]!.unknownTaggedFields).toEqual([{ tag: 4, data: new Uint8Array([7]) }])
    expect(read.unknownTaggedFields).toEqual([{ tag: 9, data: new Uint8Array([0xaa, 0xbb]) }])
    expect(read).toMatchObject({ finalizedFeaturesEpoch: 3n, zkMigrationReady: true, supportedFeatures: [] })
    expect(hex(encode(writeApiVersionsResponse, 3, read))).toBe(hex(bytes))
  })

  it('report truncated or malformed input as ProtocolDecodeError', () => {
    const bytes = encode(writeMetadataRequest, 12, { topics: [{ name: 'orders' }] })
    expect(() => readMetadataRequest(new Reader(bytes.subarray(0, bytes.length - 3)), 12)).toThrow(
      ProtocolDecodeError,
    )
    // an array claiming 2^31-1 elements in a 5-byte buffer
    expect(() => readMetadataRequest(new Reader(new Uint8Array([0x7f, 0xff, 0xff, 0xff, 0])), 1)).toThrow(
      /claims 2147483647 elements/,
    )
    // a non-nullable array serialized as null (Topics at v0)
    expect(() => readMetadataRequest(new Reader(new Uint8Array([0xff, 0xff, 0xff, 0xff])), 0)).toThrow(
      /Non-nullable field MetadataRequest.topics/,
    )
  })

  it('reject a known tagged field whose size does not match its value', () => {
    // ApiVersionsResponse v3: errorCode 0, apiKeys [] (01), throttle 0, tags: count 1, tag 3 (bool) size 2
    const bytes = new Uint8Array([0, 0, 1, 0, 0, 0, 0, 1, 3, 2, 1, 0])
    expect(() => readApiVersionsResponse(new Reader(bytes), 3)).toThrow(
      /announced 2 bytes but its value took 1/,
    )
  })
})
