import type { Header } from '@x/accumulator'

/**
 * Turns a key or value into bytes (Java `org.apache.kafka.common.serialization.Serializer`). Called once per
 * record on the synchronous send path: return the bytes without copying them again, and `null` for a null
 * (tombstone) value or a missing key. Throwing fails that one record with a `SerializationError`.
 *
 * @typeParam T the key or value type before serialization
 */
export interface Serializer<T> {
  /**
   * @param topic the record's topic
   * @param data the key or value; `null`/`undefined` for none
   * @param headers the record's headers as they will be written (read-only)
   */
  serialize(topic: string, data: T | null | undefined, headers: readonly Header[] | null): Uint8Array | null
  /** Optional: released when the producer closes. */
  close?(): void
}
