import { TestkitError } from '../testkit-error.js'

/** The header that repeats a record's identity, so a reader can check the value was not mixed up. */
export const ORACLE_HEADER = 'x-test-seq'

/**
 * What an oracle record carries in its value: the run, the producer that sent it, the logical key it was
 * sent under and its sequence number per (producer, key). Values are unique, so a copy read twice is a
 * duplicate and a sequence going backwards is reordering (Jepsen's queue checker).
 */
export interface OraclePayload {
  readonly runId: string
  readonly producerId: string
  readonly key: string
  readonly seq: number
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()
const SEPARATOR = 0x7c // '|'
const PAD = 0x2e // '.'

function checkField(name: string, value: string): void {
  if (value.length === 0 || value.includes('|')) {
    throw new TestkitError('INVALID_OPTION', `Oracle ${name} "${value}" must be non-empty and contain no "|"`)
  }
}

/** `runId|producerId|key|seq`: the identity written in the value and in the {@link ORACLE_HEADER} header. */
export function oracleIdentity(payload: OraclePayload): string {
  checkField('runId', payload.runId)
  checkField('producerId', payload.producerId)
  checkField('key', payload.key)
  return `${payload.runId}|${payload.producerId}|${payload.key}|${payload.seq}`
}

/**
 * The value bytes of an oracle record: its identity, then `|` and `.` padding up to `size` bytes when the
 * identity is shorter (records of a realistic size without changing what the checker reads).
 */
export function encodeOraclePayload(payload: OraclePayload, size = 0): Uint8Array {
  const identity = encoder.encode(oracleIdentity(payload))
  if (size <= identity.length + 1) return identity
  const bytes = new Uint8Array(size)
  bytes.set(identity)
  bytes[identity.length] = SEPARATOR
  bytes.fill(PAD, identity.length + 1)
  return bytes
}

/** The payload in a value written by {@link encodeOraclePayload}, or `undefined` for any other bytes. */
export function decodeOraclePayload(bytes: Uint8Array | null): OraclePayload | undefined {
  if (bytes === null) return undefined
  // the identity is the first four fields; anything after a fifth separator is padding
  let separators = 0
  let end = bytes.length
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== SEPARATOR) continue
    if (++separators === 4) {
      end = i
      break
    }
  }
  if (separators < 3) return undefined
  const fields = decoder.decode(bytes.subarray(0, end)).split('|')
  if (fields.length !== 4) return undefined
  const [runId, producerId, key, seqText] = fields as [string, string, string, string]
  const seq = Number(seqText)
  if (!runId || !producerId || !key || !Number.isSafeInteger(seq) || seq < 0 || String(seq) !== seqText)
    return undefined
  return { runId, producerId, key, seq }
}
