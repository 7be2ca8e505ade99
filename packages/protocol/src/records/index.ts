export {
  type ControlRecordKey,
  ControlRecordType,
  type ControlRecordTypeName,
  type EndTransactionMarker,
  encodeControlRecordKey,
  encodeEndTransactionMarker,
  parseControlRecordKey,
  parseEndTransactionMarker,
} from './control-record.js'
export {
  RecordBatchBuilder,
  type RecordBatchBuilderOptions,
  rewriteProducerState,
} from './record-batch-builder.js'
export {
  type DecodedRecord,
  type DecodedRecordBatch,
  type DecodeRecordBatchesOptions,
  decodeRecordBatches,
  decodeRecordBatchHeader,
  type RecordBatchHeader,
  validateRecordBatch,
} from './record-batch-decoder.js'
export {
  LOG_OVERHEAD,
  MAX_RECORD_OVERHEAD,
  NO_PARTITION_LEADER_EPOCH,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
  NO_TIMESTAMP,
  RECORD_BATCH_OVERHEAD,
} from './record-batch-layout.js'
export { CorruptRecordError, InvalidRecordError, RecordBatchStateError } from './record-errors.js'
export type { RecordHeader } from './record-header.js'
export {
  estimateSizeInBytesUpperBound,
  recordSizeInBytes,
  recordSizeUpperBound,
} from './record-size.js'
