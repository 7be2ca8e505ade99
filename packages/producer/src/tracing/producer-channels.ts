import { channel } from 'node:diagnostics_channel'
import type { ProducerRecord } from '../record/producer-record.js'
import type { RecordMetadata } from '../record/record-metadata.js'

/**
 * `node:diagnostics_channel` names the producer publishes on, for APMs and other tools. A record is observed
 * when any of the three channels has a subscriber at the time it is sent (or tracing is on): each of its
 * messages then goes to whoever listens on that channel. Nothing is built or published for a record sent
 * while nobody subscribes.
 */
export const SEND_CHANNEL_NAME = 'x-kafka:producer:send'
export const ACK_CHANNEL_NAME = 'x-kafka:producer:ack'
export const ERROR_CHANNEL_NAME = 'x-kafka:producer:error'

/** On `x-kafka:producer:send`, synchronously inside `send()`, before the record is serialized. */
export interface ProducerSendMessage {
  /** The record as it will be serialized: after interceptors, with `traceparent` when tracing propagates. */
  readonly record: ProducerRecord<unknown, unknown>
  readonly clientId: string
}

/** On `x-kafka:producer:ack` once the record is acknowledged, before its callback and promise. */
export interface ProducerAckMessage {
  readonly record: ProducerRecord<unknown, unknown>
  readonly clientId: string
  readonly metadata: RecordMetadata
  /** From `send()` to the acknowledgement. */
  readonly durationMs: number
}

/**
 * On `x-kafka:producer:error` when the record fails: synchronously when `send()` throws (`metadata`
 * undefined), else before its callback and promise.
 */
export interface ProducerErrorMessage {
  readonly record: ProducerRecord<unknown, unknown>
  readonly clientId: string
  readonly error: Error
  readonly metadata: RecordMetadata | undefined
  readonly durationMs: number
}

export const sendChannel = channel(SEND_CHANNEL_NAME)
export const ackChannel = channel(ACK_CHANNEL_NAME)
export const errorChannel = channel(ERROR_CHANNEL_NAME)

/** The flag `send()` reads per record while tracing is off: does any of the three channels have a subscriber? */
export const anyProducerChannel: { readonly hasSubscribers: boolean } = {
  get hasSubscribers(): boolean {
    return sendChannel.hasSubscribers || ackChannel.hasSubscribers || errorChannel.hasSubscribers
  },
}
