/**
 * Kafka's 32-bit murmur2 hash, bit-exact with Java's `Utils.murmur2` (seed 0x9747b28c, little-endian words),
 * so keyed records land on the partitions the Java client picks. `Math.imul` does Java's wrapping int
 * multiply; the result is a signed 32-bit integer like Java's `int`.
 */
export function murmur2(data: Uint8Array): number {
  const length = data.length
  const m = 0x5bd1e995
  let h = 0x9747b28c ^ length
  const tail = length & ~3
  for (let i = 0; i < tail; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)
    k = Math.imul(k, m)
    k ^= k >>> 24
    k = Math.imul(k, m)
    h = Math.imul(h, m) ^ k
  }
  // The last 1-3 bytes, as Java's fall-through switch does them.
  const remaining = length & 3
  if (remaining === 3) h ^= data[tail + 2]! << 16
  if (remaining >= 2) h ^= data[tail + 1]! << 8
  if (remaining >= 1) {
    h ^= data[tail]!
    h = Math.imul(h, m)
  }
  h ^= h >>> 13
  h = Math.imul(h, m)
  h ^= h >>> 15
  return h | 0
}

/**
 * Java's `Utils.toPositive`: clears the sign bit (not `Math.abs`, which maps `-2^31` to itself), so
 * `toPositive(murmur2(key)) % partitions` is a valid partition.
 */
export function toPositive(value: number): number {
  return value & 0x7fffffff
}
