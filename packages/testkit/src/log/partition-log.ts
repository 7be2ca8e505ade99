import { crc32cRange } from '@x/protocol'
import { LogSegment } from './log-segment.js'
import { ProducerState } from './producer-state.js'
import { type StoredBatch, storedBytes } from './stored-batch.js'

/** An aborted transaction as Fetch reports it: the producer and the first offset it wrote in the partition. */
export interface AbortedTransaction {
  readonly producerId: bigint
  readonly firstOffset: number
  /** Offset of the ABORT marker. */
  readonly lastOffset: number
}

/** Fields of a batch to store, as read from its header. */
export interface AppendBatchInfo {
  readonly bytes: Uint8Array
  readonly recordCount: number
  readonly maxTimestamp: number
  readonly producerId: bigint
  readonly producerEpoch: number
  readonly baseSequence: number
  readonly isTransactional: boolean
  readonly isControl: boolean
}

/** What a Fetch reads from one partition. */
export interface LogRead {
  /** Consecutive stored batches as one view (one segment), or null when there is nothing to return. */
  readonly records: Uint8Array | null
  readonly firstOffset: number
}

const INITIAL_SEGMENT_BYTES = 4096
const DEFAULT_SEGMENT_MAX_BYTES = 8 * 1024 * 1024

/**
 * One partition's log, in memory: batches stored as received (copied once into a segment, base offset and
 * partition leader epoch written in place as a broker does; CRC untouched since it does not cover them),
 * the high watermark (every replica is in memory, so it is the log end offset), producer state for
 * idempotence, open and aborted transactions for `read_committed`, and waiters for parked fetches.
 */
export class PartitionLog {
  private readonly segments: LogSegment[] = []
  readonly batches: StoredBatch[] = []
  logStartOffset = 0
  logEndOffset = 0
  readonly producers = new Map<bigint, ProducerState>()
  /** First offset of each open transaction, by producer id. */
  readonly openTransactions = new Map<bigint, number>()
  readonly abortedTransactions: AbortedTransaction[] = []
  private readonly waiters = new Set<() => void>()

  /**
   * @param segmentMaxBytes where a segment rolls (at most 8 MiB: segments are memory).
   * @param retentionBytes `retention.bytes`: whole oldest segments go once the rest still holds this much
   *   (Kafka's size-based retention); -1 keeps everything.
   */
  constructor(
    private readonly segmentMaxBytes = DEFAULT_SEGMENT_MAX_BYTES,
    private readonly retentionBytes = -1,
  ) {}

  /** Bytes stored in the log's segments. */
  get sizeInBytes(): number {
    let size = 0
    for (const segment of this.segments) size += segment.size
    return size
  }

  get highWatermark(): number {
    return this.logEndOffset
  }

  /** The first offset of the oldest open transaction, else the high watermark. */
  get lastStableOffset(): number {
    let lso = this.logEndOffset
    for (const first of this.openTransactions.values()) if (first < lso) lso = first
    return lso
  }

  /**
   * Stores `batch` at the log end: one copy into a segment, then the base offset and leader epoch written
   * in place; with `logAppendTimeMs` the timestamp type and max timestamp too, and the CRC recomputed.
   */
  append(batch: AppendBatchInfo, leaderEpoch: number, logAppendTimeMs?: number): StoredBatch {
    const size = batch.bytes.length
    let segment = this.segments[this.segments.length - 1]
    if (segment === undefined || !segment.hasRoomFor(size)) {
      // A busy partition's next segment starts at the size the last one grew to: no regrowth by copying
      const initial = Math.min(segment?.buffer.length ?? INITIAL_SEGMENT_BYTES, this.segmentMaxBytes)
      segment = new LogSegment(Math.max(initial, size), Math.max(this.segmentMaxBytes, size))
      this.segments.push(segment)
    }
    const position = segment.append(batch.bytes)
    const stored = segment.buffer
    const baseOffset = this.logEndOffset
    writeInt64(stored, position, baseOffset)
    writeInt32(stored, position + 12, leaderEpoch)
    let maxTimestamp = batch.maxTimestamp
    if (logAppendTimeMs !== undefined) {
      maxTimestamp = logAppendTimeMs
      stored[position + 22] = stored[position + 22]! | 0x08
      writeInt64(stored, position + 35, logAppendTimeMs)
      writeInt32(stored, position + 17, crc32cRange(stored, position + 21, position + size))
    }
    const entry: StoredBatch = {
      segment,
      position,
      sizeInBytes: size,
      baseOffset,
      lastOffset: baseOffset + batch.recordCount - 1,
      maxTimestamp,
      producerId: batch.producerId,
      producerEpoch: batch.producerEpoch,
      baseSequence: batch.baseSequence,
      isTransactional: batch.isTransactional,
      isControl: batch.isControl,
    }
    this.batches.push(entry)
    this.logEndOffset = entry.lastOffset + 1
    if (this.retentionBytes >= 0 && this.segments.length > 1) this.applyRetention()
    this.wakeWaiters()
    return entry
  }

  /** Kafka's size-based retention: drop the oldest segment while the others still hold `retentionBytes`. */
  private applyRetention(): void {
    let size = this.sizeInBytes
    while (this.segments.length > 1 && size - this.segments[0]!.size >= this.retentionBytes) {
      const dropped = this.segments.shift()!
      size -= dropped.size
      let count = 0
      while (count < this.batches.length && this.batches[count]!.segment === dropped) count++
      this.batches.splice(0, count)
      this.logStartOffset = this.batches[0]?.baseOffset ?? this.logEndOffset
    }
  }

