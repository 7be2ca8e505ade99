import { describe, expect, it } from 'vitest'
import { kafkaLine } from './kafka-line.js'

describe('kafkaLine', () => {
  it('defaults to the 4.x line, whose tools are pinned separately from the broker', () => {
    expect(kafkaLine(undefined)).toMatchObject({ line: '4', brokerVersion: '4.4.0', toolsVersion: '4.3.1' })
    expect(kafkaLine('')).toMatchObject({ line: '4' })
  })

  it('selects 3.9 by any of its spellings', () => {
    for (const name of ['3.9', '3.9.x', '3'])
      expect(kafkaLine(name)).toMatchObject({ line: '3.9', brokerVersion: '3.9.2' })
  })

  it('rejects an unknown line naming KAFKA_LINE and the valid choices', () => {
    expect(() => kafkaLine('2.8')).toThrow(/KAFKA_LINE or --line\): use 4 .* or 3\.9/)
  })
})
