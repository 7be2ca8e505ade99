import { describe } from './bytes-serializer.js'
import type { Serializer } from './serializer.js'

/** Strings as UTF-8 (Java's `StringSerializer` with its default encoding). Anything else is refused. */
export const stringSerializer: Serializer<string> = {
  serialize(_topic, data) {
    if (data === null || data === undefined) return null
    if (typeof data !== 'string') {
      throw new TypeError(
        `stringSerializer takes a string, got ${describe(data)}: convert it first, or configure another serializer.`,
      )
    }
    return Buffer.from(data, 'utf8')
  },
}
