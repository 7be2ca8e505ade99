import {
  type CodecRegistry,
  type CompressionCodec,
  type CompressionName,
  decodeRecordBatches,
  estimateSizeInBytesUpperBound,
  RecordBatchBuilder,
  rewriteProducerState,
} from '@x/protocol'
import type { DecodedRecord, RecordsBuilderFactory } from './records-builder.js'

export interface RecordBatchBuilderFactoryOptions {
  /** `compression.type`: a name looked up in `codecs`, or a codec. Default `'none'`. */
  compression?: CompressionName | CompressionCodec
  /** The producer's codec registry. Default: `@x/protocol`'s shared default registry. */
  codecs?: CodecRegistry
}

/**
 * The production `RecordsBuilderFactory`: batches are `@x/protocol` `RecordBatchBuilder`s (RecordBatch v2)
 * written straight into the pooled buffer, whose size is the write limit (`max(batch.size, first record)`).
 */
export function recordBatchBuilderFactory(
  options: RecordBatchBuilderFactoryOptions = {},
): RecordsBuilderFactory {
  const compression = options.compression ?? 'none'
  const codecs = options.codecs
  const compressed = typeof compression === 'string' ? compression !== 'none' : compression.id !== 0
  // One options object for every batch: a per-batch literal with a spread cost two allocations per batch.
  const builderOptions = codecs === undefined ? { compression } : { compression, codecs }
  return {
    compressed,
    create: (buffer, estimatedCompressionRatio) => {
      const builder = new RecordBatchBuilder(buffer, builderOptions)
      builder.estimatedCompressionRatio = estimatedCompressionRatio
      return builder
    },
    estimateSizeInBytesUpperBound,
    decode: (batchBytes): DecodedRecord[] => {
      const batches = decodeRecordBatches(batchBytes, codecs === undefined ? {} : { codecs })
      if (batches.length !== 1)
        throw new RangeError(`A producer batch holds one record batch, found ${batches.length}`)
      return batches[0]!.records
    },
    rewriteProducerState,
  }
}
