import { describe, expect, it } from 'vitest'
import { ThroughputThrottler } from './throughput-throttler.js'

describe('ThroughputThrottler', () => {
  it('never throttles a negative target (--throughput -1)', () => {
    const throttler = new ThroughputThrottler(-1, 0)
    expect(throttler.shouldThrottle(1_000_000, 1)).toBe(false)
  })

  it('throttles once the records sent so far run ahead of the target rate', () => {
    const throttler = new ThroughputThrottler(1000, 10_000)
    expect(throttler.shouldThrottle(5, 10_000)).toBe(false) // no time elapsed yet
    expect(throttler.shouldThrottle(999, 11_000)).toBe(false)
    expect(throttler.shouldThrottle(1001, 11_000)).toBe(true)
  })

  it('sleeps only once 2 ms of sleep are owed', async () => {
    const throttler = new ThroughputThrottler(1000, 0) // 1 ms per record
    const start = process.hrtime.bigint()
    await throttler.throttle() // 1 ms owed: no sleep
    const afterFirst = Number(process.hrtime.bigint() - start) / 1e6
    await throttler.throttle() // 2 ms owed: sleeps them
    const afterSecond = Number(process.hrtime.bigint() - start) / 1e6
    expect(afterFirst).toBeLessThan(1)
    expect(afterSecond).toBeGreaterThanOrEqual(2)
  })
})
