/**
 * Retry backoff with exponential growth and jitter (Java `ExponentialBackoff`, KIP-580):
 * `min(retryBackoffMaxMs, retryBackoffMs * 2^attempts * random[1 - jitter, 1 + jitter))`. Each call draws new
 * jitter, as Java does. `random` is injectable so tests can pin it.
 */
export class ExponentialBackoff {
  private readonly expMax: number
  readonly initialIntervalMs: number

  constructor(
    initialIntervalMs: number,
    readonly multiplier: number,
    readonly maxIntervalMs: number,
    readonly jitter: number,
    private readonly random: () => number = Math.random,
  ) {
    this.initialIntervalMs = Math.min(maxIntervalMs, initialIntervalMs)
    this.expMax =
      maxIntervalMs > initialIntervalMs
        ? Math.log(maxIntervalMs / Math.max(1, initialIntervalMs)) / Math.log(multiplier)
        : 0
  }

  backoff(attempts: number): number {
    if (this.expMax === 0) return this.initialIntervalMs
    const exponent = Math.min(attempts, this.expMax)
    const term = this.initialIntervalMs * this.multiplier ** exponent
    const factor = this.jitter < Number.MIN_VALUE ? 1 : 1 - this.jitter + this.random() * 2 * this.jitter
    return Math.min(Math.trunc(factor * term), this.maxIntervalMs)
  }
}
