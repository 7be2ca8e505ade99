/**
 * @x/accumulator: `RecordAccumulator` and `ProducerBatch` — per-partition batching written straight into
 * pooled memory, after the Java producer's classes of the same names. Never reads the clock for a decision
 * and never touches the network: every decision takes `nowMs`. Appends are synchronous unless memory is
 * short; wake-ups for the sender come as an RxJS stream, one event per batch, never per record.
 */
export { AccumulatorClosedError } from './accumulator-closed-error.js'
export type { NodeLatencyStats } from './accumulator-internals.js'
export { BatchDeque } from './batch-deque.js'
export { CompressionRatioEstimator } from './compression-ratio-estimator.js'
export { ExponentialBackoff } from './exponential-backoff.js'
export {
  type CompletionErrorHandler,
  type FinalState,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
  NO_TIMESTAMP,
  ProducerBatch,
  rethrowCompletionError,
} from './producer-batch.js'
export { RecordAccumulator, type RecordAccumulatorOptions } from './record-accumulator.js'
export {
  type RecordBatchBuilderFactoryOptions,
  recordBatchBuilderFactory,
} from './record-batch-builder-factory.js'
export type { RecordCompletion } from './record-completion.js'
export type { DecodedRecord, Header, RecordsBuilder, RecordsBuilderFactory } from './records-builder.js'
export type { AccumulatorWakeup, AppendPreview, ReadyCheckResult, RecordAppendResult } from './results.js'
export type { ProducerIdAndEpoch, TransactionManagerHooks } from './transaction-manager-hooks.js'
