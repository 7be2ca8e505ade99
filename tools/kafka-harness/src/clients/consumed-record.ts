export interface ConsumedHeader {
  key: string
  value: Uint8Array | null
}

/** Kafka's record timestamp types, named as the Java client's `TimestampType.name`. */
export type TimestampTypeName = 'CreateTime' | 'LogAppendTime' | 'NoTimestampType'

/** One record as a reference client read it back; the same shape whichever client read it. */
export interface ConsumedRecord {
  topic: string
  partition: number
  offset: bigint
  key: Uint8Array | null
  value: Uint8Array | null
  headers: ConsumedHeader[]
  /** Epoch milliseconds. */
  timestamp: number
  timestampType: TimestampTypeName
}

/** Orders records by partition, then offset: reference clients interleave partitions differently. */
export function sortRecords(records: ConsumedRecord[]): ConsumedRecord[] {
  return [...records].sort((a, b) =>
    a.partition !== b.partition
      ? a.partition - b.partition
      : a.offset < b.offset
        ? -1
        : a.offset > b.offset
          ? 1
          : 0,
  )
}
