import { KafkaError } from '@x/protocol'
import {
  growCompletionArray,
  growRecordInfo,
  NO_COMPLETIONS,
  NO_RECORD_INFO,
  RECORD_INFO_STRIDE,
  recycleCompletionArray,
  recycleRecordInfo,
  takeCompletionArray,
} from './completion-arrays.js'
import type { RecordCompletion } from './record-completion.js'
import type { Header, RecordsBuilder, RecordsBuilderFactory } from './records-builder.js'

/**
 * How a batch ended (Java `ProducerBatch.FinalState`), plus `split`: its records moved to smaller batches
 * after `MESSAGE_TOO_LARGE` and will complete there.
 */
export type FinalState = 'aborted' | 'failed' | 'succeeded' | 'split'

/** Java `RecordBatch.NO_SEQUENCE` / `NO_PRODUCER_ID` / `NO_PRODUCER_EPOCH` / `NO_TIMESTAMP`. */
export const NO_SEQUENCE = -1
export const NO_PRODUCER_ID = -1n
export const NO_PRODUCER_EPOCH = -1
export const NO_TIMESTAMP = -1

/** Where a record is now (see `ProducerBatch.locate`): its batch, and its index there. */
export interface RecordLocation {
  readonly batch: ProducerBatch
  readonly index: number
}

/** Reports an error thrown by a `RecordCompletion`; the other records of the batch still complete. */
export type CompletionErrorHandler = (error: unknown, batch: ProducerBatch, index: number) => void

/** Default: rethrow on a fresh stack, so a throwing completion surfaces as an uncaught exception, not lost. */
export const rethrowCompletionError: CompletionErrorHandler = (error) => {
  queueMicrotask(() => {
    throw error
  })
}

/**
 * One batch of records for one partition (Java `ProducerBatch`): a `RecordsBuilder` writing into a buffer
 * (pooled, except for batches made by `split`), one `RecordCompletion` per record, and the send bookkeeping —
 * attempts, creation/last-attempt/drain times, retry flag, leader epoch seen, producer id/epoch/sequence.
 *
 * Memory ownership: the buffer stays the batch's until `RecordAccumulator.deallocate(batch)` returns it to
 * the pool. The sender calls that only once the batch's request has settled and no socket write still
 * references `records()` (they are views of the buffer) — recycling it earlier corrupts a batch in flight
 * (KAFKA-19012).
 *
 * Completion: `complete`, `completeExceptionally` and `abort` call every record's completion exactly once,
 * in record order. A later second outcome is ignored when the first was a failure (an expired batch may still
 * succeed on the broker), and is an error after a success (Java's `FinalState` rules).
 */
export class ProducerBatch {
  readonly topic: string
  readonly partition: number
  readonly createdMs: number
  /** Made by `split`: its buffer is heap memory, not the pool's. */
  readonly isSplitBatch: boolean
  /** The memory the batch writes into; returned to the pool by `RecordAccumulator.deallocate`. */
  readonly buffer: Uint8Array

  recordCount = 0
  /** Server-assigned offset of record 0, set on success; -1n otherwise. */
  baseOffset = -1n
  /** Broker timestamp for LogAppendTime topics, else -1 (records keep their create time). */
  logAppendTime = NO_TIMESTAMP
  /** The error the batch failed with, when it did. */
  error: Error | undefined

