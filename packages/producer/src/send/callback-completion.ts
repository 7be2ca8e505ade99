import type { ProducerBatch, RecordCompletion } from '@x/accumulator'
import { failedRecordMetadata } from '../record/failed-metadata.js'
import type { RecordMetadata } from '../record/record-metadata.js'
import { acknowledgedMetadata, type CompletionContext } from './pending-record.js'
import type { SendCallback } from './send-callback.js'

/**
 * What a batch holds for the records of `send(record, callback)` once they are appended, when no interceptor
 * needs their headers: one object per callback, shared by every record sent with it, in place of each
 * record's `SendCompletion` (see `SendCompletion.detach`). The batch keeps each record's create time and sizes
 * itself, so a pending record costs the batch a pointer and three numbers instead of a ~130-byte object that
 * lives until the broker answers; the `FutureRecordMetadata` that `send()` returned dies young unless the
 * caller keeps it.
 *
 * Settles like `SendCompletion` without interceptors: the error metric on failure, then the callback; a
 * callback that throws is reported, never rethrown into the batch.
 */
export class CallbackCompletion implements RecordCompletion {
  constructor(
    private readonly context: CompletionContext,
    readonly callback: SendCallback,
  ) {}

  onCompletion(batch: ProducerBatch, index: number, error: Error | undefined): void {
    let metadata: RecordMetadata
    if (error === undefined) {
      metadata = acknowledgedMetadata(
        batch,
        index,
        batch.recordTimestamp(index),
        batch.recordKeySize(index),
        batch.recordValueSize(index),
      )
    } else {
      metadata = failedRecordMetadata(batch.topic, batch.partition)
      this.context.recordError()
    }
    try {
      this.callback(metadata, error)
    } catch (thrown) {
      this.context.reportCallbackError(thrown, metadata)
    }
  }
}
