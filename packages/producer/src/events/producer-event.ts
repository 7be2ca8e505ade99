import type { SenderEvent } from '@x/sender'
import type { ConfigWarning } from '../options/producer-config.js'
import type { RecordMetadata } from '../record/record-metadata.js'

/** An interceptor threw; the send went on without it (Java logs these). */
export interface InterceptorErrorEvent {
  readonly type: 'interceptor-error'
  readonly hook: 'onSend' | 'onAcknowledgement' | 'close'
  /** Position of the interceptor in `interceptors`. */
  readonly interceptorIndex: number
  readonly error: unknown
}

/** A `send()` callback threw; the record's promise settled regardless (Java logs these). */
export interface CallbackErrorEvent {
  readonly type: 'callback-error'
  readonly metadata: RecordMetadata
  readonly error: unknown
}

/** `close()` began (`timeoutMs` undefined: no limit) or finished. */
export interface ProducerLifecycleEvent {
  readonly type: 'producer-closing' | 'producer-closed'
  readonly timeoutMs?: number
}

/**
 * Everything `producer.events$` reports, at batch, request and lifecycle granularity — never per record,
 * except for the errors of user code above. The sender's events (`request-sent`, `batch-completed`,
 * `batch-retried`, `batch-failed`, `batch-expired`, `batch-split`, `metadata-updated`,
 * `connection-state-changed`, ...) pass through as they are.
 */
export type ProducerEvent =
  | ConfigWarning
  | InterceptorErrorEvent
  | CallbackErrorEvent
  | ProducerLifecycleEvent
  | SenderEvent
