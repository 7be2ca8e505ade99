// Keeps the README example honest: the same code, run with Node's real timers.
import { expect, it } from 'vitest'
import { BufferExhaustedError, BufferPool } from './index.js'

it('runs the README example', async () => {
  const pool = new BufferPool({ totalMemory: 32 * 1024 * 1024, poolableSize: 16_384 })
  const buffer = pool.allocate(16_384, 60_000) as Uint8Array
  expect(buffer).toBeInstanceOf(Uint8Array)
  pool.deallocate(buffer)
  expect(pool.allocate(16_384, 60_000)).toBe(buffer)

  const small = new BufferPool({ totalMemory: 1024, poolableSize: 1024 })
  const held = small.allocate(1024, 0) as Uint8Array
  let exhausted = false
  try {
    await small.allocate(1024, 10)
  } catch (error) {
    exhausted = BufferExhaustedError.isInstance(error)
  }
  expect(exhausted).toBe(true)
  small.deallocate(held)
  expect(small.availableMemory).toBe(1024)
})
