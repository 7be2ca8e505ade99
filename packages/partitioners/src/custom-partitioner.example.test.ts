// The custom-partitioner example of the README, executed: keep the two in sync.
import { expect, it } from 'vitest'
import {
  type ClusterView,
  defaultPartition,
  type Partitioner,
  StaticClusterView,
  UNKNOWN_PARTITION,
} from './index.js'

/** Sends records whose key starts with "vip-" to partition 0 and hashes every other key as Java does. */
class VipPartitioner implements Partitioner<string, string> {
  partition(
    topic: string,
    key: string | null | undefined,
    keyBytes: Uint8Array | null,
    _value: string | null | undefined,
    _valueBytes: Uint8Array | null,
    cluster: ClusterView,
  ): number {
    if (key?.startsWith('vip-')) return 0
    const partition = defaultPartition(topic, keyBytes, cluster)
    // A custom partitioner must return a real partition: place keyless records on the first available one.
    return partition === UNKNOWN_PARTITION ? (cluster.availablePartitions(topic)[0] ?? 0) : partition
  }
}

it('runs the custom partitioner example', () => {
  const cluster = StaticClusterView.of('orders', 6, [1, 2, 3])
  const partitioner = new VipPartitioner()
  const encode = (text: string) => new TextEncoder().encode(text)

  expect(partitioner.partition('orders', 'vip-42', encode('vip-42'), 'order', null, cluster)).toBe(0)
  expect(partitioner.partition('orders', 'foobar', encode('foobar'), 'order', null, cluster)).toBe(
    1357151166 % 6, // toPositive(murmur2("foobar")) % 6, as Java computes it
  )
  expect(partitioner.partition('orders', null, null, 'order', null, cluster)).toBe(0)
})
