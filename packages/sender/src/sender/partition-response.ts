import type { KafkaError } from '@x/protocol'

/** A record the broker rejected inside a batch (KIP-467 `record_errors`). */
export interface RecordError {
  readonly batchIndex: number
  readonly message: string | null
}

/**
 * One partition's outcome of a Produce request (Java `ProduceResponse.PartitionResponse`), also synthesized
 * for requests that got no response (disconnect → NETWORK_EXCEPTION, timeout → REQUEST_TIMED_OUT,
 * acks=0 → NONE).
 */
export interface PartitionResponse {
  /** 0 for success. */
  readonly errorCode: number
  /** The error for `errorCode` (with the broker's message), or the client-side one; undefined on success. */
  readonly error: KafkaError | undefined
  readonly baseOffset: bigint
  /** Broker time for LogAppendTime topics, else -1. */
  readonly logAppendTimeMs: number
  readonly logStartOffset: bigint
  readonly recordErrors: readonly RecordError[]
  readonly errorMessage: string | null
  /** The new leader the broker named with NOT_LEADER_OR_FOLLOWER / FENCED_LEADER_EPOCH (KIP-951). */
  readonly currentLeader: { readonly leaderId: number; readonly leaderEpoch: number } | undefined
}
