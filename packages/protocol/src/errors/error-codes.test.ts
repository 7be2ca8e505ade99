// Facts from Apache Kafka's org.apache.kafka.common.protocol.Errors: each code's name, and whether its
// exception class extends RetriableException (e.g. NotLeaderOrFollowerException -> InvalidMetadataException
// -> RetriableException; OutOfOrderSequenceException -> ApiException).
import { describe, expect, it } from 'vitest'
import { ApiError } from './api-error.js'
import { ErrorCode, errorCodeInfo, errorCodes } from './error-codes.js'
import { errorForCode } from './error-for-code.js'
import { KafkaError } from './kafka-error.js'
import { NotLeaderOrFollowerError } from './not-leader-or-follower-error.js'
import { UnsupportedVersionError } from './unsupported-version-error.js'

const javaFacts: Array<[number, string, boolean]> = [
  [-1, 'UNKNOWN_SERVER_ERROR', false],
  [0, 'NONE', false],
  [2, 'CORRUPT_MESSAGE', true],
  [3, 'UNKNOWN_TOPIC_OR_PARTITION', true],
  [5, 'LEADER_NOT_AVAILABLE', true],
  [6, 'NOT_LEADER_OR_FOLLOWER', true],
  [7, 'REQUEST_TIMED_OUT', true],
  [8, 'BROKER_NOT_AVAILABLE', false],
  [10, 'MESSAGE_TOO_LARGE', false],
  [13, 'NETWORK_EXCEPTION', true],
  [14, 'COORDINATOR_LOAD_IN_PROGRESS', true],
  [15, 'COORDINATOR_NOT_AVAILABLE', true],
  [16, 'NOT_COORDINATOR', true],
  [18, 'RECORD_LIST_TOO_LARGE', false],
  [19, 'NOT_ENOUGH_REPLICAS', true],
  [20, 'NOT_ENOUGH_REPLICAS_AFTER_APPEND', true],
  [29, 'TOPIC_AUTHORIZATION_FAILED', false],
  [35, 'UNSUPPORTED_VERSION', false],
  [45, 'OUT_OF_ORDER_SEQUENCE_NUMBER', false],
  [46, 'DUPLICATE_SEQUENCE_NUMBER', false],
  [47, 'INVALID_PRODUCER_EPOCH', false],
  [48, 'INVALID_TXN_STATE', false],
  [51, 'CONCURRENT_TRANSACTIONS', true],
  [53, 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED', false],
  [56, 'KAFKA_STORAGE_ERROR', true],
  [59, 'UNKNOWN_PRODUCER_ID', false],
  [74, 'FENCED_LEADER_EPOCH', true],
  [75, 'UNKNOWN_LEADER_EPOCH', true],
  [87, 'INVALID_RECORD', false],
  [89, 'THROTTLING_QUOTA_EXCEEDED', true],
  [90, 'PRODUCER_FENCED', false],
  [100, 'UNKNOWN_TOPIC_ID', true],
  [120, 'TRANSACTION_ABORTABLE', false],
  [128, 'INVALID_REGULAR_EXPRESSION', false],
  [129, 'REBOOTSTRAP_REQUIRED', false],
  [133, 'SHARE_SESSION_LIMIT_REACHED', true],
]

describe('the error code table', () => {
  it.each(javaFacts)('has code %d as %s, retriable %s, as Java does', (code, name, retriable) => {
    expect(errorCodeInfo(code)).toMatchObject({ code, name, retriable })
    expect(ErrorCode[name as keyof typeof ErrorCode]).toBe(code)
  })

  it('covers every code from -1 to 133 but the never-assigned 99, each name once', () => {
    const codes = errorCodes.map((info) => info.code)
    const expected = Array.from({ length: 135 }, (_, index) => index - 1).filter((code) => code !== 99)
    expect([...codes].sort((a, b) => a - b)).toEqual(expected)
    expect(new Set(errorCodes.map((info) => info.name)).size).toBe(errorCodes.length)
    for (const info of errorCodes) if (info.code !== 0) expect(info.message).not.toBe('')
  })
})

describe('errorForCode', () => {
  it('returns null for NONE', () => {
    expect(errorForCode(0)).toBeNull()
  })

  it('builds an ApiError with the table facts and the broker message', () => {
    const error = errorForCode(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, 'expected 5, got 7')!
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({
      errorCode: 45,
      errorName: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
      code: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
      retriable: false,
    })
    expect(error.message).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER (45): expected 5, got 7')
    expect(KafkaError.isInstance(error)).toBe(true)
    expect(ApiError.isInstance(error)).toBe(true)
  })

  it('uses the default message when the broker sent none', () => {
    expect(errorForCode(ErrorCode.REQUEST_TIMED_OUT, null)!.message).toBe(
      'REQUEST_TIMED_OUT (7): The broker did not complete the request in time.',
    )
  })

  it('gives the subclasses the producer reacts to', () => {
    const notLeader = errorForCode(6)
    expect(notLeader).toBeInstanceOf(NotLeaderOrFollowerError)
    expect(NotLeaderOrFollowerError.isInstance(notLeader)).toBe(true)
    expect(notLeader!.retriable).toBe(true)
    expect(errorForCode(35)).toBeInstanceOf(UnsupportedVersionError)
    expect(UnsupportedVersionError.isInstance(errorForCode(6))).toBe(false)
  })

  it('keeps an unknown code and names it UNKNOWN_SERVER_ERROR, not retriable', () => {
    const error = errorForCode(999, 'from the future')!
    expect(error).toMatchObject({ errorCode: 999, errorName: 'UNKNOWN_SERVER_ERROR', retriable: false })
    expect(error.message).toContain('error code 999')
    expect(error.message).toContain('from the future')
  })
})
