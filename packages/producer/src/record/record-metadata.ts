import { inspect } from 'node:util'
import { NO_TIMESTAMP } from '@x/accumulator'

/** "Any partition", before the partitioner decided (Java `RecordMetadata.UNKNOWN_PARTITION`). */
export { UNKNOWN_PARTITION } from '@x/partitioners'

/**
 * Where a record landed (Java `RecordMetadata`): its topic and partition, its offset as an exact int64
 * (`-1n` when unknown: `acks=0`, or the record failed), its timestamp (the broker's for a LogAppendTime topic,
 * else the record's create time; `-1` when unknown) and the sizes of its serialized key and value (`-1` for
 * null).
 *
 * The offset is kept as its batch's base offset plus the record's index and computed when read, so
 * acknowledging a batch creates no `bigint` per record.
 */
export class RecordMetadata {
  constructor(
    readonly topic: string,
    readonly partition: number,
    /** The offset of the record's batch (Java `baseOffset`), `-1n` when unknown. */
    protected baseOffset: bigint,
    readonly timestamp: number,
    readonly serializedKeySize: number,
    readonly serializedValueSize: number,
    /** The record's index in its batch (Java `batchIndex`). */
    protected batchIndex = 0,
  ) {}

  /** The record's offset in its partition; `-1n` when unknown. */
  get offset(): bigint {
    if (this.baseOffset === -1n) return -1n
    return this.batchIndex === 0 ? this.baseOffset : this.baseOffset + BigInt(this.batchIndex)
  }

  /** False with `acks=0`, where the broker returns no offset, and for failed records. */
  hasOffset(): boolean {
    return this.baseOffset !== -1n
  }

  hasTimestamp(): boolean {
    return this.timestamp !== NO_TIMESTAMP
  }

  toString(): string {
    return `${this.topic}-${this.partition}@${this.offset}`
  }

  /** JSON has no int64: the offset is written as a decimal string. */
  toJSON(): Record<string, string | number> {
    return { ...this.fields(), offset: String(this.offset) }
  }

  [inspect.custom](): object {
    return { ...this.fields(), offset: this.offset }
  }

  private fields() {
    return {
      topic: this.topic,
      partition: this.partition,
      timestamp: this.timestamp,
      serializedKeySize: this.serializedKeySize,
      serializedValueSize: this.serializedValueSize,
    }
  }
}
