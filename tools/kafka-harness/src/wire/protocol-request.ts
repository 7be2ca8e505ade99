import { type ApiInfo, decodeResponseHeader, encodeRequest, type Reader, type Writer } from '@x/protocol'
import { KafkaHarnessError } from '../kafka-harness-error.js'
import { type BrokerAddress, exchange } from './kafka-exchange.js'

export interface ProtocolRequestOptions<Body, Response> {
  api: ApiInfo
  apiVersion: number
  body: Body
  /** The generated request writer, e.g. `writeMetadataRequest`. */
  write: (writer: Writer, version: number, body: Body) => void
  /** The generated response reader, e.g. `readMetadataResponse`. */
  read: (reader: Reader, version: number) => Response
  clientId?: string
  timeoutMs?: number
}

let nextCorrelationId = 1

/**
 * Sends one request encoded with @x/protocol's generated codecs (`encodeRequest` picks the header version)
 * on a fresh connection and decodes the answer with them: how integration tests speak to a real broker in
 * the project's own wire format, without the sender stack.
 */
export async function protocolRequest<Body, Response>(
  address: BrokerAddress,
  options: ProtocolRequestOptions<Body, Response>,
): Promise<Response> {
  const correlationId = nextCorrelationId++
  const chunks = encodeRequest({
    api: options.api,
    apiVersion: options.apiVersion,
    correlationId,
    clientId: options.clientId ?? 'kafka-harness',
    body: options.body,
    writeBody: options.write,
  })
  const frame = await exchange(address, chunks, options.timeoutMs)
  const { header, reader } = decodeResponseHeader(frame, options.api.apiKey, options.apiVersion)
  if (header.correlationId !== correlationId) {
    throw new KafkaHarnessError(
      'PROTOCOL_ERROR',
      `${options.api.name} v${options.apiVersion} answered correlation id ${header.correlationId}, expected ${correlationId}`,
    )
  }
  return options.read(reader, options.apiVersion)
}
