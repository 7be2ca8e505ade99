// @x/testkit's ManualClock under the name and defaults src/transaction's tests import: `advance` awaits I/O
// between timers (the testkit's `advanceAsync`) and time starts at 1,000,000. The sender's own tests use
// the testkit clock directly; this module goes once src/transaction does too.
import { ManualClock as TestkitManualClock } from '@x/testkit'

export class ManualClock extends TestkitManualClock {
  constructor(startMs = 1_000_000) {
    super(startMs)
  }

  /** Moves time forward by `ms`, firing due timers one by one and settling I/O after each. */
  override advance(ms: number): Promise<void> {
    return this.advanceAsync(ms)
  }
}
