import { describe, expect, it } from 'vitest'
import { commandPropertyFlag } from './java-tools.js'
import { parseProducerPerformance } from './producer-performance.js'

// Final lines printed by ProducerPerformance (20,000 records of 100 bytes, linger.ms=5, one local node):
// kafka-tools 4.3.1 against Kafka 4.4.0, with the deprecation notice it prints for --producer-props, and 3.9.2.
const tools43 = `Option --producer-props has been deprecated and will be removed in a future version. Use --command-property instead.
20000 records sent, 9451.795841 records/sec (0.90 MB/sec), 426.02 ms avg latency, 1056.00 ms max latency, 442 ms 50th, 554 ms 95th, 556 ms 99th, 565 ms 99.9th.
`
const tools39 =
  '20000 records sent, 13140.604468 records/sec (1.25 MB/sec), 301.53 ms avg latency, 723.00 ms max latency, 318 ms 50th, 386 ms 95th, 391 ms 99th, 392 ms 99.9th.\n'

describe('parseProducerPerformance', () => {
  it('reads the final summary of kafka-tools 4.3', () => {
    expect(parseProducerPerformance(tools43)).toEqual({
      records: 20000,
      recordsPerSec: 9451.795841,
      mbPerSec: 0.9,
      avgLatencyMs: 426.02,
      maxLatencyMs: 1056,
      p50Ms: 442,
      p95Ms: 554,
      p99Ms: 556,
      p999Ms: 565,
    })
  })

  it('reads the final summary of kafka-tools 3.9', () => {
    expect(parseProducerPerformance(tools39)).toMatchObject({
      records: 20000,
      recordsPerSec: 13140.604468,
      p999Ms: 392,
    })
  })

  it('ignores the 5-second progress lines, which carry no percentiles', () => {
    const progress =
      '49537 records sent, 9907.4 records/sec (0.94 MB/sec), 1480.3 ms avg latency, 2211.0 ms max latency.\n'
    expect(parseProducerPerformance(progress)).toBeUndefined()
  })
})

describe('commandPropertyFlag', () => {
  it('uses --command-property from kafka-tools 4.2 on and the legacy flag before', () => {
    const tools = (toolsVersion: string) => ({ toolsClasspath: '', toolsLogFlag: '', toolsVersion })
    expect(commandPropertyFlag(tools('4.3.1'), '--producer-props')).toBe('--command-property')
    expect(commandPropertyFlag(tools('4.1.1'), '--producer-props')).toBe('--producer-props')
    expect(commandPropertyFlag(tools('3.9.2'), '--consumer-property')).toBe('--consumer-property')
  })
})
