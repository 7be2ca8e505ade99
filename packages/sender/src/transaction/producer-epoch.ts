import type { ProducerIdAndEpoch } from '@x/accumulator'
import type { TopicPartition } from '@x/partitioners'
import { InitProducerIdHandler } from './init-producer-id-handler.js'
import type { PartitionSequences } from './partition-sequences.js'
import {
  isValidProducerIdAndEpoch,
  MAX_PRODUCER_EPOCH,
  MAX_SEQUENCE,
  NO_PRODUCER_ID_AND_EPOCH,
  sameProducerIdAndEpoch,
} from './producer-id-and-epoch.js'
import { TopicPartitionSet } from './topic-partition-map.js'
import type { TransactionStateMachine } from './transaction-state-machine.js'
import type { TxnHandlerContext } from './txn-request-handler.js'
import type { TxnRequestQueue } from './txn-request-queue.js'

export interface ProducerEpochParts {
  readonly isTransactional: boolean
  readonly states: TransactionStateMachine
  readonly sequences: PartitionSequences
  /** Where the InitProducerId of an idempotent producer without a producer id goes. */
  readonly requests: TxnRequestQueue
  /** What the InitProducerId handler is built with. */
  readonly context: TxnHandlerContext
}

/**
 * The producer id and epoch batches are stamped with, and its bumps (KIP-360). An idempotent producer bumps
 * its epoch locally when a partition's log really has a gap — the partitions that asked for the bump resend
 * their in-flight batches from sequence 0 — and asks for a new producer id when the epoch is exhausted. A
 * transactional producer's bump is an InitProducerId after the abort (KIP-588), possible only when the
 * coordinator supports it (InitProducerId v3+).
 */
export class ProducerEpoch {
  producerIdAndEpoch: ProducerIdAndEpoch = NO_PRODUCER_ID_AND_EPOCH
  /** An error requires a bump: the idempotent producer's next pass, or the transaction's end. */
  bumpRequired = false
  /** The transaction coordinator answers InitProducerId v3+ (set when a request goes to it). */
  coordinatorSupportsBump = false
  /** Partitions whose in-flight batches get sequences from 0 at the next epoch bump. */
  private readonly partitionsToRewriteSequences = new TopicPartitionSet()

  constructor(private readonly parts: ProducerEpochParts) {}

  hasProducerId(): boolean {
    return isValidProducerIdAndEpoch(this.producerIdAndEpoch)
  }

  /** The coordinator supports KIP-360 epoch bumps for transactional ids (InitProducerId v3+). */
  canBump(): boolean {
    return !this.parts.isTransactional || this.coordinatorSupportsBump
  }

  /** The partition's sequences continue after a bump, from 0. */
  requireBumpForPartition(tp: TopicPartition): void {
    this.bumpRequired = true
    this.partitionsToRewriteSequences.add(tp.topic, tp.partition)
  }

  /** The partition's sequences belong to an older producer id or epoch. */
  isStale(tp: TopicPartition): boolean {
    return !sameProducerIdAndEpoch(this.producerIdAndEpoch, this.parts.sequences.producerIdAndEpoch(tp))
  }

  /** At drain: a partition whose batches all completed under an older id/epoch starts again at 0. */
  maybeUpdateProducerIdAndEpoch(tp: TopicPartition): void {
    if (this.parts.states.hasFatalError()) return
    const sequences = this.parts.sequences
    if (this.isStale(tp) && !sequences.hasInflightBatches(tp)) {
      sequences.startSequencesAtBeginning(tp, this.producerIdAndEpoch)
    }
  }

  /**
   * Sender hook at the start of a pass (idempotent producers): applies a required bump, and asks for a
   * producer id (InitProducerId to the least-loaded broker) when there is none.
   */
  bumpIdempotentEpochAndResetIdIfNeeded(): void {
    if (this.parts.isTransactional) return
    const states = this.parts.states
    // An authorization error is handled first (maybeSendTransactionalRequest); then this state is UNINITIALIZED.
    if (states.state === 'ABORTABLE_ERROR') return
    if (this.bumpRequired) this.bumpIdempotentProducerEpoch()
    if (states.state !== 'INITIALIZING' && !this.hasProducerId()) {
      states.transitionTo('INITIALIZING')
      this.parts.requests.enqueue(
        new InitProducerIdHandler(
          this.parts.context,
          { transactionalId: null, transactionTimeoutMs: MAX_SEQUENCE, producerId: -1n, producerEpoch: -1 },
          false,
        ),
      )
    }
  }

  private bumpIdempotentProducerEpoch(): void {
    if (this.producerIdAndEpoch.epoch >= MAX_PRODUCER_EPOCH) {
      this.producerIdAndEpoch = NO_PRODUCER_ID_AND_EPOCH
      this.parts.states.transitionTo('UNINITIALIZED')
    } else {
      this.producerIdAndEpoch = {
        producerId: this.producerIdAndEpoch.producerId,
        epoch: this.producerIdAndEpoch.epoch + 1,
      }
    }
    // The partitions that asked for the bump resend their in-flight batches from sequence 0.
    const sequences = this.parts.sequences
    for (const tp of this.partitionsToRewriteSequences.keys()) {
      sequences.startSequencesAtBeginning(tp, this.producerIdAndEpoch)
      sequences.resolve(tp)
    }
    this.partitionsToRewriteSequences.clear()
    this.bumpRequired = false
  }
}
