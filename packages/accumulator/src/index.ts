/** @x/accumulator: RecordAccumulator and ProducerBatch: per-partition batching written straight into pooled memory. */
export {}