  /** Replaced only by `removeRecord`, which rebuilds the open batch without one record. */
  private builder: RecordsBuilder
  private readonly estimatedCompressionRatio: number
  private readonly factory: RecordsBuilderFactory
  private readonly onCompletionError: CompletionErrorHandler
  /** One completion per record in `[0, completionCount)`; a recycled array (see completion-arrays.ts). */
  private completions: RecordCompletion[] = NO_COMPLETIONS
  private completionCount = 0
  /** Per record in `[0, completionCount)`: create time, key size, value size (see completion-arrays.ts). */
  private info: Float64Array = NO_RECORD_INFO
  /** Ordinals (append order, see `locate`) of the records `removeRecord` took out, ascending. */
  private removedOrdinals: number[] | undefined
  /** The per-record errors of a failed batch, kept for `recordError`. */
  private recordErrors: ((index: number) => Error | undefined) | undefined
  private state: FinalState | undefined
  private closedForAppends = false
  private aborted = false
  private builtRecords: Uint8Array | undefined
  private attemptCount = 0
  private lastAttemptMs: number
  private lastAppendMs: number
  private drainedAtMs = 0
  private retrying = false
  private reopened = false
  private currentEpoch: number | undefined
  private attemptsAtLeaderChange = 0
  private producerIdValue = NO_PRODUCER_ID
  private producerEpochValue = NO_PRODUCER_EPOCH
  private baseSequenceValue = NO_SEQUENCE
  private transactional = false
  private doneListeners: (() => void)[] | undefined
  /** The builder's size estimate after the last append, so hot checks do not ask the builder again. */
  private estimatedSize: number
  /** The builder has `tryAppend` (room check and append sizing the record once). */
  private readonly fusedAppend: boolean
  /** `buffer.byteLength`, read once: the batch is full once its estimated size reaches it. */
  private readonly capacity: number
  private splitInto: ProducerBatch[] | undefined

  constructor(options: {
    topic: string
    partition: number
    buffer: Uint8Array
    factory: RecordsBuilderFactory
    createdMs: number
    estimatedCompressionRatio?: number
    isSplitBatch?: boolean
    onCompletionError?: CompletionErrorHandler
  }) {
    this.topic = options.topic
    this.partition = options.partition
    this.buffer = options.buffer
    this.capacity = options.buffer.byteLength
    this.factory = options.factory
    this.createdMs = options.createdMs
    this.lastAttemptMs = options.createdMs
    this.lastAppendMs = options.createdMs
    this.isSplitBatch = options.isSplitBatch ?? false
    this.onCompletionError = options.onCompletionError ?? rethrowCompletionError
    this.estimatedCompressionRatio = options.estimatedCompressionRatio ?? 1
    this.builder = options.factory.create(options.buffer, this.estimatedCompressionRatio)
    this.estimatedSize = this.builder.estimatedSizeInBytes
    this.fusedAppend = typeof this.builder.tryAppend === 'function'
  }

  /**
   * Appends a record if it fits; returns false (and changes nothing) when it does not or the batch is closed
   * for appends. `completion` is kept and called once when the record's fate is known.
   */
  tryAppend(
    timestamp: number,
    key: Uint8Array | null,
    value: Uint8Array | null,
    headers: readonly Header[] | null,
    completion: RecordCompletion,
    nowMs: number,
  ): boolean {
    if (this.closedForAppends) return false
    const builder = this.builder
    if (this.fusedAppend) {
      if (builder.tryAppend!(timestamp, key, value, headers) < 0) return false
    } else {
      if (!builder.hasRoomFor(timestamp, key, value, headers)) return false
      builder.append(timestamp, key, value, headers)
    }
    const before = this.estimatedSize
    const after = builder.estimatedSizeInBytes
    this.estimatedSize = after
    const count = this.completionCount
    let completions = this.completions
    let info = this.info
    if (count === completions.length) {
      // First record: size the arrays for as many records of this size as the buffer holds.
      completions =
        count === 0
          ? takeCompletionArray(Math.ceil((this.capacity - before) / Math.max(1, after - before)) + 1)
          : growCompletionArray(completions, count)
      this.completions = completions
      info = growRecordInfo(info, count, completions.length)
      this.info = info
    }
    completions[count] = completion
    const at = count * RECORD_INFO_STRIDE
    info[at] = timestamp
    info[at + 1] = key === null ? -1 : key.byteLength
    info[at + 2] = value === null ? -1 : value.byteLength
    this.completionCount = count + 1
    this.recordCount++
    this.lastAppendMs = nowMs
    return true
  }

