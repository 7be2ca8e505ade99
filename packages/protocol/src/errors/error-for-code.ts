import { ApiError } from './api-error.js'
import { ErrorCode } from './error-codes.js'
import { NotLeaderOrFollowerError } from './not-leader-or-follower-error.js'
import { UnsupportedVersionError } from './unsupported-version-error.js'

/**
 * The error for a response's error code, with the broker's message when it sent one; `null` for `NONE` (0),
 * like Java's `Errors.forCode(code).exception(message)`. Codes with a subclass get it.
 */
export function errorForCode(errorCode: number, message?: string | null): ApiError | null {
  switch (errorCode) {
    case ErrorCode.NONE:
      return null
    case ErrorCode.NOT_LEADER_OR_FOLLOWER:
      return new NotLeaderOrFollowerError(message)
    case ErrorCode.UNSUPPORTED_VERSION:
      return new UnsupportedVersionError(message)
    default:
      return new ApiError({ errorCode, message })
  }
}
