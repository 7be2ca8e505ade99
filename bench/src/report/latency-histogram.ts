/**
 * A log-linear histogram of latencies in microseconds (the HdrHistogram layout at two significant digits):
 * values below 256 µs are exact, larger ones fall into 128 buckets per power of two, so a percentile is at
 * most 0.8% above the true value. Recording is one array increment, so a client's ack callback can record
 * every record without allocating.
 */
const SUB_BUCKET_BITS = 7
const SUB_BUCKETS = 1 << SUB_BUCKET_BITS // 128
const LINEAR_LIMIT = SUB_BUCKETS * 2 // 256: exact below this
const MAX_EXPONENT = 30 // values up to 2^31 - 1 µs (about 35 minutes)
const BUCKETS = LINEAR_LIMIT + (MAX_EXPONENT - SUB_BUCKET_BITS) * SUB_BUCKETS
const MAX_VALUE = 2 ** 31 - 1

/** Bucket of a value (µs, integer ≥ 0). */
export function bucketIndex(micros: number): number {
  if (micros < LINEAR_LIMIT) return Math.max(micros, 0)
  const value = Math.min(micros, MAX_VALUE)
  const exponent = 31 - Math.clz32(value) // ≥ 8
  const shift = exponent - SUB_BUCKET_BITS
  const mantissa = value >>> shift // in [128, 256)
  return LINEAR_LIMIT + (exponent - SUB_BUCKET_BITS - 1) * SUB_BUCKETS + (mantissa - SUB_BUCKETS)
}

/** The highest value (µs) that lands in bucket `index`. */
export function bucketUpperBound(index: number): number {
  if (index < LINEAR_LIMIT) return index
  const offset = index - LINEAR_LIMIT
  const exponent = Math.floor(offset / SUB_BUCKETS) + SUB_BUCKET_BITS + 1
  const mantissa = (offset % SUB_BUCKETS) + SUB_BUCKETS
  const shift = exponent - SUB_BUCKET_BITS
  return (mantissa + 1) * 2 ** shift - 1
}

export interface LatencySummary {
  count: number
  meanMs: number
  p50Ms: number
  p99Ms: number
  p999Ms: number
  maxMs: number
}

export class LatencyHistogram {
  private readonly counts = new Float64Array(BUCKETS)
  private total = 0
  private sumMicros = 0
  private maxMicros = 0

  /** Records `count` samples of `micros` (rounded to whole microseconds). */
  record(micros: number, count = 1): void {
    const value = Math.round(micros)
    this.counts[bucketIndex(value)]! += count
    this.total += count
    this.sumMicros += value * count
    if (value > this.maxMicros) this.maxMicros = value
  }

  get count(): number {
    return this.total
  }

  /**
   * The value (µs) at or below which `percent`% of the samples fall: the upper bound of the bucket holding
   * the sample of rank ⌈percent/100 · count⌉, never more than the largest sample. 0 when empty.
   */
  percentile(percent: number): number {
    if (this.total === 0) return 0
    // the epsilon keeps float error (0.999 × 1000 = 999.0000000000001) from pushing the rank up by one
    const rank = Math.max(1, Math.ceil((percent / 100) * this.total - 1e-9))
    let seen = 0
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!
      if (seen >= rank) return Math.min(bucketUpperBound(i), this.maxMicros)
    }
    return this.maxMicros
  }

  /** Adds every sample of `other`. */
  merge(other: LatencyHistogram): void {
    for (let i = 0; i < BUCKETS; i++) this.counts[i]! += other.counts[i]!
    this.total += other.total
    this.sumMicros += other.sumMicros
    if (other.maxMicros > this.maxMicros) this.maxMicros = other.maxMicros
  }

  summary(): LatencySummary {
    const ms = (micros: number) => micros / 1000
    return {
      count: this.total,
      meanMs: this.total === 0 ? 0 : ms(this.sumMicros / this.total),
      p50Ms: ms(this.percentile(50)),
      p99Ms: ms(this.percentile(99)),
      p999Ms: ms(this.percentile(99.9)),
      maxMs: ms(this.maxMicros),
    }
  }
}