  /** Bytes the batch takes if sent now (compressed size estimated until `close()`). */
  get estimatedSizeInBytes(): number {
    return this.builtRecords === undefined ? this.estimatedSize : this.builtRecords.byteLength
  }

  /** Full: closed for appends, or at least one record and the size reached the buffer (the write limit). */
  isFull(): boolean {
    return this.closedForAppends || (this.recordCount > 0 && this.estimatedSize >= this.capacity)
  }

  /** Stops further appends; the records can still be closed and sent. */
  closeForRecordAppends(): void {
    this.closedForAppends = true
  }

  /** Closed: the final bytes are built (drained, or split). */
  isClosed(): boolean {
    return this.builtRecords !== undefined || this.aborted
  }

  /** Whether `tryAppend` would take this record now (side-effect free; for `explain`). */
  hasRoomFor(
    timestamp: number,
    key: Uint8Array | null,
    value: Uint8Array | null,
    headers: readonly Header[] | null,
  ): boolean {
    return !this.closedForAppends && this.builder.hasRoomFor(timestamp, key, value, headers)
  }

  /** True while `completion` is one of this batch's records (O(records); for cancellation only). */
  holds(completion: RecordCompletion): boolean {
    const completions = this.completions
    for (let i = 0; i < this.completionCount; i++) if (completions[i] === completion) return true
    return false
  }

  /**
   * Takes the record of `completion` out of a batch that was never drained (no bytes built, no producer
   * state, never retried, not made by a split), so it will never be sent; its completion is not called.
   * Returns false, changing nothing, when the batch may already be on the wire or does not hold the record.
   *
   * The records after it move one offset down, so the open batch is rebuilt: closed, decoded from a copy,
   * and re-appended into the same buffer by a fresh builder. That cost is paid only here (a cancelled
   * `send`); appends never pay for the possibility. The batch stays closed for appends if it was.
   */
  removeRecord(completion: RecordCompletion): boolean {
    if (
      this.builtRecords !== undefined ||
      this.aborted ||
      this.state !== undefined ||
      this.isSplitBatch ||
      this.attemptCount > 0 ||
      this.baseSequenceValue !== NO_SEQUENCE
    )
      return false
    const count = this.completionCount
    const completions = this.completions
    let index = -1
    for (let i = 0; i < count; i++) {
      if (completions[i] === completion) {
        index = i
        break
      }
    }
    if (index < 0) return false
    // Decoded records are views of their bytes: decode a copy, since the buffer is written again below.
    const records = [...this.factory.decode(this.builder.close().slice())]
    const builder = this.factory.create(this.buffer, this.estimatedCompressionRatio)
    for (let i = 0; i < records.length; i++) {
      if (i === index) continue
      const record = records[i]!
      builder.append(record.timestamp, record.key, record.value, record.headers)
    }
    this.builder = builder
    for (let i = index; i < count - 1; i++) completions[i] = completions[i + 1]!
    ;(completions as (RecordCompletion | undefined)[])[count - 1] = undefined
    const info = this.info
    info.copyWithin(index * RECORD_INFO_STRIDE, (index + 1) * RECORD_INFO_STRIDE, count * RECORD_INFO_STRIDE)
    this.noteRemoved(index)
    this.completionCount = count - 1
    this.recordCount--
    this.estimatedSize = builder.estimatedSizeInBytes
    return true
  }

  /**
   * Builds the final RecordBatch bytes with the producer state set so far (idempotent). Updates nothing
   * else: the accumulator feeds the achieved compression ratio to its estimator.
   */
  close(): Uint8Array {
    if (this.aborted) throw this.illegalState('cannot close a batch whose record appends were aborted')
    if (this.builtRecords === undefined) {
      this.closedForAppends = true
      if (this.baseSequenceValue !== NO_SEQUENCE || this.producerIdValue !== NO_PRODUCER_ID) {
        this.builder.setProducerState(
          this.producerIdValue,
          this.producerEpochValue,
          this.baseSequenceValue,
          this.transactional,
        )
      }
      this.builtRecords = this.builder.close()
    }
    this.reopened = false
    return this.builtRecords
  }

