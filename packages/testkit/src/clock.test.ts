// ManualClock: time moves only on advance, due timers run in due order with now() at their due time,
// cleared timers never run.
import { describe, expect, it } from 'vitest'
import { ManualClock } from './clock.js'

describe('ManualClock', () => {
  it('runs due timers in due-time order, reading each due time, and leaves later ones pending', () => {
    const clock = new ManualClock(1000)
    const runs: [string, number][] = []
    clock.setTimeout(() => runs.push(['late', clock.now()]), 300)
    clock.setTimeout(() => runs.push(['early', clock.now()]), 100)
    const cleared = clock.setTimeout(() => runs.push(['cleared', clock.now()]), 50)
    clock.clearTimeout(cleared)
    clock.advance(200)
    expect(runs).toEqual([['early', 1100]])
    expect([clock.now(), clock.pendingTimers]).toEqual([1200, 1])
    clock.advance(100)
    expect(runs).toEqual([
      ['early', 1100],
      ['late', 1300],
    ])
  })

  it('runs a timer scheduled by a running timer when it falls within the same advance', () => {
    const clock = new ManualClock(0)
    const runs: number[] = []
    clock.setTimeout(() => {
      runs.push(clock.now())
      clock.setTimeout(() => runs.push(clock.now()), 10)
    }, 10)
    clock.advance(25)
    expect(runs).toEqual([10, 20])
  })
})
