/**
 * RecordBatch v2 (magic 2) header layout, as Java's `DefaultRecordBatch` defines it:
 *
 * ```
 * baseOffset: int64 | batchLength: int32 | partitionLeaderEpoch: int32 | magic: int8 (2) | crc: uint32 |
 * attributes: int16 | lastOffsetDelta: int32 | baseTimestamp: int64 | maxTimestamp: int64 |
 * producerId: int64 | producerEpoch: int16 | baseSequence: int32 | recordCount: int32 | records...
 * ```
 *
 * `batchLength` counts the bytes after itself (the whole batch minus 12). The CRC32C covers everything from
 * `attributes` to the end, so the broker can assign `baseOffset` and `partitionLeaderEpoch` without
 * recomputing it. Attributes: bits 0–2 compression, bit 3 timestamp type (1 = LogAppendTime), bit 4
 * transactional, bit 5 control batch, bit 6 delete horizon set (compaction).
 * @see https://kafka.apache.org/documentation/#recordbatch
 */
export const BASE_OFFSET_OFFSET = 0
export const BATCH_LENGTH_OFFSET = 8
export const PARTITION_LEADER_EPOCH_OFFSET = 12
export const MAGIC_OFFSET = 16
export const CRC_OFFSET = 17
export const ATTRIBUTES_OFFSET = 21
export const LAST_OFFSET_DELTA_OFFSET = 23
export const BASE_TIMESTAMP_OFFSET = 27
export const MAX_TIMESTAMP_OFFSET = 35
export const PRODUCER_ID_OFFSET = 43
export const PRODUCER_EPOCH_OFFSET = 51
export const BASE_SEQUENCE_OFFSET = 53
export const RECORDS_COUNT_OFFSET = 57
/** Bytes of the batch header before the first record (Java's `RECORD_BATCH_OVERHEAD`). */
export const RECORD_BATCH_OVERHEAD = 61
/** Bytes before `batchLength` counts: baseOffset and batchLength itself (Java's `LOG_OVERHEAD`). */
export const LOG_OVERHEAD = 12
export const MAGIC_VALUE_V2 = 2

export const COMPRESSION_CODEC_MASK = 0x07
export const TIMESTAMP_TYPE_MASK = 0x08
export const TRANSACTIONAL_FLAG_MASK = 0x10
export const CONTROL_FLAG_MASK = 0x20
export const DELETE_HORIZON_FLAG_MASK = 0x40

/** Java's `RecordBatch.NO_PRODUCER_ID`, `NO_PRODUCER_EPOCH`, `NO_SEQUENCE`, `NO_TIMESTAMP`, `NO_PARTITION_LEADER_EPOCH`. */
export const NO_PRODUCER_ID = -1n
export const NO_PRODUCER_EPOCH = -1
export const NO_SEQUENCE = -1
export const NO_TIMESTAMP = -1
export const NO_PARTITION_LEADER_EPOCH = -1

/** Worst-case per-record overhead besides key, value and headers: length 5 + attributes 1 + timestamp delta 10 + offset delta 5. */
export const MAX_RECORD_OVERHEAD = 21