  /** The closed batch's bytes (a view of `buffer` unless compressed). Throws before `close()`. */
  records(): Uint8Array {
    if (this.builtRecords === undefined) throw this.illegalState('records() before close()')
    return this.builtRecords
  }

  /** Achieved compression ratio after `close()`, 1 before. */
  get compressionRatio(): number {
    return this.builtRecords === undefined ? 1 : this.builder.compressionRatio
  }

  /** Stops appends and makes the records unusable; for batches about to be aborted or expired. */
  abortRecordAppends(): void {
    this.closedForAppends = true
    if (this.builtRecords === undefined) this.aborted = true
  }

  setProducerState(
    producerId: bigint,
    producerEpoch: number,
    baseSequence: number,
    isTransactional: boolean,
  ): void {
    if (this.builtRecords !== undefined) throw this.illegalState('setProducerState after close()')
    this.producerIdValue = producerId
    this.producerEpochValue = producerEpoch
    this.baseSequenceValue = baseSequence
    this.transactional = isTransactional
  }

  /** Re-stamps a closed batch with a new producer id/epoch and sequence (after an epoch bump, KIP-360). */
  resetProducerState(producerId: bigint, producerEpoch: number, baseSequence: number): void {
    this.producerIdValue = producerId
    this.producerEpochValue = producerEpoch
    this.baseSequenceValue = baseSequence
    this.reopened = true
    if (this.builtRecords !== undefined) {
      this.builtRecords = this.factory.rewriteProducerState(
        this.builtRecords,
        producerId,
        producerEpoch,
        baseSequence,
        this.transactional,
      )
    }
  }

  get producerId(): bigint {
    return this.producerIdValue
  }
  get producerEpoch(): number {
    return this.producerEpochValue
  }
  get baseSequence(): number {
    return this.baseSequenceValue
  }
  get lastSequence(): number {
    return this.baseSequenceValue + this.recordCount - 1
  }
  hasSequence(): boolean {
    return this.baseSequenceValue !== NO_SEQUENCE
  }
  get isTransactional(): boolean {
    return this.transactional
  }
  /** True between `resetProducerState` and the next `close()`. */
  sequenceHasBeenReset(): boolean {
    return this.reopened
  }

  /** Send attempts so far beyond the first (incremented by `reenqueued`). */
  get attempts(): number {
    return this.attemptCount
  }
  /** True once the batch has been re-enqueued for a retry. */
  inRetry(): boolean {
    return this.retrying
  }
  get drainedMs(): number {
    return this.drainedAtMs
  }
  /** Time from creation to the last drain. */
  queueTimeMs(): number {
    return this.drainedAtMs - this.createdMs
  }
  /** Time since creation or since the last re-enqueue (never negative). */
  waitedTimeMs(nowMs: number): number {
    return Math.max(0, nowMs - this.lastAttemptMs)
  }
  drained(nowMs: number): void {
    this.drainedAtMs = Math.max(this.drainedAtMs, nowMs)
  }
  /** Marks a retry: one more attempt, and backoff counts from `nowMs`. */
  reenqueued(nowMs: number): void {
    this.attemptCount++
    this.lastAttemptMs = Math.max(this.lastAppendMs, nowMs)
    this.lastAppendMs = Math.max(this.lastAppendMs, nowMs)
    this.retrying = true
  }
  /** `delivery.timeout.ms` has passed since creation. */
  hasReachedDeliveryTimeout(deliveryTimeoutMs: number, nowMs: number): boolean {
    return deliveryTimeoutMs <= nowMs - this.createdMs
  }

