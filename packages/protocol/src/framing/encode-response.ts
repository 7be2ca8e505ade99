import type { ApiInfo } from '../messages/api-info.js'
import { writeResponseHeader } from '../messages/generated/response-header.js'
import { Writer } from '../primitives/writer.js'
import { responseHeaderVersionFor } from './header-versions.js'

export interface EncodeResponseOptions<Body> {
  api: ApiInfo
  /** The version of the request being answered. */
  apiVersion: number
  correlationId: number
  body: Body
  /** The generated response writer, e.g. `writeProduceResponse`. */
  writeBody: (writer: Writer, version: number, body: Body) => void
  initialCapacity?: number
}

/** One response as size-prefixed chunks: what a broker (the embedded test cluster) writes back. */
export function encodeResponse<Body>(options: EncodeResponseOptions<Body>): Uint8Array[] {
  const writer = new Writer(options.initialCapacity)
  const size = writer.reserveInt32()
  writeResponseHeader(writer, responseHeaderVersionFor(options.api, options.apiVersion), {
    correlationId: options.correlationId,
  })
  options.writeBody(writer, options.apiVersion, options.body)
  writer.patchInt32(size, writer.byteLength - 4)
  return writer.toChunks()
}
