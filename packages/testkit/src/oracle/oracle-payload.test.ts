import { ApiError, ErrorCode, KafkaError } from '@x/protocol'
import { describe, expect, it } from 'vitest'
import { decodeOraclePayload, encodeOraclePayload, oracleIdentity } from './oracle-payload.js'
import { persistedStatusOf } from './persisted-status.js'

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes)

describe('oracle payload', () => {
  it('writes runId|producerId|key|seq and reads it back', () => {
    const payload = { runId: 'r1', producerId: 'p0', key: 'k7', seq: 42 }
    expect(text(encodeOraclePayload(payload))).toBe('r1|p0|k7|42')
    expect(decodeOraclePayload(encodeOraclePayload(payload))).toEqual(payload)
  })

  it('pads to the requested size after a separator, and the padding does not change the identity', () => {
    const payload = { runId: 'r1', producerId: 'p0', key: 'k', seq: 3 }
    const padded = encodeOraclePayload(payload, 32)
    expect(padded).toHaveLength(32)
    expect(text(padded)).toBe(`r1|p0|k|3|${'.'.repeat(22)}`)
    expect(decodeOraclePayload(padded)).toEqual(payload)
  })

  it('reads any other bytes as no payload', () => {
    for (const value of ['', 'hello', 'a|b|c', 'a|b|c|-1', 'a|b|c|1.5', 'a|b|c|01', '|b|c|1']) {
      expect(decodeOraclePayload(new TextEncoder().encode(value))).toBeUndefined()
    }
    expect(decodeOraclePayload(null)).toBeUndefined()
  })

  it('refuses fields that would break the format', () => {
    expect(() => oracleIdentity({ runId: 'a|b', producerId: 'p', key: 'k', seq: 0 })).toThrow(/runId/)
    expect(() => oracleIdentity({ runId: 'r', producerId: '', key: 'k', seq: 0 })).toThrow(/producerId/)
  })
})

describe('persistedStatusOf', () => {
  it('takes an error at its word when it carries a persisted status', () => {
    expect(persistedStatusOf(Object.assign(new Error('x'), { persisted: 'no' }))).toBe('no')
    expect(persistedStatusOf(Object.assign(new Error('x'), { persisted: 'POSSIBLY_PERSISTED' }))).toBe(
      'maybe',
    )
  })

  it('calls failures before a batch and refused batches not persisted', () => {
    expect(persistedStatusOf(new KafkaError({ code: 'BUFFER_EXHAUSTED', message: 'x' }))).toBe('no')
    expect(persistedStatusOf(Object.assign(new Error('metadata'), { timeout: 'max.block.ms' }))).toBe('no')
    expect(persistedStatusOf(new ApiError({ errorCode: ErrorCode.INVALID_RECORD }))).toBe('no')
  })

  it('calls timeouts, retriable broker errors and unknown errors possibly persisted', () => {
    expect(persistedStatusOf(Object.assign(new Error('t'), { timeout: 'delivery.timeout.ms' }))).toBe('maybe')
    expect(persistedStatusOf(new ApiError({ errorCode: ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND }))).toBe(
      'maybe',
    )
    expect(persistedStatusOf(new Error('socket hang up'))).toBe('maybe')
    expect(persistedStatusOf('a string')).toBe('maybe')
  })
})
