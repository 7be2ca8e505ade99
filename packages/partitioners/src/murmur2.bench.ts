// Run: npx vitest bench --run --project partitioners
import { bench, describe } from 'vitest'
import { BuiltInPartitioner } from './built-in-partitioner.js'
import { murmur2 } from './murmur2.js'

const key16 = new TextEncoder().encode('user-000000012345')
const key64 = new Uint8Array(64).map((_, index) => index * 7)

describe('murmur2', () => {
  bench('16-byte key', () => {
    murmur2(key16)
  })
  bench('64-byte key', () => {
    murmur2(key64)
  })
  bench('partitionForKey, 16-byte key, 12 partitions', () => {
    BuiltInPartitioner.partitionForKey(key16, 12)
  })
})
