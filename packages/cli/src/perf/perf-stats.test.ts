// Line formats from Kafka 4.3.1's ProducerPerformance (format strings read from the kafka-tools jar with
// javap and its source); real output of that tool is in test-vectors/producer-performance-*.txt.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { PerfStats } from './perf-stats.js'

/** The two format strings as regular expressions: %d, %.1f, %.2f, %f (6 decimals), %s = " steady state" or "". */
const progressLine =
  /^\d+ records sent, \d+\.\d records\/sec \(\d+\.\d{2} MB\/sec\), \d+\.\d ms avg latency, \d+\.\d ms max latency\.$/
const summaryLine =
  /^\d+( steady state)? records sent, \d+\.\d{6} records\/sec \(\d+\.\d{2} MB\/sec\), \d+\.\d{2} ms avg latency, \d+\.\d{2} ms max latency, \d+ ms 50th, \d+ ms 95th, \d+ ms 99th, \d+ ms 99\.9th\.$/

function javaLines(name: string): string[] {
  return readFileSync(new URL(`../../test-vectors/${name}`, import.meta.url), 'utf8')
    .trimEnd()
    .split('\n')
}

/** PerfStats on a hand-driven clock, collecting what it prints. */
function statsAt(
  numRecords: number,
  options: { isSteadyState?: boolean; reportingIntervalMs?: number } = {},
) {
  let now = 1_000_000
  const lines: string[] = []
  const stats = new PerfStats({
    numRecords,
    isSteadyState: options.isSteadyState ?? false,
    reportingIntervalMs: options.reportingIntervalMs ?? 5000,
    print: (line) => lines.push(line),
    clock: () => now,
  })
  return {
    stats,
    lines,
    advance: (ms: number) => {
      now += ms
      return now
    },
  }
}

describe('PerfStats', () => {
  it('matches the grammar of every progress and summary line the Java tool printed', () => {
    const java = [
      ...javaLines('producer-performance-4.3.1.txt'),
      ...javaLines('producer-performance-3.9.2.txt'),
      ...javaLines('producer-performance-4.3.1-warmup-metrics.txt').slice(0, 7),
    ].filter((line) => line.includes('records sent'))
    expect(java.length).toBeGreaterThanOrEqual(9)
    for (const line of java) expect(line).toMatch(line.includes('50th') ? summaryLine : progressLine)
  })

  it('prints the summary with Java number formats, the average and nearest-rank percentiles', () => {
    const { stats, lines, advance } = statsAt(4)
    for (const latency of [10, 40, 20, 30]) stats.record(latency, 100, advance(0))
    advance(2000)
    stats.printTotal()
    // 4 records in 2 s: 2.0 records/sec; 400 B / 2 s = 0.000191 MB/sec → 0.00; percentiles of [10,20,30,40]
    expect(lines).toEqual([
      '4 records sent, 2.000000 records/sec (0.00 MB/sec), 25.00 ms avg latency, 40.00 ms max latency, 30 ms 50th, 40 ms 95th, 40 ms 99th, 40 ms 99.9th.',
    ])
    expect(lines[0]).toMatch(summaryLine)
  })

  it('prints a progress line when a record completes a reporting interval after the window began', () => {
    const { stats, lines, advance } = statsAt(100, { reportingIntervalMs: 5000 })
    stats.record(7, 1024 * 1024, advance(1000))
    expect(lines).toEqual([])
    stats.record(9, 1024 * 1024, advance(4000))
    expect(lines).toEqual([
      '2 records sent, 0.4 records/sec (0.40 MB/sec), 8.0 ms avg latency, 9.0 ms max latency.',
    ])
    expect(lines[0]).toMatch(progressLine)
    // the next window starts then: one more record a second later prints nothing yet
    stats.record(1, 1, advance(1000))
    expect(lines).toHaveLength(1)
  })

  it('marks the steady-state summary and announces its first window, as after --warmup-records', () => {
    const { stats, lines, advance } = statsAt(10, { isSteadyState: true, reportingIntervalMs: 100 })
    stats.record(5, 10, advance(100))
    stats.printTotal()
    expect(lines[0]).toBe('In steady state.')
    expect(lines[1]).toMatch(progressLine)
    expect(lines[2]).toMatch(/^1 steady state records sent, /)
    expect(lines[2]).toMatch(summaryLine)
  })

  it('prints no progress line once suppressed (the warm-up statistics after the warm-up)', () => {
    const { stats, lines, advance } = statsAt(10, { reportingIntervalMs: 100 })
    stats.suppressPrinting()
    stats.record(5, 10, advance(500))
    expect(lines).toEqual([])
  })

  it('samples every n-th latency above 500,000 records, as Java sizes its array', () => {
    const { stats, lines, advance } = statsAt(1_000_000)
    // sampling = 2: records 0, 2, 4, ... are kept; give the kept ones 1 ms and the others 1000 ms
    for (let index = 0; index < 1_000_000; index++) stats.record(index % 2 === 0 ? 1 : 1000, 1, advance(0))
    advance(1000)
    stats.printTotal()
    expect(lines[0]).toMatch(/, 1 ms 50th, 1 ms 95th, 1 ms 99th, 1 ms 99\.9th\.$/)
    expect(lines[0]).toMatch(/ 500\.50 ms avg latency, 1000\.00 ms max latency/)
  })

  it('prints NaN and zero percentiles when no record succeeded, as Java does', () => {
    const { stats, lines, advance } = statsAt(5)
    advance(10)
    stats.printTotal()
    expect(lines).toEqual([
      '0 records sent, 0.000000 records/sec (0.00 MB/sec), NaN ms avg latency, 0.00 ms max latency, 0 ms 50th, 0 ms 95th, 0 ms 99th, 0 ms 99.9th.',
    ])
  })
})
