import { KafkaHarnessError } from '../kafka-harness-error.js'
import { type BrokerAddress, exchange } from './kafka-exchange.js'
import { RequestWriter, ResponseReader } from './wire-codec.js'

const LIST_OFFSETS = 2
const VERSION = 4
const LATEST_TIMESTAMP = -1n

export interface ListedOffset {
  partition: number
  errorCode: number
  offset: bigint
}

/** Encodes a ListOffsets v4 request for the latest offset of `partitions` of `topic`, as a consumer asks. */
export function encodeListOffsetsV4(correlationId: number, topic: string, partitions: number[]): Buffer {
  const writer = new RequestWriter(LIST_OFFSETS, VERSION, correlationId)
  writer.int32(-1).int8(0) // replica id: a consumer; isolation level: read_uncommitted
  writer.int32(1).string(topic).int32(partitions.length)
  for (const partition of partitions) writer.int32(partition).int32(-1).int64(LATEST_TIMESTAMP)
  return writer.frame()
}

/** Decodes a ListOffsets v4 response frame (response header v0) for one topic. */
export function decodeListOffsetsV4(frame: Buffer, correlationId: number): ListedOffset[] {
  const r = new ResponseReader(frame)
  const got = r.int32()
  if (got !== correlationId) {
    throw new KafkaHarnessError(
      'PROTOCOL_ERROR',
      `ListOffsets answered correlation id ${got}, expected ${correlationId}`,
    )
  }
  r.int32() // throttle_time_ms
  return r
    .array(() => {
      r.string() // topic name
      return r.array(() => {
        const partition = r.int32()
        const errorCode = r.int16()
        r.int64() // timestamp
        const offset = r.int64()
        r.int32() // leader epoch
        return { partition, errorCode, offset }
      })
    })
    .flat()
}

let nextCorrelationId = 1

/**
 * Asks a partition leader for the latest offsets (hand-encoded ListOffsets v4). Right after a topic is
 * created, a broker can already list the new leaders in its metadata while its replica manager has not yet
 * become leader (it answers NOT_LEADER_OR_FOLLOWER): error code 0 here means produce-ready.
 */
export async function listLatestOffsets(
  address: BrokerAddress,
  topic: string,
  partitions: number[],
  timeoutMs = 5_000,
): Promise<ListedOffset[]> {
  const correlationId = nextCorrelationId++
  return decodeListOffsetsV4(
    await exchange(address, encodeListOffsetsV4(correlationId, topic, partitions), timeoutMs),
    correlationId,
  )
}
