// A steady, rate-limited producer load: every lane (a producer, its ledger, its topic) sends the same number
// of oracle records at a fixed rate, in 20 ms ticks, so a fault lands in the middle of a known stream.
import type { DeliveryLedger } from '@x/testkit'
import { type OracleProducer, sendRecorded, sleep } from './oracle-producer.js'

export interface Lane {
  readonly producer: OracleProducer
  readonly ledger: DeliveryLedger
  readonly topic: string
}

export interface SteadyLoad {
  /** Records sent so far on each lane. */
  readonly sent: number
  /** Resolves when every lane sent `records`. */
  readonly done: Promise<void>
  /** Resolves once `count` records were sent on each lane. */
  reached(count: number): Promise<void>
}

export function steadyLoad(
  lanes: readonly Lane[],
  options: { records: number; perSecond: number; keys?: number; valueBytes?: number },
): SteadyLoad {
  const keys = options.keys ?? 12
  const perTick = Math.max(1, Math.round(options.perSecond / 50))
  let sent = 0
  const done = (async () => {
    const start = Date.now()
    for (let tick = 0; sent < options.records; tick++) {
      const until = Math.min(options.records, sent + perTick)
      for (; sent < until; sent++) {
        for (const lane of lanes) {
          sendRecorded(
            lane.producer,
            lane.ledger,
            lane.ledger.next({
              topic: lane.topic,
              key: `k${sent % keys}`,
              valueBytes: options.valueBytes ?? 100,
            }),
          )
        }
      }
      const next = start + (tick + 1) * 20
      await sleep(Math.max(0, next - Date.now()))
    }
  })()
  return {
    get sent() {
      return sent
    },
    done,
    async reached(count) {
      while (sent < count) await sleep(10)
    },
  }
}
