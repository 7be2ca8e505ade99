// Vectors: RFC 3720 (iSCSI) appendix B.4 "CRC Examples", and the CRC catalogue check value of CRC-32C
// ("123456789" → 0xE3069283, https://reveng.sourceforge.io/crc-catalogue/17plus.htm#crc.cat.crc-32c).
import { describe, expect, it } from 'vitest'
import { crc32c, crc32cImplementation, crc32cRange } from './crc32c.js'
import { crc32cPure, crc32cPureRange } from './crc32c-table.js'
import { loadNativeCrc32c } from './native-crc32c.js'

const ascending = Uint8Array.from({ length: 32 }, (_, i) => i)
const descending = Uint8Array.from({ length: 32 }, (_, i) => 31 - i)
const vectors: [string, Uint8Array, number][] = [
  ['32 bytes of zeros', new Uint8Array(32), 0x8a9136aa],
  ['32 bytes of 0xFF', new Uint8Array(32).fill(0xff), 0x62a8ab43],
  ['ascending 0..31', ascending, 0x46dd794e],
  ['descending 31..0', descending, 0x113fdb5c],
  ['"123456789"', new TextEncoder().encode('123456789'), 0xe3069283],
  ['empty input', new Uint8Array(0), 0],
]

function randomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length)
  let x = seed
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0
    out[i] = x >>> 24
  }
  return out
}

describe('crc32c', () => {
  for (const [name, data, expected] of vectors) {
    it(`matches the published vector for ${name}`, () => {
      expect(crc32cPure(data)).toBe(expected)
      expect(crc32c(data)).toBe(expected)
    })
  }

  it('continues a running checksum when given the previous CRC as initial', () => {
    const data = randomBytes(5000, 7)
    const whole = crc32c(data)
    for (const cut of [0, 1, 7, 8, 9, 511, 512, 513, 4999, 5000]) {
      expect(crc32c(data.subarray(cut), crc32c(data.subarray(0, cut)))).toBe(whole)
      expect(crc32cPure(data.subarray(cut), crc32cPure(data.subarray(0, cut)))).toBe(whole)
    }
  })

  it('checksums a range of a larger buffer without copying it', () => {
    const data = randomBytes(3000, 3)
    for (const [start, end] of [
      [0, 3000],
      [21, 3000],
      [21, 40],
      [5, 2999],
    ] as const) {
      const expected = crc32cPure(data.slice(start, end))
      expect(crc32cRange(data, start, end)).toBe(expected)
      expect(crc32cPureRange(data, start, end)).toBe(expected)
    }
  })

  it('gives the same result from the native package and the pure implementation at every length', () => {
    const native = loadNativeCrc32c()
    const data = randomBytes(2100, 11)
    for (let length = 0; length <= 2100; length += 13) {
      const view = data.subarray(0, length)
      const pure = crc32cPure(view)
      expect(crc32c(view)).toBe(pure)
      if (native) expect(native(view, 0) >>> 0).toBe(pure)
    }
  })

  it('uses the native package when it is installed', () => {
    // @node-rs/crc32 is an optionalDependency of this package and is installed in this workspace.
    expect(loadNativeCrc32c()).not.toBeNull()
    expect(crc32cImplementation()).toBe('native')
  })
})
