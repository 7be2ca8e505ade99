import { describe, expect, it } from 'vitest'
import { Waiter } from './waiter.js'
import { WaiterQueue } from './waiter-queue.js'

const noAbort = { abortWaiter: () => {} }
const waiter = (sequence: number) =>
  new Waiter(
    1,
    10,
    0,
    10,
    sequence,
    undefined,
    noAbort,
    () => {},
    () => {},
  )

function sequences(queue: WaiterQueue): number[] {
  const all = queue.removeAll()
  for (const entry of all) queue.push(entry)
  return all.map((entry) => entry.sequence)
}

describe('WaiterQueue', () => {
  it('keeps arrival order when waiters leave from the head, the middle and the tail', () => {
    const queue = new WaiterQueue()
    const waiters = [0, 1, 2, 3, 4, 5].map(waiter)
    for (const entry of waiters) queue.push(entry)
    expect(queue.remove(waiters[0]!)).toBe(true)
    expect(queue.remove(waiters[3]!)).toBe(true)
    expect(queue.remove(waiters[5]!)).toBe(true)
    expect(queue.remove(waiters[3]!)).toBe(false) // already gone
    expect(queue.length).toBe(3)
    expect(queue.first).toBe(waiters[1])
    expect(sequences(queue)).toEqual([1, 2, 4])
    queue.push(waiters[0]!)
    expect(sequences(queue)).toEqual([1, 2, 4, 0])
  })

  it('empties into an array, oldest first, and marks each waiter as no longer queued', () => {
    const queue = new WaiterQueue()
    const waiters = [0, 1, 2].map(waiter)
    for (const entry of waiters) queue.push(entry)
    expect(queue.removeAll()).toEqual(waiters)
    expect(queue.length).toBe(0)
    expect(queue.first).toBeUndefined()
    expect(waiters.every((entry) => !entry.queued && entry.next === undefined)).toBe(true)
  })
})
