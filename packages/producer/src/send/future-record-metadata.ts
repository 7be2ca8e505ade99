import type { RecordMetadata } from '../record/record-metadata.js'

/**
 * What `send(record, callback)` returns (Java's `Future<RecordMetadata>`, whose implementation Java calls
 * `FutureRecordMetadata`): the record's outcome, usable wherever a `Promise<RecordMetadata>` is — `await`,
 * `.then`/`.catch`/`.finally`, `Promise.all`/`allSettled`/`race`, `Promise.resolve(future)`.
 *
 * It is not a native promise (`instanceof Promise` and `util.types.isPromise` are false): a pending native
 * promise costs about 200 bytes per record, and a caller who passed a callback rarely wants one, so the
 * producer makes it only when something subscribes. Subscribing costs a little more than on a native promise
 * (V8 adopts a thenable through an extra job: `await future` settles one or two microtask ticks later).
 * `send(record)` without a callback returns a native promise.
 */
export interface FutureRecordMetadata extends Promise<RecordMetadata> {
  readonly [Symbol.toStringTag]: 'FutureRecordMetadata'
}
