import { ApiError } from './api-error.js'
import { ErrorCode } from './error-codes.js'

/**
 * A message cannot be written or read at the requested version (Java's `UnsupportedVersionException`,
 * error code 35): the version is outside the API's range, or a field set to a non-default value does not
 * exist in that version and may not be silently dropped. Also what the broker answers with code 35.
 */
export class UnsupportedVersionError extends ApiError {
  override name = 'UnsupportedVersionError'

  constructor(message?: string | null, cause?: unknown) {
    super({ errorCode: ErrorCode.UNSUPPORTED_VERSION, message, cause })
  }

  /** True for an `ApiError` with code UNSUPPORTED_VERSION from any copy of this package. */
  static override isInstance(value: unknown): value is UnsupportedVersionError {
    return ApiError.isInstance(value) && value.errorCode === ErrorCode.UNSUPPORTED_VERSION
  }
}
