/**
 * Per-topic running estimate of the compression ratio (compressed / uncompressed), which the batch builder
 * uses to guess when a compressed batch is full (Java `CompressionRatioEstimator`). Pessimistic on purpose:
 * it worsens fast (+0.05 per batch) and improves slowly (-0.005), because an underestimate produces batches
 * the broker rejects as too large, which then have to be split. One instance per accumulator (Java's is a
 * static shared by every producer in the JVM).
 */
export class CompressionRatioEstimator {
  static readonly DETERIORATE_STEP = 0.05
  static readonly IMPROVING_STEP = 0.005
  private readonly estimates = new Map<string, number>()

  estimation(topic: string): number {
    return this.estimates.get(topic) ?? 1
  }

  /** Folds in the ratio a closed batch achieved; returns the new estimate. */
  updateEstimation(topic: string, observedRatio: number): number {
    const current = this.estimation(topic)
    let next = current
    if (observedRatio > current)
      next = Math.max(current + CompressionRatioEstimator.DETERIORATE_STEP, observedRatio)
    else if (observedRatio < current)
      next = Math.max(current - CompressionRatioEstimator.IMPROVING_STEP, observedRatio)
    this.estimates.set(topic, next)
    return next
  }

  setEstimation(topic: string, ratio: number): void {
    this.estimates.set(topic, ratio)
  }

  resetEstimation(topic: string): void {
    this.estimates.delete(topic)
  }
}
