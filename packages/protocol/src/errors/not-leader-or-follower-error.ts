import { ApiError } from './api-error.js'
import { ErrorCode } from './error-codes.js'

/**
 * The broker is not the leader of the partition (error code 6, retriable). The producer refreshes metadata
 * and retries the batch against the new leader, as Java's `Sender` does.
 */
export class NotLeaderOrFollowerError extends ApiError {
  override name = 'NotLeaderOrFollowerError'

  constructor(message?: string | null, cause?: unknown) {
    super({ errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, message, cause })
  }

  /** True for an `ApiError` with code NOT_LEADER_OR_FOLLOWER from any copy of this package. */
  static override isInstance(value: unknown): value is NotLeaderOrFollowerError {
    return ApiError.isInstance(value) && value.errorCode === ErrorCode.NOT_LEADER_OR_FOLLOWER
  }
}
