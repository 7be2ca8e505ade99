import type { ProducerBatch } from '@x/accumulator'
import { ApiError, ErrorCode, KafkaError, UnsupportedVersionError } from '@x/protocol'
import type { PartitionResponse } from '../sender/partition-response.js'
import type { PartitionSequences } from './partition-sequences.js'
import type { ProducerEpoch } from './producer-epoch.js'
import { ProducerFencedError } from './producer-fenced-error.js'
import type { TransactionStateMachine } from './transaction-state-machine.js'

/** Errors after which the producer is defunct (Java `maybeTransitionToErrorState`'s fatal classes). */
const FATAL_CODES = new Set<number>([
  ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
  ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
  ErrorCode.PRODUCER_FENCED,
  ErrorCode.UNSUPPORTED_VERSION,
])

function isFatalError(error: unknown): boolean {
  return (
    ProducerFencedError.isInstance(error) ||
    UnsupportedVersionError.isInstance(error) ||
    (ApiError.isInstance(error) && FATAL_CODES.has(error.errorCode))
  )
}

function hasErrorCode(error: Error, code: number): boolean {
  return ApiError.isInstance(error) && error.errorCode === code
}

export interface BatchOutcomesParts {
  readonly isTransactional: boolean
  readonly states: TransactionStateMachine
  readonly sequences: PartitionSequences
  readonly epoch: ProducerEpoch
}

/**
 * What the outcome of a batch (or of a send that never reached one) does to sequences, the epoch and the
 * state — Java's `canRetry`, `handleCompletedBatch`, `handleFailedBatch`, `maybeResolveSequences` and
 * `maybeTransitionToErrorState`. OUT_OF_ORDER_SEQUENCE_NUMBER and UNKNOWN_PRODUCER_ID are retried,
 * bumping the epoch when the log really has a gap (KIP-360); a batch that expired after being sent leaves
 * its partition unresolved until later acknowledgements prove where the sequence stands.
 */
export class BatchOutcomes {
  constructor(private readonly parts: BatchOutcomesParts) {}

  /** Java `canRetry`: whether a failed batch may be retried (and whether that needs an epoch bump first). */
  canRetry(response: PartitionResponse, batch: ProducerBatch): boolean {
    const { isTransactional, sequences, epoch } = this.parts
    const code = response.errorCode
    const tp = batch
    if (code === ErrorCode.UNKNOWN_PRODUCER_ID) {
      // The broker lost our producer state. Without the log start offset we cannot tell why: retry until known.
      if (response.logStartOffset === -1n) return true
      // Its sequence was already reset by an earlier UNKNOWN_PRODUCER_ID of the same partition.
      if (batch.sequenceHasBeenReset()) return true
      if (sequences.lastAckedOffset(tp) < response.logStartOffset) {
        // Retention removed the head of the log, and our state with it: start the sequences over.
        if (isTransactional) {
          sequences.startSequencesAtBeginning(tp, epoch.producerIdAndEpoch)
        } else {
          epoch.requireBumpForPartition(tp)
        }
        return true
      }
      if (!isTransactional) {
        // Real loss: the idempotent producer bumps the epoch and retries.
        epoch.requireBumpForPartition(tp)
        return true
      }
    } else if (code === ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER) {
      if (
        !sequences.hasUnresolvedSequence(tp) &&
        (batch.sequenceHasBeenReset() || !sequences.isNextSequence(tp, batch.baseSequence))
      ) {
        // Not the batch right after the last acknowledged one: an earlier batch failed, this one follows it.
        return true
      }
      if (!isTransactional) {
        // A gap in the log: bump the epoch, unless an unresolved earlier batch may still explain it.
        if (
          !sequences.hasUnresolvedSequence(tp) ||
          sequences.isNextSequenceForUnresolvedPartition(tp, batch.baseSequence)
        ) {
          epoch.requireBumpForPartition(tp)
        }
        return true
      }
    }
    return response.error?.retriable === true
  }

  handleCompletedBatch(batch: ProducerBatch, response: PartitionResponse): void {
    this.parts.sequences.acknowledge(batch, response.baseOffset)
  }

  handleFailedBatch(batch: ProducerBatch, error: Error, adjustSequenceNumbers: boolean): void {
    const { isTransactional, states, sequences, epoch } = this.parts
    states.safely(() => this.maybeTransitionToErrorState(error))
    sequences.removeInFlightBatch(batch)
    if (states.hasFatalError()) return
    if (hasErrorCode(error, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER)) {
      // A gap in the log: the idempotent producer bumps the epoch for the partition and goes on.
      if (!isTransactional) epoch.requireBumpForPartition(batch)
    } else if (hasErrorCode(error, ErrorCode.UNKNOWN_PRODUCER_ID)) {
      // The broker has no state for us: it takes sequence 0 next (the epoch bump resets the rest).
      sequences.forget(batch)
    } else if (adjustSequenceNumbers) {
      if (!isTransactional) epoch.requireBumpForPartition(batch)
      else states.safely(() => sequences.adjustSequencesDueToFailedBatch(batch))
    }
  }

  /** Java `maybeTransitionToErrorState`: a record or batch failed with `error`. */
  maybeTransitionToErrorState(error: Error): void {
    const { isTransactional, states, epoch } = this.parts
    if (isFatalError(error)) {
      states.transitionToFatalError(error)
    } else if (isTransactional) {
      if (epoch.canBump() && !states.isCompleting()) epoch.bumpRequired = true
      states.transitionToAbortableError(error)
    }
  }

  /**
   * Java `maybeResolveSequences`, at the start of each pass: once a partition with an expired batch has
   * nothing in flight, its last acknowledged sequence tells whether the broker has that batch.
   */
  maybeResolveSequences(): void {
    const { isTransactional, states, sequences, epoch } = this.parts
    if (!sequences.hasUnresolvedSequences()) return // every pass: nothing to allocate
    for (const tp of sequences.unresolvedPartitions()) {
      if (sequences.hasInflightBatches(tp)) continue
      // Fully drained: the last acknowledged sequence should be one below the next one to send.
      if (!sequences.isNextSequence(tp, sequences.sequenceNumber(tp))) {
        // Every batch after the expired one expired too: where the broker's sequence stands is unknown.
        if (isTransactional) {
          const message =
            "The client hasn't received acknowledgment for some previously sent messages and can no longer retry them."
          if (epoch.canBump()) {
            epoch.bumpRequired = true
            states.safely(() =>
              states.transitionToAbortableError(
                new KafkaError({
                  code: 'UNRESOLVED_SEQUENCES',
                  message: `${message} It is safe to abort the transaction and continue.`,
                }),
              ),
            )
          } else {
            states.transitionToFatalError(
              new KafkaError({
                code: 'UNRESOLVED_SEQUENCES',
                message: `${message} It isn't safe to continue.`,
              }),
            )
          }
        } else {
          epoch.requireBumpForPartition(tp)
        }
      }
      // Else a batch after the expired one succeeded: the expired batch made it too.
      sequences.resolve(tp)
    }
  }
}
