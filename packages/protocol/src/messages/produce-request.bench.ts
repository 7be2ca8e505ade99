import { bench, describe } from 'vitest'
import { encodeRequest } from '../framing/encode-request.js'
import { FrameSplitter } from '../framing/frame-splitter.js'
import { Reader } from '../primitives/reader.js'
import { Writer } from '../primitives/writer.js'
import {
  type ProduceRequestInput,
  produceApi,
  readProduceResponse,
  writeProduceRequest,
  writeProduceResponse,
} from './generated/index.js'

// A Produce request as the sender builds it: 4 topics x 4 partitions, one 16 KiB record batch each, the
// batches in "pooled memory" appended by reference.
const pool = new Uint8Array(16 * 16_384)
const request: ProduceRequestInput = {
  transactionalId: null,
  acks: -1,
  timeoutMs: 30_000,
  topicData: Array.from({ length: 4 }, (_, topic) => ({
    name: `topic-${topic}`,
    partitionData: Array.from({ length: 4 }, (_, partition) => {
      const slot = topic * 4 + partition
      return { index: partition, records: pool.subarray(slot * 16_384, (slot + 1) * 16_384) }
    }),
  })),
}
const single: ProduceRequestInput = {
  acks: 1,
  timeoutMs: 30_000,
  topicData: [{ name: 'orders', partitionData: [{ index: 0, records: pool.subarray(0, 1024) }] }],
}

const responseWriter = new Writer()
writeProduceResponse(responseWriter, 11, {
  responses: request.topicData.map((topic) => ({
    name: topic.name,
    partitionResponses: topic.partitionData.map((partition) => ({
      index: partition.index,
      errorCode: 0,
      baseOffset: 1_000_000n,
      logAppendTimeMs: -1n,
      logStartOffset: 0n,
    })),
  })),
  throttleTimeMs: 0,
})
const responseBytes = responseWriter.toUint8Array()
const framed = Buffer.concat(
  encodeRequest({
    api: produceApi,
    apiVersion: 11,
    correlationId: 1,
    clientId: 'bench',
    body: request,
    writeBody: writeProduceRequest,
  }),
)

describe('Produce request encode', () => {
  bench('encodeRequest v11, 16 partitions x 16 KiB by reference', () => {
    encodeRequest({
      api: produceApi,
      apiVersion: 11,
      correlationId: 1,
      clientId: 'bench',
      body: request,
      writeBody: writeProduceRequest,
    })
  })

  bench('encodeRequest v11, 1 partition x 1 KiB', () => {
    encodeRequest({
      api: produceApi,
      apiVersion: 11,
      correlationId: 1,
      clientId: 'bench',
      body: single,
      writeBody: writeProduceRequest,
    })
  })

  bench('encodeRequest v8 (classic encodings), 16 partitions', () => {
    encodeRequest({
      api: produceApi,
      apiVersion: 8,
      correlationId: 1,
      clientId: 'bench',
      body: request,
      writeBody: writeProduceRequest,
    })
  })
})

describe('Produce response decode', () => {
  bench('readProduceResponse v11, 16 partitions', () => {
    readProduceResponse(new Reader(responseBytes), 11)
  })

  bench('FrameSplitter on a 256 KiB Produce frame in 64 KiB socket chunks', () => {
    const splitter = new FrameSplitter()
    for (let offset = 0; offset < framed.length; offset += 65_536)
      splitter.push(framed.subarray(offset, offset + 65_536))
  })
})
