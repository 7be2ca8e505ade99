import { InvalidArgumentError } from '../errors/invalid-argument-error.js'
import { validateTopicName } from '../errors/invalid-topic-error.js'
import type { ProducerRecord } from '../record/producer-record.js'

/**
 * Topics already validated: a send to a known topic costs one set lookup, not a regular expression. Bounded,
 * so a producer writing to ever-new topic names does not grow it without limit.
 */
const MAX_REMEMBERED_TOPICS = 10_000

/**
 * The checks Java's `ProducerRecord` constructor and `KafkaProducer.send` make before any I/O, plus Kafka's
 * topic-name rules (checked once per topic name).
 */
export class RecordValidator {
  private readonly validTopics = new Set<string>()

  /** @throws InvalidArgumentError or InvalidTopicError, naming the field and the fix. */
  validate(record: ProducerRecord<unknown, unknown>): void {
    if (typeof record !== 'object' || record === null) {
      throw new InvalidArgumentError({
        argument: 'record',
        message: 'send() takes a record object: { topic, key?, value?, partition?, timestamp?, headers? }.',
      })
    }
    const { topic, partition, timestamp } = record
    if (!this.validTopics.has(topic)) this.validateTopic(topic)
    if (
      partition !== undefined &&
      partition !== null &&
      !(Number.isInteger(partition) && partition >= 0 && partition <= 0x7fffffff)
    ) {
      throw new InvalidArgumentError({
        argument: 'record.partition',
        message: `Invalid partition: ${partition}. Partition number should always be a non-negative integer or null (let the partitioner choose).`,
      })
    }
    if (
      timestamp !== undefined &&
      timestamp !== null &&
      !(Number.isSafeInteger(timestamp) && timestamp >= 0)
    ) {
      throw new InvalidArgumentError({
        argument: 'record.timestamp',
        message: `Invalid timestamp: ${timestamp}. Timestamp should always be non-negative epoch milliseconds (an integer) or null (the send time).`,
      })
    }
  }

  private validateTopic(topic: unknown): void {
    if (typeof topic !== 'string') {
      throw new InvalidArgumentError({
        argument: 'record.topic',
        message: `Topic cannot be ${topic === undefined || topic === null ? 'null' : `a ${typeof topic}`}: every record needs a topic name (a string).`,
      })
    }
    validateTopicName(topic)
    if (this.validTopics.size >= MAX_REMEMBERED_TOPICS) this.validTopics.clear()
    this.validTopics.add(topic)
  }
}
