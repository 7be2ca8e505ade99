import type { RecordMetadata } from '../record/record-metadata.js'

/**
 * Told once how a record ended (Java `Callback.onCompletion(metadata, exception)`, same argument order).
 * On failure `metadata` still names the topic and the partition (`-1` if none was chosen yet), with offset
 * `-1n`. Runs before the `send()` promise settles; an exception it throws is reported as a `callback-error`
 * event and does not affect the promise.
 */
export type SendCallback = (metadata: RecordMetadata, error: Error | undefined) => void
