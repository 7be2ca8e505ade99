import { KafkaError } from '@x/protocol'

const marker = Symbol.for('x.kafka.error.InvalidTopicError')

/** Kafka's legal topic name characters (Java `Topic.LEGAL_CHARS`). */
const LEGAL = /^[a-zA-Z0-9._-]+$/
/** Java `Topic.MAX_NAME_LENGTH`. */
export const MAX_TOPIC_NAME_LENGTH = 249

/**
 * A topic name Kafka would refuse (Java `InvalidTopicException`, error code `INVALID_TOPIC_EXCEPTION`):
 * empty, `.` or `..`, longer than 249 characters, or with a character outside `[a-zA-Z0-9._-]`. Thrown by
 * `send()` before any request is made.
 */
export class InvalidTopicError extends KafkaError {
  readonly [marker] = true
  override name = 'InvalidTopicError'
  readonly topic: string

  constructor(options: { topic: string; reason: string }) {
    super({
      code: 'INVALID_TOPIC_EXCEPTION',
      retriable: false,
      message: `Invalid topic name "${options.topic}": ${options.reason}`,
    })
    this.topic = options.topic
  }

  /** True for an `InvalidTopicError` from any copy of this package. */
  static override isInstance(value: unknown): value is InvalidTopicError {
    return KafkaError.isInstance(value) && (value as { [marker]?: boolean })[marker] === true
  }
}

/** Throws `InvalidTopicError` unless `topic` is a legal Kafka topic name (Java `Topic.validate`). */
export function validateTopicName(topic: string): void {
  if (topic.length === 0) throw new InvalidTopicError({ topic, reason: 'the name is empty.' })
  if (topic === '.' || topic === '..')
    throw new InvalidTopicError({ topic, reason: 'a topic cannot be named "." or "..".' })
  if (topic.length > MAX_TOPIC_NAME_LENGTH) {
    throw new InvalidTopicError({
      topic: `${topic.slice(0, 40)}...`,
      reason: `the name is ${topic.length} characters long, more than the maximum of ${MAX_TOPIC_NAME_LENGTH}.`,
    })
  }
  if (!LEGAL.test(topic)) {
    throw new InvalidTopicError({
      topic,
      reason: 'the name may only contain ASCII letters, digits, ".", "_" and "-".',
    })
  }
}
