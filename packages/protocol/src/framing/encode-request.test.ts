// Frame layout from the Kafka protocol guide: int32 size, request header (v2: api key, api version,
// correlation id, int16-length client id, tagged fields), body.
import { describe, expect, it } from 'vitest'
import { metadataApi, readMetadataRequest, writeMetadataRequest } from '../messages/generated/index.js'
import { decodeRequestHeader, decodeResponseHeader, peekCorrelationId } from './decode-headers.js'
import { encodeRequest } from './encode-request.js'
import { encodeResponse } from './encode-response.js'
import { FrameSplitter } from './frame-splitter.js'

const concat = (chunks: Uint8Array[]) => new Uint8Array(Buffer.concat(chunks))

describe('encodeRequest / decodeRequestHeader', () => {
  it('frames a Metadata v12 request that the broker side reads back', () => {
    const chunks = encodeRequest({
      api: metadataApi,
      apiVersion: 12,
      correlationId: 42,
      clientId: 'my-app',
      body: { topics: [{ name: 'orders' }], includeTopicAuthorizedOperations: false },
      writeBody: writeMetadataRequest,
    })
    const [frame] = new FrameSplitter().push(concat(chunks))
    // header v2: 0003 000c 0000002a 0006 "my-app" 00
    expect(Buffer.from(frame!.subarray(0, 17)).toString('hex')).toBe(
      `0003000c0000002a0006${Buffer.from('my-app').toString('hex')}00`,
    )
    const { header, headerVersion, reader } = decodeRequestHeader(frame!)
    expect(headerVersion).toBe(2)
    expect(header).toMatchObject({
      requestApiKey: 3,
      requestApiVersion: 12,
      correlationId: 42,
      clientId: 'my-app',
    })
    expect(readMetadataRequest(reader, 12).topics).toEqual([
      { topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'orders', unknownTaggedFields: undefined },
    ])
  })
})

describe('encodeResponse / decodeResponseHeader', () => {
  it('puts the correlation id first so the client can match the response before decoding it', () => {
    const chunks = encodeResponse({
      api: metadataApi,
      apiVersion: 9,
      correlationId: 77,
      body: { brokers: [], topics: [] },
      writeBody: (writer, version, body) => {
        writer.writeCompactArrayLength(body.brokers.length)
        writer.writeCompactArrayLength(body.topics.length)
        expect(version).toBe(9)
      },
    })
    const [frame] = new FrameSplitter().push(concat(chunks))
    expect(peekCorrelationId(frame!)).toBe(77)
    const { header, headerVersion, reader } = decodeResponseHeader(frame!, metadataApi.apiKey, 9)
    expect(headerVersion).toBe(1)
    expect(header.correlationId).toBe(77)
    expect(reader.remaining).toBe(2)
  })
})
