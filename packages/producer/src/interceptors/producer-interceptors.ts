import type { Header } from '@x/accumulator'
import { failedRecordMetadata } from '../record/failed-metadata.js'
import type { ProducerRecord } from '../record/producer-record.js'
import type { RecordMetadata } from '../record/record-metadata.js'
import type { ProducerInterceptor } from './producer-interceptor.js'

/** Where an interceptor's exception goes instead of the caller (the producer emits an event). */
export type InterceptorErrorReporter = (
  hook: 'onSend' | 'onAcknowledgement' | 'close',
  error: unknown,
  interceptorIndex: number,
) => void

/**
 * The chain of interceptors (Java `ProducerInterceptors`): runs them in order and never lets one's exception
 * escape, reporting it instead. The producer keeps `undefined` instead of an empty chain, so a producer
 * without interceptors pays nothing per record.
 */
export class ProducerInterceptors<K, V> {
  constructor(
    private readonly interceptors: readonly ProducerInterceptor<K, V>[],
    private readonly report: InterceptorErrorReporter,
  ) {}

  /** Each interceptor's `onSend` in turn; one that throws is skipped and its input goes on unchanged. */
  onSend(record: ProducerRecord<K, V>): ProducerRecord<K, V> {
    let current = record
    for (let index = 0; index < this.interceptors.length; index++) {
      const interceptor = this.interceptors[index]!
      if (interceptor.onSend === undefined) continue
      try {
        current = interceptor.onSend(current)
      } catch (error) {
        this.report('onSend', error, index)
      }
    }
    return current
  }

  onAcknowledgement(
    metadata: RecordMetadata,
    error: Error | undefined,
    headers: readonly Header[] | null,
  ): void {
    for (let index = 0; index < this.interceptors.length; index++) {
      const interceptor = this.interceptors[index]!
      if (interceptor.onAcknowledgement === undefined) continue
      try {
        interceptor.onAcknowledgement(metadata, error, headers)
      } catch (thrown) {
        this.report('onAcknowledgement', thrown, index)
      }
    }
  }

  /**
   * A record failed before it reached a batch (Java `onSendError`): `onAcknowledgement` with metadata that
   * carries only the topic and the partition known so far.
   */
  onSendError(topic: string, partition: number, error: Error, headers: readonly Header[] | null): void {
    this.onAcknowledgement(failedRecordMetadata(topic, partition), error, headers)
  }

  close(): void {
    for (let index = 0; index < this.interceptors.length; index++) {
      try {
        this.interceptors[index]!.close?.()
      } catch (error) {
        this.report('close', error, index)
      }
    }
  }
}
