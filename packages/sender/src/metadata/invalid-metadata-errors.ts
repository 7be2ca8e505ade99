import { ErrorCode } from '@x/protocol'

/**
 * Error codes whose Java exception extends `InvalidMetadataException`: the client's view of leaders or
 * topics is stale, so it refreshes metadata before retrying. NETWORK_EXCEPTION is one of them (a dead
 * connection often means a dead leader).
 */
const INVALID_METADATA_CODES: ReadonlySet<number> = new Set<number>([
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCode.LEADER_NOT_AVAILABLE,
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.REPLICA_NOT_AVAILABLE,
  ErrorCode.NETWORK_EXCEPTION,
  ErrorCode.KAFKA_STORAGE_ERROR,
  ErrorCode.FENCED_LEADER_EPOCH,
  ErrorCode.UNKNOWN_LEADER_EPOCH,
  ErrorCode.UNKNOWN_TOPIC_ID,
  ErrorCode.INCONSISTENT_TOPIC_ID,
])

export function isInvalidMetadataError(errorCode: number): boolean {
  return INVALID_METADATA_CODES.has(errorCode)
}
