import { NO_TIMESTAMP } from '@x/accumulator'
import { RecordMetadata } from './record-metadata.js'

/**
 * The metadata Java hands to callbacks and interceptors of a record that failed: topic and partition (`-1`
 * when not chosen yet), offset `-1n`, no timestamp, sizes `-1`.
 */
export function failedRecordMetadata(topic: string, partition: number): RecordMetadata {
  return new RecordMetadata(topic, partition, -1n, NO_TIMESTAMP, -1, -1)
}
