import type { CliOutput } from '../cli-io.js'

const WIDTH = 30
const REDRAW_MS = 100
const RATE_WINDOW_MS = 1000

/**
 * A live progress bar for a terminal: acknowledged records against the total and the current rate, on one
 * line redrawn in place. It is drawn on stderr only, and only when stderr is a terminal; `clear()` removes
 * it before a line goes to stdout, so the same terminal shows both cleanly and piped stdout never sees it.
 */
export class ProgressBar {
  private timer: ReturnType<typeof setInterval> | undefined
  private drawn = false
  private lastCount = 0
  private lastMs = 0
  private rate = 0

  private constructor(
    private readonly stream: CliOutput,
    private readonly total: number,
    private readonly count: () => number,
  ) {}

  /** A bar over `stream` when it is a terminal, else undefined. */
  static start(stream: CliOutput, total: number, count: () => number): ProgressBar | undefined {
    if (stream.isTTY !== true) return undefined
    const bar = new ProgressBar(stream, total, count)
    bar.lastMs = Date.now()
    bar.timer = setInterval(() => bar.draw(), REDRAW_MS)
    bar.timer.unref()
    return bar
  }

  /** The bar's text for `done` of `total` at `rate` records/sec (exposed for tests). */
  static render(done: number, total: number, rate: number): string {
    const fraction = total > 0 ? Math.min(1, done / total) : 0
    const filled = Math.round(fraction * WIDTH)
    const bar = `${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? (filled === WIDTH ? '=' : '>') : ''}`
    return `[${bar.padEnd(WIDTH)}] ${(fraction * 100).toFixed(1).padStart(5)}% ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} records ${Math.round(rate).toLocaleString('en-US')} records/sec`
  }

  draw(): void {
    const now = Date.now()
    const done = this.count()
    // the rate over the last second or more: steadier to read than one redraw interval's
    if (now - this.lastMs >= RATE_WINDOW_MS) {
      this.rate = ((done - this.lastCount) * 1000) / (now - this.lastMs)
      this.lastCount = done
      this.lastMs = now
    }
    this.stream.write(`\r\x1b[2K${ProgressBar.render(done, this.total, this.rate)}`)
    this.drawn = true
  }

  /** Removes the bar from its line (it comes back at the next redraw). */
  clear(): void {
    if (!this.drawn) return
    this.stream.write('\r\x1b[2K')
    this.drawn = false
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer)
    this.timer = undefined
    this.clear()
  }
}
