import { Observable, type OperatorFunction } from 'rxjs'
import type { ProducerRecord } from '../record/producer-record.js'
import type { RecordMetadata } from '../record/record-metadata.js'

/** What `sendRecords` needs from a producer; `KafkaProducer` is one. */
export interface RecordSink<K, V> {
  send(record: ProducerRecord<K, V>): Promise<RecordMetadata>
  /**
   * `undefined` while `send()` appends at once; otherwise a promise that resolves once sends waiting for
   * memory (`buffer.memory` is spent) or metadata have gone through.
   */
  backPressure(): Promise<void> | undefined
}

interface Pending {
  metadata: RecordMetadata | undefined
  error: unknown
  settled: boolean
}

/**
 * Pipes an Observable of records into a producer and emits each record's `RecordMetadata`, in the order the
 * records arrived (whatever order partitions are acknowledged in).
 *
 * Back-pressure is bounded by `buffer.memory`: records go to `send()` one by one while the producer appends
 * them at once; when the producer must wait for memory (or a topic's metadata), the operator stops calling
 * `send()` and holds later records, unserialized, until the waiting sends went through. RxJS cannot slow a
 * push source down, so with a source faster than the brokers those held records are where memory grows:
 * pull from a lazy source (`concatMap` over pages, an async iterable through `from`) when that matters.
 *
 * The first record that fails (in arrival order) errors the output; records already handed to the producer
 * still complete there. Unsubscribing stops taking records; it does not cancel records already sent.
 *
 * @example
 * ```ts
 * from(orders).pipe(
 *   map((order) => ({ topic: 'orders', key: order.id, value: JSON.stringify(order) })),
 *   sendRecords(producer),
 * ).subscribe((metadata) => console.log(`${metadata}`))
 * ```
 */
export function sendRecords<K, V>(
  producer: RecordSink<K, V>,
): OperatorFunction<ProducerRecord<K, V>, RecordMetadata> {
  return (source) =>
    new Observable<RecordMetadata>((subscriber) => {
      const held: ProducerRecord<K, V>[] = []
      let heldHead = 0
      const pending: Pending[] = []
      let pendingHead = 0
      let paused = false
      let sourceDone = false
      let stopped = false

      const emitSettled = () => {
        while (!stopped && pendingHead < pending.length && pending[pendingHead]!.settled) {
          const entry = pending[pendingHead]!
          pending[pendingHead++] = undefined as unknown as Pending
          if (entry.metadata === undefined) {
            stopped = true
            subscriber.error(entry.error)
            return
          }
          subscriber.next(entry.metadata)
        }
        if (pendingHead > 1024 && pendingHead * 2 > pending.length) {
          pending.splice(0, pendingHead)
          pendingHead = 0
        }
        if (!stopped && sourceDone && heldHead === held.length && pendingHead === pending.length) {
          stopped = true
          subscriber.complete()
        }
      }

      const dispatch = (record: ProducerRecord<K, V>) => {
        const entry: Pending = { metadata: undefined, error: undefined, settled: false }
        let sent: Promise<RecordMetadata>
        try {
          sent = producer.send(record)
        } catch (error) {
          entry.error = error
          entry.settled = true
          pending.push(entry)
          emitSettled()
          return
        }
        pending.push(entry)
        sent.then(
          (metadata) => {
            entry.metadata = metadata
            entry.settled = true
            emitSettled()
          },
          (error: unknown) => {
            entry.error = error
            entry.settled = true
            emitSettled()
          },
        )
        const wait = producer.backPressure()
        if (wait !== undefined) {
          paused = true
          wait.then(resume, resume)
        }
      }

      const resume = () => {
        paused = false
        while (!stopped && !paused && heldHead < held.length) {
          const record = held[heldHead]!
          held[heldHead++] = undefined as unknown as ProducerRecord<K, V>
          dispatch(record)
        }
        if (heldHead === held.length) {
          held.length = 0
          heldHead = 0
        }
        emitSettled()
      }

      const subscription = source.subscribe({
        next: (record) => {
          if (stopped) return
          if (paused || heldHead < held.length) held.push(record)
          else dispatch(record)
        },
        error: (error: unknown) => {
          stopped = true
          subscriber.error(error)
        },
        complete: () => {
          sourceDone = true
          emitSettled()
        },
      })
      return () => {
        stopped = true
        subscription.unsubscribe()
      }
    })
}
