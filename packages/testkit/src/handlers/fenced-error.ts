import { ErrorCode } from '@x/protocol'

/**
 * PRODUCER_FENCED as old clients know it: requests older than `sinceVersion` get INVALID_PRODUCER_EPOCH
 * instead (Kafka 2.7 introduced PRODUCER_FENCED and keeps the old code for old request versions).
 */
export function fencedFor(errorCode: number, apiVersion: number, sinceVersion: number): number {
  return errorCode === ErrorCode.PRODUCER_FENCED && apiVersion < sinceVersion
    ? ErrorCode.INVALID_PRODUCER_EPOCH
    : errorCode
}
