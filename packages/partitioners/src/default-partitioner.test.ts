import { describe, expect, it } from 'vitest'
import { defaultPartition, defaultPartitionerConfig, UNKNOWN_PARTITION } from './default-partitioner.js'
import { StaticClusterView } from './static-cluster-view.js'

describe('defaultPartition', () => {
  const cluster = new StaticClusterView([
    { topic: 't', partition: 0, leader: 0 },
    { topic: 't', partition: 1, leader: undefined },
    { topic: 't', partition: 2, leader: 1 },
  ])

  it('hashes a key over all partitions, including ones without a leader', () => {
    // murmur2("foobar") = -790332482 (Java UtilsTest); toPositive = 1357151166; % 3 = 0
    expect(defaultPartition('t', new TextEncoder().encode('foobar'), cluster)).toBe(1357151166 % 3)
    // Partition 1 has no leader, yet keys still hash onto it (placement must not move when a leader fails).
    const landsOnLeaderless = [...Array(50).keys()]
      .map((i) => new TextEncoder().encode(`key-${i}`))
      .some((key) => defaultPartition('t', key, cluster) === 1)
    expect(landsOnLeaderless).toBe(true)
  })

  it('leaves keyless records, and keyed ones with partitioner.ignore.keys, to the built-in sticky partitioner', () => {
    expect(defaultPartition('t', null, cluster)).toBe(UNKNOWN_PARTITION)
    expect(defaultPartition('t', new Uint8Array([1]), cluster, true)).toBe(UNKNOWN_PARTITION)
  })

  it('fails with a typed, retriable error for a topic not in the metadata', () => {
    expect(() => defaultPartition('nope', new Uint8Array([1]), cluster)).toThrow(/not in the metadata/)
  })

  it("has Java's defaults", () => {
    expect(defaultPartitionerConfig).toEqual({
      adaptivePartitioningEnable: true,
      availabilityTimeoutMs: 0,
      ignoreKeys: false,
    })
  })
})