  /** Notes the partition's leader epoch; a newer one during a retry lets the retry skip its backoff (KIP-951). */
  maybeUpdateLeaderEpoch(latestEpoch: number | undefined): void {
    if (latestEpoch !== undefined && (this.currentEpoch === undefined || this.currentEpoch < latestEpoch)) {
      this.attemptsAtLeaderChange = this.attemptCount
      this.currentEpoch = latestEpoch
    }
  }
  /** True when this retry goes to a newer leader than the previous attempt did. */
  hasLeaderChangedForTheOngoingRetry(): boolean {
    return this.attemptCount >= 1 && this.attemptCount === this.attemptsAtLeaderChange
  }
  get currentLeaderEpoch(): number | undefined {
    return this.currentEpoch
  }
  get attemptsWhenLeaderLastChanged(): number {
    return this.attemptsAtLeaderChange
  }

  get finalState(): FinalState | undefined {
    return this.state
  }
  isDone(): boolean {
    return this.state !== undefined
  }

  /**
   * Completes every record successfully. Returns false when the batch had already failed or been aborted
   * (the late success is ignored); throws when it had already succeeded.
   */
  complete(baseOffset: bigint, logAppendTime: number): boolean {
    return this.done(baseOffset, logAppendTime, undefined, undefined)
  }

  /**
   * Fails every record: with `recordErrors(index)` when given and it returns an error, else `topLevelError`.
   * Returns false when the batch was already failed or aborted.
   */
  completeExceptionally(topLevelError: Error, recordErrors?: (index: number) => Error | undefined): boolean {
    return this.done(-1n, NO_TIMESTAMP, topLevelError, recordErrors)
  }

  /** Aborts the batch (forced close, transaction abort). Throws if it was already completed. */
  abort(error: Error): void {
    if (this.state !== undefined) throw this.illegalState(`abort() on a batch already ${this.state}`)
    this.state = 'aborted'
    this.error = error
    this.fireCompletions(error, undefined)
  }

  /**
   * Splits a closed, too-large batch into batches of about `splitBatchSize` bytes, re-appending its records in
   * order into heap buffers (Java allocates split batches outside the pool too) and moving each record's
   * completion along. Creation time is kept; producer state is carried over with consecutive sequences. The
   * batch itself ends as `split` without calling any completion. `maxRecordsPerBatch` also caps the records
   * per part (the accumulator halves a batch that a `batch.size` split would rebuild as it was).
   */
  split(
    splitBatchSize: number,
    estimatedCompressionRatio = 1,
    maxRecordsPerBatch = Infinity,
  ): ProducerBatch[] {
    if (this.state !== undefined) throw this.illegalState(`split() on a batch already ${this.state}`)
    const bytes = this.close()
    const batches: ProducerBatch[] = []
    let batch: ProducerBatch | undefined
    let index = 0
    for (const record of this.factory.decode(bytes)) {
      const completion = index < this.completionCount ? this.completions[index++] : undefined
      if (completion === undefined) throw this.illegalState('more records than completions while splitting')
      if (
        batch === undefined ||
        batch.recordCount >= maxRecordsPerBatch ||
        !batch.tryAppend(
          record.timestamp,
          record.key,
          record.value,
          record.headers,
          completion,
          this.lastAppendMs,
        )
      ) {
        if (batch !== undefined) batch.closeForRecordAppends()
        batch = this.splitBatchFor(record, splitBatchSize, estimatedCompressionRatio)
        batches.push(batch)
        batch.tryAppend(
          record.timestamp,
          record.key,
          record.value,
          record.headers,
          completion,
          this.lastAppendMs,
        )
      }
    }
    if (index !== this.completionCount)
      throw this.illegalState('fewer records than completions while splitting')
    if (batches.length === 0) throw this.illegalState('cannot split an empty batch')
    batch?.closeForRecordAppends()
    if (this.hasSequence()) {
      let sequence = this.baseSequenceValue
      for (const part of batches) {
        part.setProducerState(this.producerIdValue, this.producerEpochValue, sequence, this.transactional)
        sequence += part.recordCount
      }
    }
    this.state = 'split'
    this.releaseCompletions()
    this.splitInto = batches
    const listeners = this.doneListeners
    this.doneListeners = undefined
    if (listeners !== undefined) ProducerBatch.whenAllDone(batches, listeners)
    return batches
  }

