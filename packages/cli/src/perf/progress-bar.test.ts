import { describe, expect, it } from 'vitest'
import { ProgressBar } from './progress-bar.js'

describe('ProgressBar', () => {
  it('renders the share done, the counts and the rate', () => {
    expect(ProgressBar.render(450_000, 1_000_000, 98_765.4)).toBe(
      '[=============>                ]  45.0% 450,000/1,000,000 records 98,765 records/sec',
    )
    expect(ProgressBar.render(10, 10, 0)).toBe(`[${'='.repeat(30)}] 100.0% 10/10 records 0 records/sec`)
  })

  it('is drawn only on a terminal', () => {
    const written: string[] = []
    const pipe = { write: (text: string | Uint8Array) => written.push(String(text)), isTTY: false }
    expect(ProgressBar.start(pipe, 10, () => 0)).toBeUndefined()
    const terminal = { ...pipe, isTTY: true }
    const bar = ProgressBar.start(terminal, 10, () => 5)!
    bar.draw()
    bar.stop()
    expect(written[0]!.startsWith('\r\x1b[2K')).toBe(true)
    expect(written[0]!.slice(5)).toMatch(/^\[=+>? *\] +50\.0% 5\/10 records/)
    expect(written.at(-1)).toBe('\r\x1b[2K')
  })
})
