// Layout of Kafka's ToolsUtils.printMetrics, as kafka-tools 4.3.1 printed it in
// test-vectors/producer-performance-4.3.1-warmup-metrics.txt.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { formatMetrics } from './print-metrics.js'

describe('formatMetrics', () => {
  it('lays out a blank line, the header and sorted name : value lines like the Java tool', () => {
    const lines = formatMetrics(
      { 'record-send-total': 3, 'batch-size-avg': 1234.56789 },
      'perf-producer-client',
    )
    const width = 'producer-metrics:record-send-total:{client-id=perf-producer-client}'.length
    expect(lines).toEqual([
      '',
      `${'Metric Name'.padEnd(width)}   Value`,
      `${'producer-metrics:batch-size-avg:{client-id=perf-producer-client}'.padEnd(width)} : 1234.568`,
      'producer-metrics:record-send-total:{client-id=perf-producer-client} : 3.000',
    ])
  })

  it('uses the same column rule as the captured Java output: header "Value" three past the widest name', () => {
    const java = readFileSync(
      new URL('../../test-vectors/producer-performance-4.3.1-warmup-metrics.txt', import.meta.url),
      'utf8',
    ).split('\n')
    const header = java.findIndex((line) => line.startsWith('Metric Name'))
    expect(java[header - 1]).toBe('')
    const rows = java.slice(header + 1).filter((line) => line.includes(' : '))
    const width = Math.max(...rows.map((line) => line.indexOf(' : ')))
    expect(java[header]).toBe(`${'Metric Name'.padEnd(width)}   Value`)
    const ours = formatMetrics({ 'record-send-total': 1 }, 'perf-producer-client')
    expect(ours[1]!.indexOf('Value') - ours[2]!.indexOf(' : ')).toBe(java[header]!.indexOf('Value') - width)
  })

  it('prints nothing for no metrics, as Java skips an empty map', () => {
    expect(formatMetrics({}, 'c')).toEqual([])
  })
})
