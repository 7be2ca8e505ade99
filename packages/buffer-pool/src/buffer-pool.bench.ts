// Run: npx vitest bench --run --project buffer-pool
import { setMaxListeners } from 'node:events'
import { afterAll, bench, describe } from 'vitest'
import { BufferPool } from './buffer-pool.js'
import { ManualTimer } from './manual-timer.test-helper.js'

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

// Contention: the pool holds one batch and 1,000 callers stand in line for it (Node's timers, 60 s deadlines).
// One iteration is one newcomer joining the back of the line, one deallocate serving the head, and the head's
// promise settling: the steady state of a producer held back by `buffer.memory`.
describe('BufferPool under contention (1,000 waiters in line, Node timers)', () => {
  const STANDING = 1000
  const pool = new BufferPool({ totalMemory: BATCH_SIZE, poolableSize: BATCH_SIZE })
  let held = pool.allocate(BATCH_SIZE, 0) as Uint8Array
  const line: Promise<Uint8Array>[] = []
  let head = 0
  for (let i = 0; i < STANDING; i++) line.push(pool.allocate(BATCH_SIZE, 60_000) as Promise<Uint8Array>)
  afterAll(() => {
    for (let i = head; i < line.length; i++) line[i]!.catch(() => {})
    pool.close()
  })

  bench('join the line, deallocate, the head gets the buffer', async () => {
    line.push(pool.allocate(BATCH_SIZE, 60_000) as Promise<Uint8Array>)
    pool.deallocate(held)
    held = await line[head++]!
  })
})

// Back-pressure collapse: n callers wait for a pool that never frees memory and all reach max.block.ms at the
// same moment. One iteration enqueues n waiters and steps a manual timer past their deadline. Creating the n
// BufferExhaustedErrors (each captures a stack trace) and collecting them is a large, fixed part of this cost;
// the abort case below rejects with one shared reason and shows the pool's own work.
describe('BufferPool: n waiters timing out together (manual timer)', () => {
  for (const n of [1000, 10_000]) {
    bench(
      `${n.toLocaleString('en')} waiters, one deadline`,
      async () => {
        const timer = new ManualTimer()
        const pool = new BufferPool({ totalMemory: BATCH_SIZE, poolableSize: BATCH_SIZE, timer })
        pool.allocate(BATCH_SIZE, 0)
        const waiters: Promise<unknown>[] = []
        for (let i = 0; i < n; i++)
          waiters.push((pool.allocate(BATCH_SIZE, 100) as Promise<Uint8Array>).catch((e) => e))
        timer.advance(100)
        await Promise.all(waiters)
      },
      { iterations: 20, warmupIterations: 3 },
    )
  }

  bench(
    '10,000 waiters, maxBlockMs alternating 100 and 50 (deadlines out of arrival order)',
    async () => {
      const timer = new ManualTimer()
      const pool = new BufferPool({ totalMemory: BATCH_SIZE, poolableSize: BATCH_SIZE, timer })
      pool.allocate(BATCH_SIZE, 0)
      const waiters: Promise<unknown>[] = []
      for (let i = 0; i < 10_000; i++) {
        waiters.push(
          (pool.allocate(BATCH_SIZE, i % 2 === 0 ? 100 : 50) as Promise<Uint8Array>).catch((e) => e),
        )
      }
      timer.advance(100)
      await Promise.all(waiters)
    },
    { iterations: 20, warmupIterations: 3 },
  )
})

describe('BufferPool: n waiters aborted by one AbortSignal', () => {
  bench(
    '10,000 waiters, one signal aborts them all',
    async () => {
      const pool = new BufferPool({
        totalMemory: BATCH_SIZE,
        poolableSize: BATCH_SIZE,
        timer: new ManualTimer(),
      })
      pool.allocate(BATCH_SIZE, 0)
      const controller = new AbortController()
      setMaxListeners(0, controller.signal) // one listener per waiter is expected here
      const waiters: Promise<unknown>[] = []
      for (let i = 0; i < 10_000; i++) {
        waiters.push(
          (pool.allocate(BATCH_SIZE, 60_000, controller.signal) as Promise<Uint8Array>).catch((e) => e),
        )
      }
      controller.abort(new Error('cancelled'))
      await Promise.all(waiters)
    },
    { iterations: 20, warmupIterations: 3 },
  )
})
