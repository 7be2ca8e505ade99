import { setTimeout as sleep } from 'node:timers/promises'

const NS_PER_SEC = 1_000_000_000
/** Sleep only once this much sleep is owed: shorter sleeps cost more than they save. */
const MIN_SLEEP_NS = 2_000_000

/**
 * Kafka's `ThroughputThrottler`: holds a sender to about `targetThroughput` records per second by sleeping,
 * on average, `1 / targetThroughput` seconds per record, in sleeps of at least 2 ms. A negative target
 * never throttles.
 */
export class ThroughputThrottler {
  private readonly sleepTimeNs: number
  private sleepDeficitNs = 0

  constructor(
    private readonly targetThroughput: number,
    private readonly startMs: number,
  ) {
    this.sleepTimeNs =
      targetThroughput > 0 ? Math.trunc(NS_PER_SEC / targetThroughput) : Number.MAX_SAFE_INTEGER
  }

  /** Whether `amountSoFar` records by `sendStartMs` is ahead of the target (elapsed in float, as Java). */
  shouldThrottle(amountSoFar: number, sendStartMs: number): boolean {
    if (this.targetThroughput < 0) return false
    const elapsedSec = Math.fround(Math.fround(sendStartMs - this.startMs) / Math.fround(1000))
    return elapsedSec > 0 && amountSoFar / elapsedSec > this.targetThroughput
  }

  /** Owes one record's worth of sleep, and sleeps once 2 ms are owed. */
  async throttle(): Promise<void> {
    this.sleepDeficitNs += this.sleepTimeNs
    if (this.sleepDeficitNs < MIN_SLEEP_NS) return
    const start = process.hrtime.bigint()
    for (let remaining = this.sleepDeficitNs; remaining > 0; ) {
      await sleep(Math.max(1, Math.ceil(remaining / 1_000_000)))
      remaining = this.sleepDeficitNs - Number(process.hrtime.bigint() - start)
    }
    this.sleepDeficitNs = 0
  }
}