  /** The batches this one was split into, through every further split; empty unless it was split. */
  get splitParts(): readonly ProducerBatch[] {
    const parts = this.splitInto
    if (parts === undefined) return []
    return parts.flatMap((part) => (part.splitInto === undefined ? [part] : part.splitParts))
  }

  /**
   * Calls `listener` once the batch is done — for a split batch, once every batch it was split into is done.
   * Used by `RecordAccumulator.flush()`; nothing is allocated unless someone listens.
   */
  onceDone(listener: () => void): void {
    if (this.splitInto !== undefined) {
      ProducerBatch.whenAllDone(this.splitInto, [listener])
      return
    }
    if (this.state !== undefined) {
      listener()
      return
    }
    if (this.doneListeners === undefined) this.doneListeners = []
    this.doneListeners.push(listener)
  }

  /**
   * The create time of record `index`, as appended. Like `recordKeySize` and `recordValueSize`, readable while
   * the record is pending and while its completion runs, not after (the arrays go back for other batches).
   */
  recordTimestamp(index: number): number {
    return this.info[index * RECORD_INFO_STRIDE]!
  }
  /** The serialized key size of record `index` (-1 for a null key); see `recordTimestamp`. */
  recordKeySize(index: number): number {
    return this.info[index * RECORD_INFO_STRIDE + 1]!
  }
  /** The serialized value size of record `index` (-1 for a null value); see `recordTimestamp`. */
  recordValueSize(index: number): number {
    return this.info[index * RECORD_INFO_STRIDE + 2]!
  }

  /**
   * The ordinal of the record just appended: its place in append order, which `locate` maps to wherever the
   * record is later (after a `removeRecord` or a `split`).
   */
  get lastAppendOrdinal(): number {
    return this.recordCount - 1 + (this.removedOrdinals?.length ?? 0)
  }

  /**
   * Replaces the completion of the record appended as `ordinal` when it is still `expected` and pending;
   * returns false, changing nothing, otherwise. The producer uses it to let a batch hold one completion shared
   * by many records instead of a per-record object (see `setCompletion`).
   */
  replaceCompletion(ordinal: number, expected: RecordCompletion, replacement: RecordCompletion): boolean {
    if (this.state !== undefined) return false
    const index = this.indexOfOrdinal(ordinal)
    if (index < 0 || index >= this.completionCount || this.completions[index] !== expected) return false
    this.completions[index] = replacement
    return true
  }

  /**
   * Where the record appended as `ordinal` is now: in this batch (its index shifted by `removeRecord`), or in
   * one of the batches a `split` moved it to. Undefined when `removeRecord` took it out.
   */
  locate(ordinal: number): RecordLocation | undefined {
    let index = this.indexOfOrdinal(ordinal)
    if (index < 0) return undefined
    const parts = this.splitInto
    if (parts === undefined) return { batch: this, index }
    for (const part of parts) {
      if (index < part.recordCount) return part.locate(index)
      index -= part.recordCount
    }
    return undefined
  }

  /** Replaces the completion of pending record `index` (from `locate`). Throws once the batch is done. */
  setCompletion(index: number, completion: RecordCompletion): void {
    if (this.state !== undefined) throw this.illegalState(`setCompletion() on a batch already ${this.state}`)
    if (index < 0 || index >= this.completionCount) throw this.illegalState(`no record ${index} to complete`)
    this.completions[index] = completion
  }

  /** After the batch failed or was aborted: the error record `index` got. Undefined otherwise. */
  recordError(index: number): Error | undefined {
    if (this.state !== 'failed' && this.state !== 'aborted') return undefined
    const error = this.error!
    return this.recordErrors?.(index) ?? error
  }

