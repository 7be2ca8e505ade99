/**
 * What the generator emits. Adding an API is one line in `apis` (the name as in the spec files, without
 * `Request`/`Response`).
 */
export const apis = [
  'Produce',
  'Fetch',
  'ListOffsets',
  'Metadata',
  'FindCoordinator',
  'SaslHandshake',
  'ApiVersions',
  'CreateTopics',
  'DeleteTopics',
  'InitProducerId',
  'AddPartitionsToTxn',
  'AddOffsetsToTxn',
  'EndTxn',
  'TxnOffsetCommit',
  'SaslAuthenticate',
] as const

/** Header specs, generated to their own files for the framing code. */
export const headers = ['RequestHeader', 'ResponseHeader'] as const

/** Specs folder, relative to the repository root (the shared reference material sits beside the repo). */
export const defaultSpecsDir = '../shared/kafka-message-specs'

/** Output folder, relative to the repository root. */
export const defaultOutDir = 'packages/protocol/src/messages/generated'
