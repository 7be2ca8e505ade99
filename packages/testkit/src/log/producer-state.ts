/** Java's `ProducerStateEntry.NUM_BATCHES_TO_RETAIN`: the dedup window per producer and partition. */
export const NUM_BATCHES_TO_RETAIN = 5

/** What the broker remembers of one appended idempotent batch. */
export interface ProducerBatchMetadata {
  readonly firstSeq: number
  readonly lastSeq: number
  readonly firstOffset: number
  readonly lastOffset: number
  readonly timestamp: number
}

/**
 * The state of one producer id in one partition (Java's `ProducerStateEntry`): its epoch, the metadata of
 * its last five batches (the dedup window), the first offset of its open transaction and the coordinator
 * epoch of its last marker.
 */
export class ProducerState {
  readonly batches: ProducerBatchMetadata[] = []
  /** Offset where the producer's open transaction starts in this partition, -1 without one. */
  currentTxnFirstOffset = -1
  coordinatorEpoch = -1

  constructor(
    readonly producerId: bigint,
    public epoch: number,
  ) {}

  get lastSeq(): number {
    const last = this.batches[this.batches.length - 1]
    return last === undefined ? -1 : last.lastSeq
  }

  /** The retained batch with exactly this sequence range, if the epoch matches: a retry of a batch already appended. */
  findDuplicate(epoch: number, firstSeq: number, lastSeq: number): ProducerBatchMetadata | undefined {
    if (epoch !== this.epoch) return undefined
    for (const batch of this.batches) {
      if (batch.firstSeq === firstSeq && batch.lastSeq === lastSeq) return batch
    }
    return undefined
  }

  /** Records an appended batch; a new epoch starts a new window (Java's `addBatch`/`maybeUpdateProducerEpoch`). */
  addBatch(epoch: number, metadata: ProducerBatchMetadata): void {
    if (epoch !== this.epoch) {
      this.epoch = epoch
      this.batches.length = 0
    }
    this.batches.push(metadata)
    if (this.batches.length > NUM_BATCHES_TO_RETAIN) this.batches.shift()
  }
}

/** Java's `inSequence`: the next sequence follows the last, wrapping from 2^31 - 1 to 0. */
export function inSequence(lastSeq: number, nextSeq: number): boolean {
  return nextSeq === lastSeq + 1 || (nextSeq === 0 && lastSeq === 0x7fffffff)
}
