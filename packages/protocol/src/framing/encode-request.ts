import type { ApiInfo } from '../messages/api-info.js'
import { writeRequestHeader } from '../messages/generated/request-header.js'
import { Writer } from '../primitives/writer.js'
import { requestHeaderVersionFor } from './header-versions.js'

export interface EncodeRequestOptions<Body> {
  /** The API's descriptor, e.g. `produceApi`. */
  api: ApiInfo
  apiVersion: number
  correlationId: number
  /** `client.id`; null leaves it out (written as a null string). */
  clientId: string | null
  body: Body
  /** The generated request writer, e.g. `writeProduceRequest`. */
  writeBody: (writer: Writer, version: number, body: Body) => void
  /** Scratch bytes to start with; headers and small requests fit in the default 256. */
  initialCapacity?: number
}

/**
 * One request as the chunks to write to the socket, in order: the 4-byte size, the request header (version
 * chosen from the API and version), then the body. Record batches in the body are referenced, not copied,
 * so the chunk list can go to `socket.writev`/`socket.cork` as is.
 */
export function encodeRequest<Body>(options: EncodeRequestOptions<Body>): Uint8Array[] {
  const writer = new Writer(options.initialCapacity)
  const size = writer.reserveInt32()
  writeRequestHeader(writer, requestHeaderVersionFor(options.api, options.apiVersion), {
    requestApiKey: options.api.apiKey,
    requestApiVersion: options.apiVersion,
    correlationId: options.correlationId,
    clientId: options.clientId,
  })
  options.writeBody(writer, options.apiVersion, options.body)
  writer.patchInt32(size, writer.byteLength - 4)
  return writer.toChunks()
}
