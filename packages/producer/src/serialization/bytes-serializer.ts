import type { Serializer } from './serializer.js'

/**
 * Bytes as they are (a `Buffer` is a `Uint8Array`, so it passes through without a copy); a string is encoded
 * as UTF-8, so plain-text keys need no serializer of their own. The default key and value serializer
 * (Java's `ByteArraySerializer`, plus strings).
 */
export const bytesSerializer: Serializer<Uint8Array | string> = {
  serialize(_topic, data) {
    if (data === null || data === undefined) return null
    if (data instanceof Uint8Array) return data
    if (typeof data === 'string') return Buffer.from(data, 'utf8')
    throw new TypeError(
      `bytesSerializer takes a Uint8Array, a Buffer or a string, got ${describe(data)}: configure a ` +
        'keySerializer/valueSerializer for this type (jsonSerializer for objects).',
    )
  },
}

/** A short description of a value's type for error messages. */
export function describe(data: unknown): string {
  if (data === null) return 'null'
  if (typeof data !== 'object') return typeof data
  return (data as object).constructor?.name ?? 'object'
}
