/** A header as given to `send()`: a string value is written as UTF-8, `null` as Kafka's null header value. */
export interface ProducerHeader {
  readonly key: string
  readonly value: Uint8Array | string | null
}

/**
 * Headers of a record: a list (kept in order, duplicates allowed, as Kafka stores them) or an object of
 * key → value. A list whose values are all bytes or null is written without any copy.
 */
export type ProducerHeaders = readonly ProducerHeader[] | Readonly<Record<string, Uint8Array | string | null>>

/**
 * One record to send (Java `ProducerRecord`). Only `topic` is required. `partition` pins the partition
 * (else the partitioner decides); `timestamp` is epoch milliseconds (default: the time of `send()`; a topic
 * with `message.timestamp.type=LogAppendTime` overrides it with the broker's time).
 */
export interface ProducerRecord<K = unknown, V = unknown> {
  readonly topic: string
  readonly key?: K | null
  readonly value?: V | null
  readonly partition?: number | null
  readonly timestamp?: number | null
  readonly headers?: ProducerHeaders | null
}
