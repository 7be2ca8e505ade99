// ManualClock: time moves only on advance, due timers run in due order with now() at their due time,
// cleared timers never run; advanceAsync settles I/O between timers, so a client and the cluster on one
// clock run the same way every time.
import { describe, expect, it } from 'vitest'
import { ManualClock } from './clock.js'
import { EmbeddedKafkaCluster } from './embedded-kafka-cluster.js'
import { KafkaWireClient } from './wire-client/kafka-wire-client.js'

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

describe('ManualClock.advanceAsync', () => {
  it('lets the I/O a timer sets off finish at its instant, so a timer scheduled from it runs in the same span', async () => {
    const runs: number[] = []
    const followUp = (clock: ManualClock) => () => {
      void Promise.resolve().then(() => clock.setTimeout(() => runs.push(clock.now()), 5))
    }
    const stepped = new ManualClock(0)
    stepped.setTimeout(followUp(stepped), 10)
    await stepped.advanceAsync(20)
    expect(runs).toEqual([15])
    expect([stepped.now(), stepped.pendingTimers]).toEqual([20, 0])

    // advance() runs the timer but not what it set off: the follow-up is scheduled after the span, at 25
    runs.length = 0
    const plain = new ManualClock(0)
    plain.setTimeout(followUp(plain), 10)
    plain.advance(20)
    await plain.settle()
    expect(runs).toEqual([])
    expect(plain.pendingTimers).toBe(1)
  })

  it('delivers a response delayed on the cluster clock exactly when the latency elapses', async () => {
    const clock = new ManualClock(1_000)
    const cluster = await EmbeddedKafkaCluster.start({ listen: false, clock })
    try {
      const broker = cluster.brokers[0]!
      const client = await KafkaWireClient.connect({
        host: broker.host,
        port: broker.port,
        transport: cluster.transport,
      })
      cluster.faults.latency({ api: 'Metadata', ms: 100 })
      let answered = false
      const response = client.request('Metadata', { topics: null }).then((body) => {
        answered = true
        return body
      })
      await clock.advanceAsync(99)
      expect(answered).toBe(false)
      await clock.advanceAsync(1)
      expect(answered).toBe(true)
      expect((await response).brokers.map((b) => b.nodeId)).toEqual([1])
      const [entry] = cluster.requestLog.entries({ api: 'Metadata' })
      expect([entry!.receivedAtMs, entry!.completedAtMs]).toEqual([1_000, 1_100])
      client.close()
    } finally {
      await cluster.stop()
    }
  })

  it('advanceUntil steps until the condition holds and reports whether it did within maxMs', async () => {
    const clock = new ManualClock(0)
    let fired = false
    clock.setTimeout(() => {
      fired = true
    }, 35)
    expect(await clock.advanceUntil(() => fired, 100)).toBe(true)
    expect(clock.now()).toBe(40) // 10 ms steps: the step that ran the timer
    expect(await clock.advanceUntil(() => false, 50, 25)).toBe(false)
    expect(clock.now()).toBe(115) // three steps of 25: 0, 25 and 50 ms waited
    await expect(clock.advanceUntil(() => true, 10, 0)).rejects.toMatchObject({ code: 'INVALID_OPTION' })
  })
})
