// Run: npx vitest bench --run --project buffer-pool
import { bench, describe } from 'vitest'
import { BufferPool } from './buffer-pool.js'

const BATCH_SIZE = 16_384

describe('BufferPool allocate + deallocate (one batch buffer)', () => {
  const pool = new BufferPool({ totalMemory: 32 * 1024 * 1024, poolableSize: BATCH_SIZE })
  bench('poolable size, recycled from the free list', () => {
    pool.deallocate(pool.allocate(BATCH_SIZE, 60_000) as Uint8Array)
  })

  const other = new BufferPool({ totalMemory: 32 * 1024 * 1024, poolableSize: BATCH_SIZE })
  bench('non-poolable size, fresh Uint8Array', () => {
    other.deallocate(other.allocate(BATCH_SIZE + 1, 60_000) as Uint8Array)
  })
})
