import type { PartitionState } from '../cluster/topic-state.js'

/** Java's `TransactionState` (the states a producer can observe; markers are written synchronously here). */
export type TransactionState =
  | 'Empty'
  | 'Ongoing'
  | 'PrepareCommit'
  | 'PrepareAbort'
  | 'CompleteCommit'
  | 'CompleteAbort'

/** What the coordinator keeps per transactional id (Java's `TransactionMetadata`). */
export class TransactionMetadata {
  state: TransactionState = 'Empty'
  /** The epoch before the last bump, so a retried InitProducerId gets the same answer. */
  lastProducerEpoch = -1
  readonly partitions = new Map<string, PartitionState>()
  readonly groups = new Set<string>()
  txnStartMs = -1
  coordinatorEpoch = 0

  constructor(
    readonly transactionalId: string,
    public producerId: bigint,
    public producerEpoch: number,
    public timeoutMs: number,
  ) {}
}

/** Java's `isEpochExhausted`: the epoch cannot be bumped past Short.MAX_VALUE - 1. */
export function isEpochExhausted(epoch: number): boolean {
  return epoch >= 0x7fff - 1
}
