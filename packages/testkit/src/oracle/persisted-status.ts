import { ApiError, KafkaError } from '@x/protocol'

/**
 * Whether a failed record may be in the log anyway (librdkafka's NOT_PERSISTED / POSSIBLY_PERSISTED /
 * PERSISTED): `no` may never be read back (reading it is an aborted read), `maybe` may (reported, allowed).
 */
export type PersistedStatus = 'no' | 'maybe' | 'yes'

// Failures before a record reached a batch: it cannot have been written.
const NEVER_SENT = new Set([
  'BUFFER_EXHAUSTED',
  'ALLOCATION_TOO_LARGE',
  'BUFFER_POOL_CLOSED',
  'INVALID_ARGUMENT',
  'INVALID_TOPIC_EXCEPTION',
  'SERIALIZATION_ERROR',
  'INVALID_CONFIG',
  'ILLEGAL_STATE',
  'PRODUCER_CLOSED',
  'MESSAGE_TOO_LARGE', // the client's size check, or the broker refusing the batch: nothing appended
])

const NAMED: Record<string, PersistedStatus> = {
  no: 'no',
  maybe: 'maybe',
  yes: 'yes',
  NOT_PERSISTED: 'no',
  POSSIBLY_PERSISTED: 'maybe',
  PERSISTED: 'yes',
}

/**
 * The persisted status of a send's error. An error that says so itself (a `persisted` property: `no`,
 * `maybe`, `yes` or librdkafka's names) is taken at its word. Otherwise: failures before the record reached
 * a batch (buffer exhausted, invalid record, serializer, metadata not there within `max.block.ms`) and
 * non-retriable broker errors (the broker refused the batch) are `no`; everything else — a delivery timeout,
 * a forced close, a network error, retries exhausted on a retriable error — is `maybe`, because an earlier
 * attempt whose response was lost may have been appended.
 */
export function persistedStatusOf(error: unknown): PersistedStatus {
  if (typeof error !== 'object' || error === null) return 'maybe'
  const declared = (error as { persisted?: unknown }).persisted
  if (typeof declared === 'string' && NAMED[declared] !== undefined) return NAMED[declared]
  if ((error as { timeout?: unknown }).timeout === 'max.block.ms') return 'no'
  if (ApiError.isInstance(error)) return error.retriable ? 'maybe' : 'no'
  if (KafkaError.isInstance(error) && NEVER_SENT.has(error.code)) return 'no'
  return 'maybe'
}
