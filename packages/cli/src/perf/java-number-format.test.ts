// Vectors: test-vectors/java-format-vectors.json, printed by test-vectors/JavaFormatVectors.java (OpenJDK 17):
// Java's String.format of 1,225 doubles (perf-like quotients and decimal ties) with %.1f, %.2f and %f.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { formatJavaFixed } from './java-number-format.js'

interface Vector {
  bits: string
  f1: string
  f2: string
  f6: string
}

const vectors = JSON.parse(
  readFileSync(new URL('../../test-vectors/java-format-vectors.json', import.meta.url), 'utf8'),
) as Vector[]

function fromBits(bits: string): number {
  const view = new DataView(new ArrayBuffer(8))
  view.setBigUint64(0, BigInt(`0x${bits}`))
  return view.getFloat64(0)
}

describe('formatJavaFixed', () => {
  it("prints every vector exactly as Java's %.1f, %.2f and %f do", () => {
    const mismatches: string[] = []
    for (const vector of vectors) {
      const value = fromBits(vector.bits)
      for (const [digits, expected] of [
        [1, vector.f1],
        [2, vector.f2],
        [6, vector.f6],
      ] as const) {
        const actual = formatJavaFixed(value, digits)
        if (actual !== expected) mismatches.push(`${value} %.${digits}f: ${actual} ≠ ${expected}`)
      }
    }
    expect(vectors.length).toBeGreaterThan(1000)
    expect(mismatches).toEqual([])
  })

  it('rounds the shortest decimal half up where toFixed rounds the binary value down', () => {
    expect(formatJavaFixed(1.005, 2)).toBe('1.01')
    expect((1.005).toFixed(2)).toBe('1.00')
    expect(formatJavaFixed(2.675, 2)).toBe('2.68')
  })

  it("prints NaN and the infinities as Java's words (a window with no elapsed time)", () => {
    expect(formatJavaFixed(0 / 0, 1)).toBe('NaN')
    expect(formatJavaFixed(1 / 0, 6)).toBe('Infinity')
    expect(formatJavaFixed(-1 / 0, 2)).toBe('-Infinity')
  })

  it('writes large values in plain digits, never in exponent form', () => {
    expect(formatJavaFixed(1e21, 1)).toBe('1000000000000000000000.0')
    expect(formatJavaFixed(1e-7, 6)).toBe('0.000000')
  })
})
