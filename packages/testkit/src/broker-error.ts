import { ApiError, ErrorCode, type ErrorName } from '@x/protocol'

/** One rejected record of a batch (KIP-467): its index in the batch and why. */
export interface RecordError {
  batchIndex: number
  message: string | null
}

/**
 * What a request handler throws to answer with an error code, as Kafka's broker throws an `ApiException`
 * and maps it to its code. Internal to the embedded broker: clients see the code in the response.
 */
export class BrokerError extends ApiError {
  override name = 'BrokerError'

  constructor(
    errorName: ErrorName,
    /** The message a broker would put in the response's error message field. */
    readonly detail: string,
    readonly recordErrors: readonly RecordError[] = [],
  ) {
    super({ errorCode: ErrorCode[errorName], message: detail })
  }
}

/** The error code of a value a handler caught: a BrokerError's code, else UNKNOWN_SERVER_ERROR. */
export function errorCodeOf(error: unknown): number {
  return ApiError.isInstance(error) ? error.errorCode : ErrorCode.UNKNOWN_SERVER_ERROR
}
