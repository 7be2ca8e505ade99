// Vectors: Java's UtilsTest.testMurmur2 (apache/kafka clients/src/test/.../common/utils/UtilsTest.java), and
// src/__fixtures__/java-partitions.json.gz, printed by kafka-clients 4.4.0 through
// test-vectors/PartitionVectors.java (regenerate with test-vectors/regenerate.sh).
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { BuiltInPartitioner } from './built-in-partitioner.js'
import { defaultPartition } from './default-partitioner.js'
import { murmur2, toPositive } from './murmur2.js'
import { StaticClusterView } from './static-cluster-view.js'

interface JavaVectors {
  kafkaClients: string
  seed: number
  keyCount: number
  maxKeyLength: number
  keyDigest: number
  murmur2: number[]
  toPositive: number[]
  maxPartitions: number
  partitionDigests: number[]
  sampledPartitions: Record<string, number[]>
}

const vectors = JSON.parse(
  gunzipSync(readFileSync(new URL('./__fixtures__/java-partitions.json.gz', import.meta.url))).toString(
    'utf8',
  ),
) as JavaVectors

const FNV_OFFSET = 0x811c9dc5 | 0
const fnv = (hash: number, value: number) => Math.imul(hash ^ value, 16777619)

/** The keys PartitionVectors.java hashed: the same xorshift32 stream, so the fixture needs no key bytes. */
function javaKeys(): { keys: Uint8Array[]; digest: number } {
  let state = vectors.seed | 0
  const next = () => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return state
  }
  const keys: Uint8Array[] = []
  let digest = FNV_OFFSET
  for (let i = 0; i < vectors.keyCount; i++) {
    const length = (next() >>> 0) % (vectors.maxKeyLength + 1)
    const key = new Uint8Array(length)
    for (let j = 0; j < length; j++) key[j] = next() & 0xff
    keys.push(key)
    digest = fnv(digest, length)
    for (const byte of key) digest = fnv(digest, byte)
  }
  return { keys, digest }
}

const bytes = (text: string) => new TextEncoder().encode(text)

describe('murmur2', () => {
  it("matches Java's Utils.murmur2 test vectors", () => {
    expect(murmur2(bytes('21'))).toBe(-973932308)
    expect(murmur2(bytes('foobar'))).toBe(-790332482)
    expect(murmur2(bytes('a-little-bit-long-string'))).toBe(-985981536)
    expect(murmur2(bytes('a-little-bit-longer-string'))).toBe(-1486304829)
    expect(murmur2(bytes('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'))).toBe(-58897971)
    expect(murmur2(new Uint8Array([0x61, 0x62, 0x63]))).toBe(479470107)
  })

  it('hashes a Node Buffer and a view into a larger buffer like the bytes they hold', () => {
    const backing = new Uint8Array([0, 0x66, 0x6f, 0x6f, 0x62, 0x61, 0x72, 0])
    expect(murmur2(backing.subarray(1, 7))).toBe(-790332482)
    expect(murmur2(Buffer.from('foobar'))).toBe(-790332482)
  })

  it('toPositive clears the sign bit like Java, also for -2^31', () => {
    expect(toPositive(-1)).toBe(0x7fffffff)
    expect(toPositive(-(2 ** 31))).toBe(0)
    expect(toPositive(42)).toBe(42)
  })

  it(`regenerates the 10,000 keys the Java vector program hashed (kafka-clients ${vectors.kafkaClients})`, () => {
    expect(javaKeys().digest).toBe(vectors.keyDigest)
  })

  it('hashes 10,000 random keys of 0-48 bytes exactly as Java does', () => {
    const { keys } = javaKeys()
    for (let i = 0; i < keys.length; i++) {
      const hash = murmur2(keys[i]!)
      if (hash !== vectors.murmur2[i] || toPositive(hash) !== vectors.toPositive[i]) {
        expect({ key: i, hash, positive: toPositive(hash) }).toEqual({
          key: i,
          hash: vectors.murmur2[i],
          positive: vectors.toPositive[i],
        })
      }
    }
  })

  it('puts the 10,000 keys on the partitions Java chooses for every partition count from 1 to 1,000', () => {
    const { keys } = javaKeys()
    const mismatches: number[] = []
    for (let count = 1; count <= vectors.maxPartitions; count++) {
      let digest = FNV_OFFSET
      for (const key of keys) digest = fnv(digest, BuiltInPartitioner.partitionForKey(key, count))
      if (digest !== vectors.partitionDigests[count - 1]) mismatches.push(count)
    }
    expect(mismatches).toEqual([])
    for (const [count, expected] of Object.entries(vectors.sampledPartitions)) {
      const cluster = StaticClusterView.of('topic', Number(count))
      expect(keys.map((key) => defaultPartition('topic', key, cluster))).toEqual(expected)
    }
  })
})
