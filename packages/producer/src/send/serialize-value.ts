import type { Header } from '@x/accumulator'
import { SerializationError } from '../errors/serialization-error.js'
import type { Serializer } from '../serialization/serializer.js'
import { asError } from './as-error.js'

/**
 * Runs a key or value serializer. `undefined` counts as null; anything but bytes or null, or a throw, is a
 * `SerializationError` naming the topic and the part (Java wraps a serializer's `ClassCastException` alike).
 */
export function serializeValue<T>(
  part: 'key' | 'value',
  serializer: Serializer<T>,
  topic: string,
  data: T | null | undefined,
  headers: readonly Header[] | null,
): Uint8Array | null {
  let bytes: Uint8Array | null | undefined
  try {
    bytes = serializer.serialize(topic, data, headers)
  } catch (cause) {
    throw new SerializationError({
      topic,
      part,
      cause,
      message: `Can't serialize the ${part} of a record for topic ${topic}: ${asError(cause).message}`,
    })
  }
  if (bytes === undefined || bytes === null) return null
  if (!(bytes instanceof Uint8Array)) {
    throw new SerializationError({
      topic,
      part,
      message: `The ${part} serializer returned a ${typeof bytes} for topic ${topic}: a serializer must return a Uint8Array (or a Buffer) or null.`,
    })
  }
  return bytes
}
