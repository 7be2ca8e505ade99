import { type ErrorCodeInfo, errorCodeInfo } from './error-codes.js'
import { KafkaError } from './kafka-error.js'

const marker = Symbol.for('x.kafka.error.ApiError')

export interface ApiErrorOptions {
  /** The error code from the response. */
  errorCode: number
  /** The broker's message (`ErrorMessage` fields), else the table's default message is used. */
  message?: string | null
  cause?: unknown
}

/**
 * An error code returned by a broker (Java's `ApiException` subclasses). `code` and `errorName` are the
 * table name (`NOT_LEADER_OR_FOLLOWER`), `errorCode` the number, `retriable` as Java decides it. A code
 * missing from the table keeps its number and is named `UNKNOWN_SERVER_ERROR`, as Java's `Errors.forCode`
 * maps it.
 */
export class ApiError extends KafkaError {
  readonly [marker] = true
  override name = 'ApiError'
  readonly errorCode: number
  readonly errorName: string

  constructor(options: ApiErrorOptions) {
    const info = errorCodeInfo(options.errorCode)
    super({
      message: messageFor(options.errorCode, info, options.message),
      code: info?.name ?? 'UNKNOWN_SERVER_ERROR',
      retriable: info?.retriable ?? false,
      cause: options.cause,
    })
    this.errorCode = options.errorCode
    this.errorName = info?.name ?? 'UNKNOWN_SERVER_ERROR'
  }

  /** True for an `ApiError` from any copy of this package. */
  static override isInstance(value: unknown): value is ApiError {
    return KafkaError.isInstance(value) && (value as { [marker]?: boolean })[marker] === true
  }
}

function messageFor(
  code: number,
  info: ErrorCodeInfo | undefined,
  message: string | null | undefined,
): string {
  const name = info?.name ?? 'UNKNOWN_SERVER_ERROR'
  if (info === undefined) {
    return `${name} (${code}): the broker returned error code ${code}, which this client does not know${
      message ? `: ${message}` : ''
    }`
  }
  return `${name} (${code}): ${message || info.message}`
}
