// Unit tests of the suite's arithmetic: the latency histogram's percentiles, the allocation count from GC
// traces, and the ratios and target checks of the report. The inputs are made up here; no broker runs.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { allocatedBetween, type GcStatistic } from '../child/allocation-meter.js'
import { parseTimeOutput } from '../runner/measured-process.js'
import { profileWorkloads } from '../workloads.js'
import { updateReadmeSummary } from './doc-section.js'
import { bucketIndex, bucketUpperBound, LatencyHistogram } from './latency-histogram.js'
import {
  checkTargets,
  medianRun,
  readmeSummary,
  relativeToBaseline,
  speedupOverClient,
  workloadTable,
} from './markdown-report.js'
import type { RunMetrics, SuiteResult } from './results.js'

describe('LatencyHistogram', () => {
  it('gives exact percentiles below 256 µs', () => {
    const h = new LatencyHistogram()
    for (let us = 1; us <= 200; us++) h.record(us)
    expect(h.percentile(50)).toBe(100)
    expect(h.percentile(99)).toBe(198)
    expect(h.percentile(100)).toBe(200)
    expect(h.summary().meanMs).toBeCloseTo(0.1005, 6)
  })

  it('keeps larger values within 0.8% and never reports more than the largest sample', () => {
    const h = new LatencyHistogram()
    for (let i = 0; i < 999; i++) h.record(5_000) // 5 ms
    h.record(1_234_567) // one 1.2 s outlier
    const p50 = h.percentile(50)
    expect(p50).toBeGreaterThanOrEqual(5_000)
    expect(p50 / 5_000).toBeLessThan(1.008)
    expect(h.percentile(99.9)).toBeLessThan(5_040) // rank 999 is still a 5 ms sample
    expect(h.percentile(100)).toBe(1_234_567)
  })

  it('weights a sample recorded for a whole batch by its count', () => {
    const h = new LatencyHistogram()
    h.record(10_000, 990)
    h.record(100_000, 10)
    expect(h.count).toBe(1000)
    expect(h.summary().p99Ms).toBeCloseTo(10, 0)
    expect(h.summary().p999Ms).toBeCloseTo(100, -1)
  })

  it('maps every value into a bucket whose bounds contain it', () => {
    for (const value of [0, 1, 255, 256, 257, 511, 512, 1000, 65_535, 1e6, 2 ** 31 - 1]) {
      const index = bucketIndex(value)
      expect(bucketUpperBound(index)).toBeGreaterThanOrEqual(value)
      if (index > 0) expect(bucketUpperBound(index - 1)).toBeLessThan(value)
    }
  })

  it('merges histograms', () => {
    const a = new LatencyHistogram()
    const b = new LatencyHistogram()
    a.record(100, 3)
    b.record(200, 1)
    a.merge(b)
    expect(a.count).toBe(4)
    expect(a.percentile(100)).toBe(200)
  })
})

describe('allocatedBetween', () => {
  const gc = (before: number, after: number): GcStatistic => ({
    gcType: 'Scavenge',
    cost: 100,
    beforeGC: { heapStatistics: { usedHeapSize: before } },
    afterGC: { heapStatistics: { usedHeapSize: after } },
  })

  it('adds what each GC found beyond what the previous one left, plus the growth since the last', () => {
    // start at 1000; GC 1 finds 5000 and leaves 1200; GC 2 finds 4200 and leaves 1300; end at 2300
    expect(allocatedBetween(1000, [gc(5000, 1200), gc(4200, 1300)], 2300)).toBe(4000 + 3000 + 1000)
  })

  it('is the plain growth without any GC', () => {
    expect(allocatedBetween(1000, [], 1800)).toBe(800)
  })
})

it('parses the rusage line GNU time writes, also after a non-zero exit notice', () => {
  expect(parseTimeOutput('Command exited with non-zero status 1\nrusage 81234 1.52 0.31\n')).toEqual({
    maxRssKiB: 81234,
    userSec: 1.52,
    sysSec: 0.31,
  })
  expect(parseTimeOutput('garbage')).toBeUndefined()
})

