import type { ProducerHeader, ProducerHeaders, ProducerRecord } from '../record/producer-record.js'
import type { OtelSpanContext } from './otel-api.js'

export const TRACEPARENT_HEADER = 'traceparent'
export const TRACESTATE_HEADER = 'tracestate'

const INVALID_TRACE_ID = '00000000000000000000000000000000'
const INVALID_SPAN_ID = '0000000000000000'

/** W3C Trace Context `traceparent` (version 00) of a span, or undefined for an invalid (no-op) context. */
export function formatTraceparent(context: OtelSpanContext): string | undefined {
  const { traceId, spanId } = context
  if (
    traceId.length !== 32 ||
    spanId.length !== 16 ||
    traceId === INVALID_TRACE_ID ||
    spanId === INVALID_SPAN_ID
  )
    return undefined
  const flags = (context.traceFlags & 0xff).toString(16).padStart(2, '0')
  return `00-${traceId}-${spanId}-${flags}`
}

/**
 * The record with the span's `traceparent` (and `tracestate` when not empty) as headers, replacing any the
 * record had — the producer span becomes the consumer's parent. The caller's record is not modified.
 */
export function withTraceContext<K, V>(
  record: ProducerRecord<K, V>,
  context: OtelSpanContext,
): ProducerRecord<K, V> {
  const traceparent = formatTraceparent(context)
  if (traceparent === undefined) return record
  const tracestate = context.traceState?.serialize() ?? ''
  const given = record.headers
  // Not headers at all: leave the record as it is, for validation to refuse.
  if (given !== null && given !== undefined && typeof given !== 'object') return record
  let headers: ProducerHeaders
  if (given === null || given === undefined || Array.isArray(given)) {
    const list: ProducerHeader[] = []
    if (given)
      for (const header of given as readonly ProducerHeader[])
        if (header?.key !== TRACEPARENT_HEADER && header?.key !== TRACESTATE_HEADER) list.push(header)
    list.push({ key: TRACEPARENT_HEADER, value: traceparent })
    if (tracestate !== '') list.push({ key: TRACESTATE_HEADER, value: tracestate })
    headers = list
  } else {
    const object: Record<string, Uint8Array | string | null> = {
      ...(given as Readonly<Record<string, Uint8Array | string | null>>),
      [TRACEPARENT_HEADER]: traceparent,
    }
    if (tracestate !== '') object[TRACESTATE_HEADER] = tracestate
    else delete object[TRACESTATE_HEADER]
    headers = object
  }
  return { ...record, headers }
}
