import type { RecordMetadata } from '../record/record-metadata.js'

/**
 * What `send()` returns (Java's `Future<RecordMetadata>`, whose implementation Java calls
 * `FutureRecordMetadata`): the record's outcome, usable wherever a `Promise<RecordMetadata>` is — `await`,
 * `.then`/`.catch`/`.finally`, `Promise.all`/`allSettled`/`race`, `Promise.resolve(future)`.
 *
 * It is not a native promise (`instanceof Promise` and `util.types.isPromise` are false): a native promise
 * costs every record about 200 bytes for as long as it is pending, so the producer creates one only when
 * something subscribes. `await future` and `Promise.resolve(future)` therefore settle one or two microtask
 * ticks later than they would on a native promise. A failure nobody subscribed to and no callback was given
 * for still becomes a native rejected promise, which Node reports as an unhandled rejection — as it did when
 * `send()` returned one.
 */
export interface FutureRecordMetadata extends Promise<RecordMetadata> {
  readonly [Symbol.toStringTag]: 'FutureRecordMetadata'
}
