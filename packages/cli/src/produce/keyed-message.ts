/** A message's key and value after kcat's rules. */
export interface KeyedMessage {
  key: Uint8Array | null
  value: Uint8Array | null
}

export interface KeyedMessageOptions {
  /** `-K`: the key is what precedes the first occurrence; a message without it has no key. */
  readonly keyDelimiter: Uint8Array | undefined
  /** `-k`: the key of every message that did not get one from `-K`. */
  readonly fixedKey: Uint8Array | undefined
  /** `-Z`: after a `-K` split, an empty key or value is sent as NULL. */
  readonly nullEmpty: boolean
}

/**
 * Splits one input message into key and value exactly as kcat does: `-K` at the first occurrence of the
 * delimiter; `-Z` turns an empty side of that split into NULL; `-k` fills in the key when there is none
 * (also when `-Z` made an empty key NULL). Returns views of `message`, no copies.
 */
export function toKeyedMessage(message: Buffer, options: KeyedMessageOptions): KeyedMessage {
  let key: Uint8Array | null = null
  let value: Uint8Array | null = message
  const delimiter = options.keyDelimiter
  if (delimiter !== undefined) {
    const at = message.indexOf(delimiter)
    if (at !== -1) {
      key = message.subarray(0, at)
      value = message.subarray(at + delimiter.length)
      if (options.nullEmpty) {
        if (value.length === 0) value = null
        if (key.length === 0) key = null
      }
    }
  }
  if (key === null && options.fixedKey !== undefined) key = options.fixedKey
  return { key, value }
}
