import type { Header } from '@x/accumulator'
import type { ProducerRecord } from '../record/producer-record.js'
import type { RecordMetadata } from '../record/record-metadata.js'

/**
 * Sees every record before it is serialized and every outcome after (Java `ProducerInterceptor`). Every hook
 * is optional. A hook that throws never fails a send: the error is reported on `producer.events$` as an
 * `interceptor-error` event and the next interceptor runs, as in Java.
 *
 * `onAcknowledgement` runs on the producer's completion path, before the record's callback and promise
 * settle: keep it quick.
 */
export interface ProducerInterceptor<K = unknown, V = unknown> {
  /** May return a changed record (a new object), which the next interceptor and the producer then use. */
  onSend?(record: ProducerRecord<K, V>): ProducerRecord<K, V>
  /**
   * Called once per record when it was acknowledged (`error` undefined) or failed, including failures before
   * the record reached a batch (then `metadata.offset` is `-1n` and `metadata.partition` may be `-1`).
   * `headers` are the record's serialized headers, or null when it had none (Java 4.1+, KIP-512).
   */
  onAcknowledgement?(
    metadata: RecordMetadata,
    error: Error | undefined,
    headers: readonly Header[] | null,
  ): void
  /** Called once when the producer closes. */
  close?(): void
}