  toString(): string {
    return `ProducerBatch(topicPartition=${this.topic}-${this.partition}, recordCount=${this.recordCount})`
  }

  private done(
    baseOffset: bigint,
    logAppendTime: number,
    topLevelError: Error | undefined,
    recordErrors: ((index: number) => Error | undefined) | undefined,
  ): boolean {
    const next: FinalState = topLevelError === undefined ? 'succeeded' : 'failed'
    if (this.state === undefined) {
      this.state = next
      this.baseOffset = baseOffset
      this.logAppendTime = logAppendTime
      this.error = topLevelError
      this.recordErrors = recordErrors
      this.fireCompletions(topLevelError, recordErrors)
      return true
    }
    if (this.state === 'succeeded') {
      throw this.illegalState(`a succeeded batch must not change state again (to ${next})`)
    }
    // failed/aborted → succeeded (the broker accepted an expired batch) and failed → failed are ignored.
    return false
  }

  private fireCompletions(
    error: Error | undefined,
    recordErrors: ((index: number) => Error | undefined) | undefined,
  ): void {
    const completions = this.completions
    const count = this.completionCount
    for (let index = 0; index < count; index++) {
      const recordError = error === undefined ? undefined : (recordErrors?.(index) ?? error)
      try {
        completions[index]!.onCompletion(this, index, recordError)
      } catch (thrown) {
        this.onCompletionError(thrown, this, index)
      }
    }
    this.releaseCompletions()
    const listeners = this.doneListeners
    this.doneListeners = undefined
    if (listeners !== undefined) for (const listener of listeners) listener()
  }

  /** Once every completion fired (or moved to split batches), their arrays go back for another batch. */
  private releaseCompletions(): void {
    const completions = this.completions
    const count = this.completionCount
    this.completions = NO_COMPLETIONS
    this.completionCount = 0
    recycleCompletionArray(completions, count)
    recycleRecordInfo(this.info)
    this.info = NO_RECORD_INFO
  }

  /** The index in this batch of the record appended as `ordinal`, counting removals; -1 if it was removed. */
  private indexOfOrdinal(ordinal: number): number {
    const removed = this.removedOrdinals
    if (removed === undefined) return ordinal
    let index = ordinal
    for (const r of removed) {
      if (r === ordinal) return -1
      if (r < ordinal) index--
    }
    return index
  }

  /** Records that the record at `index` was taken out: its ordinal, the index it had counting removed ones. */
  private noteRemoved(index: number): void {
    const removed = this.removedOrdinals ?? []
    this.removedOrdinals = removed
    let ordinal = index
    let at = 0
    while (at < removed.length && removed[at]! <= ordinal) {
      ordinal++
      at++
    }
    removed.splice(at, 0, ordinal)
  }

  private static whenAllDone(children: ProducerBatch[], listeners: (() => void)[]): void {
    let remaining = children.length
    const childDone = () => {
      if (--remaining === 0) for (const listener of listeners) listener()
    }
    for (const child of children) child.onceDone(childDone)
  }

  private splitBatchFor(
    record: { key: Uint8Array | null; value: Uint8Array | null; headers: readonly Header[] },
    splitBatchSize: number,
    ratio: number,
  ): ProducerBatch {
    const size = Math.max(
      splitBatchSize,
      this.factory.estimateSizeInBytesUpperBound(record.key, record.value, record.headers),
    )
    return new ProducerBatch({
      topic: this.topic,
      partition: this.partition,
      buffer: new Uint8Array(size),
      factory: this.factory,
      createdMs: this.createdMs,
      estimatedCompressionRatio: ratio,
      isSplitBatch: true,
      onCompletionError: this.onCompletionError,
    })
  }

  private illegalState(what: string): KafkaError {
    return new KafkaError({ code: 'ILLEGAL_STATE', message: `${this.toString()}: ${what}.` })
  }
}