describe('report', () => {
  const metrics = (recordsPerSec: number, extra: Partial<RunMetrics> = {}): RunMetrics => ({
    records: 1_000_000,
    errors: 0,
    elapsedMs: 1000,
    recordsPerSec,
    mbPerSec: recordsPerSec / 10_000,
    ...extra,
  })
  const [throughput, latency, soak] = profileWorkloads('quick')
  const suite: SuiteResult = {
    version: 1,
    profile: 'quick',
    command: 'test',
    startedAt: '2026-01-01T00:00:00Z',
    finishedAt: '2026-01-01T00:10:00Z',
    machine: { cpu: 'x', cores: 2, memoryGiB: 24, os: 'd', kernel: 'k', loadAverage: { start: 1, end: 1 } },
    versions: {},
    bufferMemory: 32 * 1024 * 1024,
    workloads: [throughput!, latency!, soak!],
    clients: [
      { id: 'x-send', label: 'x', library: '@x/producer', runtime: 'node20' },
      { id: 'node-rdkafka', label: 'rdkafka', library: 'node-rdkafka', runtime: 'node20' },
      { id: 'kcat', label: 'kcat', library: 'kcat', runtime: 'kcat' },
    ],
    runs: [
      { workloadId: throughput!.id, clientId: 'x-send', status: 'ok', metrics: metrics(900_000) },
      { workloadId: throughput!.id, clientId: 'node-rdkafka', status: 'ok', metrics: metrics(400_000) },
      { workloadId: throughput!.id, clientId: 'kcat', status: 'failed', reason: 'boom' },
      {
        workloadId: latency!.id,
        clientId: 'x-send',
        status: 'ok',
        metrics: metrics(50_000, { latency: { meanMs: 4, p50Ms: 3, p99Ms: 11, p999Ms: 20, maxMs: 30 } }),
      },
      {
        workloadId: soak!.id,
        clientId: 'x-send',
        status: 'ok',
        metrics: metrics(500_000, {
          records: 10_000_000,
          peakRssKiB: 100 * 1024,
          heapAfterGcByMillion: [10 * 1024 * 1024, 10.5 * 1024 * 1024, 12 * 1024 * 1024],
        }),
      },
    ],
  }

  it('computes ratios both ways and NaN when a side is missing', () => {
    expect(speedupOverClient(metrics(900_000), metrics(400_000))).toBe(2.25)
    expect(relativeToBaseline(metrics(900_000), metrics(400_000))).toBeCloseTo(0.444, 3)
    expect(speedupOverClient(metrics(1), undefined)).toBeNaN()
  })

  it('represents repeated runs by the median one, by records/s, or by p99 at a fixed rate', () => {
    const runs = [300, 100, 200].map((rate) => ({
      workloadId: throughput!.id,
      clientId: 'x-send',
      status: 'ok' as const,
      metrics: metrics(rate, { latency: { meanMs: 1, p50Ms: 1, p99Ms: 1000 / rate, p999Ms: 9, maxMs: 9 } }),
    }))
    expect(medianRun(runs, throughput!.id)?.recordsPerSec).toBe(200)
    expect(medianRun(runs, latency!.id)?.recordsPerSec).toBe(200)
    expect(
      medianRun([...runs, { workloadId: 'w', clientId: 'x-send', status: 'failed' }], 'w')?.recordsPerSec,
    ).toBe(200)
    expect(medianRun([{ workloadId: 'w', clientId: 'x-send', status: 'failed' }], 'w')).toBeUndefined()
  })

  it('checks each target, marking the ones without a run as not measured', () => {
    const checks = checkTargets(suite)
    const byStart = (text: string) => checks.find((c) => c.target.includes(text))!
    expect(byStart("node-rdkafka's")).toMatchObject({ measured: '2.25×', met: true })
    expect(byStart('kcat')).toMatchObject({ measured: 'not measured', met: undefined })
    expect(byStart('p99 at 50,000')).toMatchObject({ met: false }) // 11 ms > 5 + 5
    expect(byStart('peak RSS')).toMatchObject({ measured: '100.0 MiB', met: true }) // < 32 + 80
    expect(byStart('heap after full GC')).toMatchObject({ measured: '10.0 → 12.0 MiB', met: false })
  })

  it('judges repeated soaks by the median peak RSS, with the range, and wants every heap flat', () => {
    const soakRun = (rssMiB: number, lastHeapMiB: number) => ({
      workloadId: soak!.id,
      clientId: 'x-send',
      status: 'ok' as const,
      metrics: metrics(900_000, {
        records: 10_000_000,
        peakRssKiB: rssMiB * 1024,
        heapAfterGcByMillion: [10 * 1024 * 1024, lastHeapMiB * 1024 * 1024],
      }),
    })
    const repeated = {
      ...suite,
      runs: [soakRun(130, 10), soakRun(105, 10), soakRun(110, 10.5), soakRun(150, 10), soakRun(100, 12)],
    }
    const checks = checkTargets(repeated)
    const byStart = (text: string) => checks.find((c) => c.target.includes(text))!
    expect(byStart('peak RSS')).toMatchObject({
      measured: '110.0 MiB, median of 5 soaks (100.0–150.0; 3 under)',
      met: true,
    })
    expect(byStart('heap after full GC')).toMatchObject({
      measured: '10.0 → 10.5 MiB (flat in 4 of 5 soaks)',
      met: false,
    })
    expect(workloadTable(repeated, soak!)).toContain('| 5: RSS 100.0–150.0 MiB |')
  })

  it('renders one row per client with its ratio to x-send, and the reason of a failed run', () => {
    const table = workloadTable(suite, throughput!)
    expect(table).toContain('| x | 900,000 | 1.00× |')
    expect(table).toContain('| rdkafka | 400,000 | 0.44× |')
    expect(table).toContain('| kcat | **failed**: boom |')
  })

  it("names the brokers' topology in the README summary", () => {
    const oneNode = 'Apache Kafka 4.4.0, 1 KRaft node (broker+controller) on loopback, replication factor 1'
    expect(readmeSummary({ ...suite, versions: { broker: oneNode } })).toContain(
      '(100 B, acks=1, 6 partitions, one broker) is 2.25× node-rdkafka',
    )
    const threeNodes =
      'Apache Kafka 4.4.0, 3 KRaft nodes (broker+controller) on loopback, replication factor 3'
    expect(readmeSummary({ ...suite, versions: { broker: threeNodes } })).toContain(
      '6 partitions, 3 brokers)',
    )
  })
})

it("puts the summary after the README's marker and replaces the previous one", () => {
  const file = join(mkdtempSync(join(tmpdir(), 'bench-readme-')), 'README.md')
  const marker = '<!-- benchmarks: one-line summary, kept by the benchmark suite -->'
  writeFileSync(file, `## Benchmarks\n\n${marker}\n\nOwner's text.\n`)
  updateReadmeSummary(file, 'Last run (1): a.')
  updateReadmeSummary(file, 'Last run (2): b.')
  expect(readFileSync(file, 'utf8')).toBe(`## Benchmarks\n\n${marker}\n\nLast run (2): b.\n\nOwner's text.\n`)
})
