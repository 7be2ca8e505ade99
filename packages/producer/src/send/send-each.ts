import type { ProducerRecord } from '../record/producer-record.js'
import type { SendResult } from './batch-send.js'
import type { SendCallback } from './send-callback.js'

/**
 * `sendBatch` as one `send()` per record with a callback, the results gathered in `Promise.allSettled`'s shape.
 * Used where each record needs its own send: observed records and cancellable batches. A record whose send
 * throws gets a rejected result, and the others go on.
 */
export function sendEach<K, V>(
  records: readonly ProducerRecord<K, V>[],
  sendOne: (record: ProducerRecord<K, V>, callback: SendCallback) => unknown,
): Promise<SendResult[]> {
  const results = new Array<SendResult>(records.length)
  let remaining = records.length
  if (remaining === 0) return Promise.resolve(results)
  return new Promise<SendResult[]>((resolve) => {
    const settle = (index: number, result: SendResult) => {
      results[index] = result
      if (--remaining === 0) resolve(results)
    }
    for (let index = 0; index < records.length; index++) {
      try {
        sendOne(records[index]!, (metadata, error) =>
          settle(
            index,
            error === undefined
              ? { status: 'fulfilled', value: metadata }
              : { status: 'rejected', reason: error },
          ),
        )
      } catch (error) {
        settle(index, { status: 'rejected', reason: error })
      }
    }
  })
}
