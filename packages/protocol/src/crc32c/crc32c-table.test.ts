// The table-driven CRC32C against the definition: a bit-at-a-time CRC-32C (reflected polynomial 0x82F63B78,
// RFC 3720 §12.1), over every alignment of the word path (inputs of 256 bytes and more read through an
// Int32Array view from a 4-byte boundary) and lengths around its 16-byte blocks.
import { describe, expect, it } from 'vitest'
import { crc32cPureRange } from './crc32c-table.js'

function bitwiseCrc32c(data: Uint8Array, start: number, end: number): number {
  let crc = 0xffffffff
  for (let i = start; i < end; i++) {
    crc ^= data[i]!
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1
  }
  return ~crc >>> 0
}

const memory = Uint8Array.from({ length: 4096 }, (_, i) => (Math.imul(i, 2654435761) >>> 13) & 0xff)

describe('crc32cPureRange', () => {
  it('matches the bitwise definition at every alignment and around the word-path threshold', () => {
    for (let viewOffset = 0; viewOffset < 4; viewOffset++) {
      const data = memory.subarray(viewOffset)
      for (let start = 0; start < 8; start++) {
        for (const length of [0, 1, 7, 15, 16, 17, 255, 256, 257, 259, 271, 272, 273, 1000, 4000]) {
          const end = start + length
          expect(crc32cPureRange(data, start, end)).toBe(bitwiseCrc32c(data, start, end))
        }
      }
    }
  })

  it('continues from a previous CRC across the word path', () => {
    const whole = crc32cPureRange(memory, 3, 3000)
    for (const cut of [3, 4, 258, 259, 1001, 2999, 3000]) {
      expect(crc32cPureRange(memory, cut, 3000, crc32cPureRange(memory, 3, cut))).toBe(whole)
    }
  })
})
