import { KafkaHarnessError } from '../kafka-harness-error.js'
import { type BrokerAddress, exchange } from './kafka-exchange.js'
import { RequestWriter, ResponseReader } from './wire-codec.js'

export interface ApiVersionRange {
  apiKey: number
  minVersion: number
  maxVersion: number
}

export interface ApiVersionsResult {
  errorCode: number
  apis: ApiVersionRange[]
}

const API_VERSIONS = 18

/** Decodes an ApiVersions v0 response frame (response header v0: correlation id, then the body). */
export function decodeApiVersionsV0(frame: Buffer, correlationId: number): ApiVersionsResult {
  const reader = new ResponseReader(frame)
  const got = reader.int32()
  if (got !== correlationId) {
    throw new KafkaHarnessError(
      'PROTOCOL_ERROR',
      `ApiVersions answered correlation id ${got}, expected ${correlationId}`,
    )
  }
  const errorCode = reader.int16()
  const apis = reader.array(() => ({
    apiKey: reader.int16(),
    minVersion: reader.int16(),
    maxVersion: reader.int16(),
  }))
  return { errorCode, apis }
}

/**
 * The protocol-level readiness probe: an ApiVersions v0 request, hand-encoded (request header v1, empty
 * body), over a fresh TCP connection. Every broker since 0.10 answers v0; error code 0 and a non-empty
 * API list mean the broker's request path is up, not just its listening socket.
 */
export async function probeApiVersions(
  address: BrokerAddress,
  timeoutMs = 5_000,
): Promise<ApiVersionsResult> {
  const correlationId = 0x4b48 // "KH"
  const frame = new RequestWriter(API_VERSIONS, 0, correlationId).frame()
  return decodeApiVersionsV0(await exchange(address, frame, timeoutMs), correlationId)
}
