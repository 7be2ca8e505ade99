/**
 * Java producer metrics the sender can keep cheaply: totals and running averages/maxima updated once per
 * request or batch, read with `snapshot()` under Java's names (rates are left to the caller: sample two
 * snapshots).
 */
export class SenderMetrics {
  requestTotal = 0
  responseTotal = 0
  outgoingByteTotal = 0
  recordSendTotal = 0
  recordRetryTotal = 0
  recordErrorTotal = 0
  batchSplitTotal = 0
  batchTotal = 0
  batchBytesTotal = 0
  batchSizeMax = 0
  requestLatencyTotalMs = 0
  requestLatencyMaxMs = 0
  recordQueueTimeTotalMs = 0
  recordQueueTimeMaxMs = 0
  connectionCreationTotal = 0
  connectionCloseTotal = 0
  produceThrottleTimeMaxMs = 0

  recordRequest(records: number, bytes: number): void {
    this.requestTotal++
    this.recordSendTotal += records
    this.outgoingByteTotal += bytes
  }

  recordBatch(bytes: number, queueTimeMs: number): void {
    this.batchTotal++
    this.batchBytesTotal += bytes
    if (bytes > this.batchSizeMax) this.batchSizeMax = bytes
    this.recordQueueTimeTotalMs += queueTimeMs
    if (queueTimeMs > this.recordQueueTimeMaxMs) this.recordQueueTimeMaxMs = queueTimeMs
  }

  recordLatency(latencyMs: number): void {
    this.responseTotal++
    this.requestLatencyTotalMs += latencyMs
    if (latencyMs > this.requestLatencyMaxMs) this.requestLatencyMaxMs = latencyMs
  }

  /** Java's metric names; `requests-in-flight` and `metadata-age` come from the caller. */
  snapshot(extra: {
    requestsInFlight: number
    metadataAgeMs: number
    connectionCount: number
  }): Record<string, number> {
    return {
      'request-total': this.requestTotal,
      'response-total': this.responseTotal,
      'outgoing-byte-total': this.outgoingByteTotal,
      'record-send-total': this.recordSendTotal,
      'record-retry-total': this.recordRetryTotal,
      'record-error-total': this.recordErrorTotal,
      'batch-split-total': this.batchSplitTotal,
      'batch-size-avg': this.batchTotal === 0 ? 0 : this.batchBytesTotal / this.batchTotal,
      'batch-size-max': this.batchSizeMax,
      'records-per-request-avg': this.requestTotal === 0 ? 0 : this.recordSendTotal / this.requestTotal,
      'request-latency-avg': this.responseTotal === 0 ? 0 : this.requestLatencyTotalMs / this.responseTotal,
      'request-latency-max': this.requestLatencyMaxMs,
      'record-queue-time-avg': this.batchTotal === 0 ? 0 : this.recordQueueTimeTotalMs / this.batchTotal,
      'record-queue-time-max': this.recordQueueTimeMaxMs,
      'produce-throttle-time-max': this.produceThrottleTimeMaxMs,
      'connection-creation-total': this.connectionCreationTotal,
      'connection-close-total': this.connectionCloseTotal,
      'connection-count': extra.connectionCount,
      'requests-in-flight': extra.requestsInFlight,
      'metadata-age': extra.metadataAgeMs / 1000,
    }
  }
}
