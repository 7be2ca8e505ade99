/**
 * XXH32 (https://github.com/Cyan4973/xxHash/blob/dev/doc/xxhash_spec.md), which the LZ4 frame format uses
 * for its header, block and content checksums.
 */
const PRIME1 = 0x9e3779b1
const PRIME2 = 0x85ebca77
const PRIME3 = 0xc2b2ae3d
const PRIME4 = 0x27d4eb2f
const PRIME5 = 0x165667b1

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r))
}

function read32(data: Uint8Array, i: number): number {
  return data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)
}

function round(acc: number, input: number): number {
  return Math.imul(rotl((acc + Math.imul(input, PRIME2)) | 0, 13), PRIME1)
}

/** XXH32 of `data[start, end)` with `seed`, as an unsigned 32-bit number. */
export function xxhash32(data: Uint8Array, start = 0, end = data.length, seed = 0): number {
  let p = start
  let h: number
  if (end - start >= 16) {
    let v1 = (seed + PRIME1 + PRIME2) | 0
    let v2 = (seed + PRIME2) | 0
    let v3 = seed | 0
    let v4 = (seed - PRIME1) | 0
    const limit = end - 16
    while (p <= limit) {
      v1 = round(v1, read32(data, p))
      v2 = round(v2, read32(data, p + 4))
      v3 = round(v3, read32(data, p + 8))
      v4 = round(v4, read32(data, p + 12))
      p += 16
    }
    h = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) | 0
  } else {
    h = (seed + PRIME5) | 0
  }
  h = (h + (end - start)) | 0
  while (p + 4 <= end) {
    h = Math.imul(rotl((h + Math.imul(read32(data, p), PRIME3)) | 0, 17), PRIME4)
    p += 4
  }
  while (p < end) {
    h = Math.imul(rotl((h + Math.imul(data[p]!, PRIME5)) | 0, 11), PRIME1)
    p++
  }
  h ^= h >>> 15
  h = Math.imul(h, PRIME2)
  h ^= h >>> 13
  h = Math.imul(h, PRIME3)
  h ^= h >>> 16
  return h >>> 0
}
