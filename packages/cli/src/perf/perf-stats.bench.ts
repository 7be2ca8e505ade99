// What `x-kafka perf` adds per record besides the producer: the payload (100 random letters) and the
// statistics of its callback. Run: npx vitest bench --run --project cli
import { bench, describe } from 'vitest'
import { PayloadSource } from './payload-source.js'
import { PerfStats } from './perf-stats.js'

describe('per record, 100,000 records', () => {
  bench('PayloadSource.next: 100 random A–Z bytes into a reused buffer', () => {
    const source = PayloadSource.randomLetters(100)
    for (let index = 0; index < 100_000; index++) source.next(index, true)
  })

  bench('PerfStats.record', () => {
    const stats = new PerfStats({
      numRecords: 100_000,
      isSteadyState: false,
      reportingIntervalMs: 5000,
      print: () => {},
    })
    const now = Date.now()
    for (let index = 0; index < 100_000; index++) stats.record(index % 50, 100, now)
  })
})