  /** The producer's state here, created at `epoch` when it has none. */
  producerState(producerId: bigint, epoch: number): ProducerState {
    let state = this.producers.get(producerId)
    if (state === undefined) {
      state = new ProducerState(producerId, epoch)
      this.producers.set(producerId, state)
    }
    return state
  }

  /** Index of the first batch whose last offset is at or after `offset`; `batches.length` when none is. */
  batchIndexFor(offset: number): number {
    let low = 0
    let high = this.batches.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if (this.batches[middle]!.lastOffset < offset) low = middle + 1
      else high = middle
    }
    return low
  }

  /**
   * Reads from the batch holding `fetchOffset` up to (excluding) `upperBound`, at most `maxBytes` unless
   * the first batch alone is larger and `minOneBatch` is set (KIP-74). Stops at a segment boundary, as a
   * broker reads one segment per fetch, so the result is one view without a copy.
   */
  read(fetchOffset: number, upperBound: number, maxBytes: number, minOneBatch: boolean): LogRead {
    const first = this.batchIndexFor(fetchOffset)
    const head = this.batches[first]
    if (head === undefined || head.baseOffset >= upperBound)
      return { records: null, firstOffset: fetchOffset }
    if (head.sizeInBytes > maxBytes && !minOneBatch) return { records: null, firstOffset: fetchOffset }
    let end = head.position + head.sizeInBytes
    for (let index = first + 1; index < this.batches.length; index++) {
      const next = this.batches[index]!
      if (next.segment !== head.segment || next.lastOffset >= upperBound) break
      if (next.position + next.sizeInBytes - head.position > maxBytes) break
      end = next.position + next.sizeInBytes
    }
    return { records: head.segment.view(head.position, end), firstOffset: head.baseOffset }
  }

  /** Stored bytes of every batch from `fromOffset`, for decoding in tests. */
  storedBatches(fromOffset = this.logStartOffset): Uint8Array[] {
    const result: Uint8Array[] = []
    for (let index = this.batchIndexFor(fromOffset); index < this.batches.length; index++) {
      result.push(storedBytes(this.batches[index]!))
    }
    return result
  }

  /** Java's `fetchOffsetByTimestamp` for a real timestamp: the first offset of the first batch with max timestamp >= `timestampMs`. */
  offsetForTimestamp(timestampMs: number): { offset: number; timestamp: number } | undefined {
    for (let index = this.batchIndexFor(this.logStartOffset); index < this.batches.length; index++) {
      const batch = this.batches[index]!
      if (!batch.isControl && batch.maxTimestamp >= timestampMs) {
        return { offset: Math.max(batch.baseOffset, this.logStartOffset), timestamp: batch.maxTimestamp }
      }
    }
    return undefined
  }

  /** The batch with the largest timestamp (ListOffsets MAX_TIMESTAMP, KIP-734): its last offset and timestamp. */
  maxTimestampOffset(): { offset: number; timestamp: number } | undefined {
    let best: StoredBatch | undefined
    for (let index = this.batchIndexFor(this.logStartOffset); index < this.batches.length; index++) {
      const batch = this.batches[index]!
      if (!batch.isControl && (best === undefined || batch.maxTimestamp > best.maxTimestamp)) best = batch
    }
    return best === undefined ? undefined : { offset: best.lastOffset, timestamp: best.maxTimestamp }
  }

  /** Aborted transactions overlapping [`fromOffset`, `upperBound`), as `read_committed` Fetch lists them. */
  abortedTransactionsBetween(fromOffset: number, upperBound: number): AbortedTransaction[] {
    return this.abortedTransactions.filter(
      (txn) => txn.lastOffset >= fromOffset && txn.firstOffset < upperBound,
    )
  }

  /** Java's `DeleteRecords`: moves the log start offset forward and drops batches wholly before it. */
  deleteRecordsBefore(offset: number): void {
    const target = Math.min(Math.max(offset, this.logStartOffset), this.logEndOffset)
    this.logStartOffset = target
    let drop = 0
    while (drop < this.batches.length && this.batches[drop]!.lastOffset < target) drop++
    this.batches.splice(0, drop)
    const live = new Set(this.batches.map((batch) => batch.segment))
    for (let index = this.segments.length - 2; index >= 0; index--) {
      if (!live.has(this.segments[index]!)) this.segments.splice(index, 1)
    }
  }

  /** Registers a callback run once on the next append (parked fetches); returns its canceller. */
  onAppend(callback: () => void): () => void {
    this.waiters.add(callback)
    return () => this.waiters.delete(callback)
  }

  private wakeWaiters(): void {
    if (this.waiters.size === 0) return
    const waiters = [...this.waiters]
    this.waiters.clear()
    for (const waiter of waiters) waiter()
  }
}

function writeInt32(buffer: Uint8Array, offset: number, value: number): void {
  buffer[offset] = value >>> 24
  buffer[offset + 1] = (value >>> 16) & 0xff
  buffer[offset + 2] = (value >>> 8) & 0xff
  buffer[offset + 3] = value & 0xff
}

function writeInt64(buffer: Uint8Array, offset: number, value: number): void {
  const high = Math.floor(value / 0x100000000)
  writeInt32(buffer, offset, high | 0)
  writeInt32(buffer, offset + 4, (value - high * 0x100000000) >>> 0)
}
