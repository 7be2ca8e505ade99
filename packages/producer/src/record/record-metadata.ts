import { NO_TIMESTAMP } from '@x/accumulator'

/** "Any partition", before the partitioner decided (Java `RecordMetadata.UNKNOWN_PARTITION`). */
export const UNKNOWN_PARTITION = -1

/**
 * Where a record landed (Java `RecordMetadata`): its topic and partition, its offset as an exact int64
 * (`-1n` when unknown: `acks=0`, or the record failed), its timestamp (the broker's for a LogAppendTime topic,
 * else the record's create time; `-1` when unknown) and the sizes of its serialized key and value (`-1` for
 * null).
 */
export class RecordMetadata {
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly offset: bigint,
    readonly timestamp: number,
    readonly serializedKeySize: number,
    readonly serializedValueSize: number,
  ) {}

  /** False with `acks=0`, where the broker returns no offset. */
  hasOffset(): boolean {
    return this.offset !== -1n
  }

  hasTimestamp(): boolean {
    return this.timestamp !== NO_TIMESTAMP
  }

  toString(): string {
    return `${this.topic}-${this.partition}@${this.offset}`
  }
}
