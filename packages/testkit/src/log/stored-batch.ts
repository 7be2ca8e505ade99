import type { LogSegment } from './log-segment.js'

/** One record batch in a partition log: its place in a segment and the header fields the broker needs. */
export interface StoredBatch {
  readonly segment: LogSegment
  readonly position: number
  readonly sizeInBytes: number
  readonly baseOffset: number
  readonly lastOffset: number
  readonly maxTimestamp: number
  readonly producerId: bigint
  readonly producerEpoch: number
  readonly baseSequence: number
  readonly isTransactional: boolean
  readonly isControl: boolean
}

/** The stored bytes of `batch` (a view; the log never changes them after the append). */
export function storedBytes(batch: StoredBatch): Uint8Array {
  return batch.segment.view(batch.position, batch.position + batch.sizeInBytes)
}
