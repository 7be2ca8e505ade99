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

/**
 * Specs folder, relative to the repository root: the specs of the allow-listed APIs, vendored unchanged from
 * the shared reference material (`../shared/kafka-message-specs`) so any clone can regenerate and check.
 */
export const defaultSpecsDir = 'tools/codegen/specs'

/** The shared reference copy beside the repository, when present (the vendored specs must equal it). */
export const sharedSpecsDir = '../shared/kafka-message-specs'

/** Output folder, relative to the repository root. */
export const defaultOutDir = 'packages/protocol/src/messages/generated'

/**
 * A made-up spec that uses the features the allow-listed APIs do not (float64, uint16, nullable structs...),
 * generated beside the tests so the type checker and the round-trip tests cover that output too.
 */
export const fixture = {
  specsDir: 'tools/codegen/src/__fixtures__/specs',
  outDir: 'tools/codegen/src/__fixtures__/generated',
  apis: ['Widget'],
  importBase: '../../../../../packages/protocol/src',
} as const
