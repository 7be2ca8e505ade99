import type { Serializer } from './serializer.js'

/**
 * Any JSON-serializable value as UTF-8 `JSON.stringify` output; `null` and `undefined` stay null (a
 * tombstone), as Kafka Connect's JSON converter does. A value `JSON.stringify` rejects (a cycle, a `BigInt`)
 * fails its record with a `SerializationError`.
 */
export const jsonSerializer: Serializer<unknown> = {
  serialize(_topic, data) {
    if (data === null || data === undefined) return null
    const text = JSON.stringify(data)
    if (text === undefined) {
      throw new TypeError(
        `jsonSerializer cannot serialize a ${typeof data} (JSON.stringify returned undefined).`,
      )
    }
    return Buffer.from(text, 'utf8')
  },
}
