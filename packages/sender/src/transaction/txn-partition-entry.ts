import type { ProducerBatch, ProducerIdAndEpoch } from '@x/accumulator'
import { KafkaError } from '@x/protocol'
import { incrementSequence, NO_PRODUCER_ID_AND_EPOCH } from './producer-id-and-epoch.js'

/** Java `TxnPartitionEntry.NO_LAST_ACKED_SEQUENCE_NUMBER`. */
export const NO_LAST_ACKED_SEQUENCE = -1

/** Orders in-flight batches as Java does: by producer id, then epoch, then base sequence. */
function compareBatches(a: ProducerBatch, b: ProducerBatch): number {
  if (a.producerId !== b.producerId) return a.producerId < b.producerId ? -1 : 1
  if (a.producerEpoch !== b.producerEpoch) return a.producerEpoch - b.producerEpoch
  return a.baseSequence - b.baseSequence
}

/**
 * The idempotence state of one partition (Java `TxnPartitionEntry`): the producer id/epoch its sequences
 * belong to, the next sequence to assign, the last sequence and offset the broker acknowledged, and the
 * batches in flight ordered by sequence — so retries go back in sequence order even when responses come
 * back out of order during a leader change.
 */
export class TxnPartitionEntry {
  producerIdAndEpoch: ProducerIdAndEpoch = NO_PRODUCER_ID_AND_EPOCH
  /** Base sequence of the next batch drained for this partition. */
  nextSequence = 0
  /** Last sequence of the last acknowledged batch; with nothing in flight it is `nextSequence - 1`. */
  lastAckedSequence = NO_LAST_ACKED_SEQUENCE
  /** Last offset acknowledged: tells UNKNOWN_PRODUCER_ID after retention from lost data. */
  lastAckedOffset = -1n
  private inFlight: ProducerBatch[] = []

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  hasInflightBatches(): boolean {
    return this.inFlight.length > 0
  }

  /** The in-flight batch with the lowest sequence. */
  nextBatchBySequence(): ProducerBatch | undefined {
    return this.inFlight[0]
  }

  /** In-flight batches in sequence order (a copy). */
  inFlightBatches(): ProducerBatch[] {
    return [...this.inFlight]
  }

  incrementSequence(increment: number): void {
    this.nextSequence = incrementSequence(this.nextSequence, increment)
  }

  addInflightBatch(batch: ProducerBatch): void {
    const list = this.inFlight
    let low = 0
    let high = list.length
    while (low < high) {
      const middle = (low + high) >>> 1
      const order = compareBatches(list[middle]!, batch)
      if (order === 0) return // already tracked (a set, as in Java)
      if (order < 0) low = middle + 1
      else high = middle
    }
    list.splice(low, 0, batch)
  }

  removeInFlightBatch(batch: ProducerBatch): void {
    const index = this.inFlight.indexOf(batch)
    if (index >= 0) this.inFlight.splice(index, 1)
  }

  maybeUpdateLastAckedSequence(sequence: number): number {
    if (sequence > this.lastAckedSequence) this.lastAckedSequence = sequence
    return this.lastAckedSequence
  }

  /**
   * After an epoch bump or producer id reset: rewrites the in-flight batches' producer state with sequences
   * from 0 in their order, and continues after them (Java `startSequencesAtBeginning`).
   */
  startSequencesAtBeginning(producerIdAndEpoch: ProducerIdAndEpoch): void {
    let sequence = 0
    for (const batch of this.inFlight) {
      batch.resetProducerState(producerIdAndEpoch.producerId, producerIdAndEpoch.epoch, sequence)
      sequence += batch.recordCount
    }
    this.inFlight.sort(compareBatches)
    this.producerIdAndEpoch = producerIdAndEpoch
    this.nextSequence = sequence
    this.lastAckedSequence = NO_LAST_ACKED_SEQUENCE
  }

  /**
   * A batch failed for sure (the broker rejected it): later batches move down by its record count so they do
   * not hit OUT_OF_ORDER_SEQUENCE_NUMBER (Java `adjustSequencesDueToFailedBatch`; transactional producers).
   */
  adjustSequencesDueToFailedBatch(baseSequence: number, recordCount: number): void {
    const next = this.nextSequence - recordCount
    if (next < 0) throw this.negativeSequence(next)
    this.nextSequence = next
    for (const batch of this.inFlight) {
      if (batch.baseSequence < baseSequence) continue
      const sequence = batch.baseSequence - recordCount
      if (sequence < 0) throw this.negativeSequence(sequence)
      batch.resetProducerState(batch.producerId, batch.producerEpoch, sequence)
    }
    this.inFlight.sort(compareBatches)
  }

  private negativeSequence(sequence: number): KafkaError {
    return new KafkaError({
      code: 'ILLEGAL_STATE',
      message: `Sequence number for partition ${this.topic}-${this.partition} is going to become negative: ${sequence}.`,
    })
  }
}
