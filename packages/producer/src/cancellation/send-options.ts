import type { ProducerRecord } from '../record/producer-record.js'
import type { RecordMetadata } from '../record/record-metadata.js'
import type { SendCallback } from '../send/send-callback.js'
import type { SendPath } from '../send/send-path.js'
import { FlushAbortedError } from './flush-aborted-error.js'

/** The second argument of `send(record, options)`. */
export interface SendOptions {
  /**
   * Cancels the send: `NotWrittenError` while the record has not left the producer (it is dropped or taken out
   * of its batch), `MaybeWrittenError` once its batch was sent (the batch still completes normally). An
   * already aborted signal fails the send at once with `NotWrittenError`.
   */
  signal?: AbortSignal
  /** Java's `send(record, callback)` callback; with it `send` returns a `FutureRecordMetadata`. */
  callback?: SendCallback
}

/** The second argument of `sendBatch(records, options)`. */
export interface SendBatchOptions {
  /**
   * Cancels every record of the call, each as `send(record, { signal })` would: `NotWrittenError` for those
   * that have not left the producer, `MaybeWrittenError` for those already sent. With a signal each record
   * gets its own send and promise, so the call costs what as many `send()` calls do.
   */
  signal?: AbortSignal
}

/** The argument of `flush(options)`. */
export interface FlushOptions {
  /** Stops waiting: `flush` rejects with `FlushAbortedError`; the records keep being sent. */
  signal?: AbortSignal
}

/** `send(record, options)`: with a signal, the cancellable path; else as `send(record, callback)`. */
export function sendWithOptions<K, V>(
  sendPath: SendPath<K, V>,
  record: ProducerRecord<K, V>,
  options: SendOptions,
): Promise<RecordMetadata> {
  const { signal, callback } = options
  return signal === undefined
    ? sendPath.send(record, callback)
    : sendPath.sendCancellable(record, callback, signal)
}

/** `flush`'s promise, rejected with `FlushAbortedError` when `signal` fires first. */
export function flushUntilAborted(flush: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) {
    flush.catch(() => {})
    return Promise.reject(new FlushAbortedError({ cause: signal.reason }))
  }
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      flush.catch(() => {})
      reject(new FlushAbortedError({ cause: signal.reason }))
    }
    signal.addEventListener('abort', onAbort, { once: true })
    flush.then(
      () => {
        signal.removeEventListener('abort', onAbort)
        resolve()
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}
