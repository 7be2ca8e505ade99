/**
 * The metrics the façade keeps itself, under the Java producer's names: record errors (every failed record,
 * whether it failed before or after reaching a batch), time spent waiting for metadata and in `flush()`.
 * The sender's and the buffer pool's metrics are merged in by `KafkaProducer.metrics()`.
 */
export class ProducerMetrics {
  recordErrorTotal = 0
  metadataWaitTimeNsTotal = 0
  flushTimeNsTotal = 0

  snapshot(): Record<string, number> {
    return {
      'record-error-total': this.recordErrorTotal,
      'metadata-wait-time-ns-total': this.metadataWaitTimeNsTotal,
      'flush-time-ns-total': this.flushTimeNsTotal,
    }
  }
}
