import { ProtocolDecodeError } from '../errors/protocol-decode-error.js'
import { type RequestHeader, readRequestHeader } from '../messages/generated/request-header.js'
import { type ResponseHeader, readResponseHeader } from '../messages/generated/response-header.js'
import { Reader } from '../primitives/reader.js'
import { requestHeaderVersion, responseHeaderVersion } from './header-versions.js'

export interface DecodedRequestHeader {
  header: RequestHeader
  headerVersion: number
  /** Positioned at the request body. */
  reader: Reader
}

export interface DecodedResponseHeader {
  header: ResponseHeader
  headerVersion: number
  /** Positioned at the response body. */
  reader: Reader
}

function checkLength(frame: Uint8Array, bytes: number, what: string): void {
  if (frame.length < bytes) {
    throw new ProtocolDecodeError(`A ${what} frame of ${frame.length} bytes is too short for its header`)
  }
}

/**
 * Reads a request frame's header (the broker side). The API key and version come first in every header
 * version, so they pick the header version; the reader returned is positioned at the body.
 */
export function decodeRequestHeader(frame: Uint8Array): DecodedRequestHeader {
  checkLength(frame, 8, 'request')
  const apiKey = (frame[0]! << 8) | frame[1]!
  const apiVersion = (frame[2]! << 8) | frame[3]!
  const headerVersion = requestHeaderVersion(apiKey, apiVersion)
  const reader = new Reader(frame)
  const header = readRequestHeader(reader, headerVersion)
  return { header, headerVersion, reader }
}

/**
 * The correlation id of a response frame: its first 4 bytes in every header version, so the client can
 * find which request (API and version) it answers before reading the rest.
 */
export function peekCorrelationId(frame: Uint8Array): number {
  checkLength(frame, 4, 'response')
  return (frame[0]! << 24) | (frame[1]! << 16) | (frame[2]! << 8) | frame[3]! | 0
}

/** Reads a response frame's header for the request it answers; the reader is positioned at the body. */
export function decodeResponseHeader(
  frame: Uint8Array,
  apiKey: number,
  apiVersion: number,
): DecodedResponseHeader {
  const headerVersion = responseHeaderVersion(apiKey, apiVersion)
  const reader = new Reader(frame)
  const header = readResponseHeader(reader, headerVersion)
  return { header, headerVersion, reader }
}
