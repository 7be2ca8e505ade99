// DeadlineQueue against a reference: a plain array sorted by (deadline, arrival), under seeded random adds and
// removals that mix in-order arrivals with earlier deadlines.
import { describe, expect, it } from 'vitest'
import { DeadlineQueue } from './deadline-queue.js'
import { IN_ORDER_SLOT, NO_DEADLINE_SLOT, Waiter } from './waiter.js'

const noAbort = { abortWaiter: () => {} }
let sequence = 0
const waiter = (deadline: number) =>
  new Waiter(
    1,
    deadline,
    0,
    deadline,
    sequence++,
    undefined,
    noAbort,
    () => {},
    () => {},
  )

describe('DeadlineQueue', () => {
  it('keeps in-order deadlines on its list and earlier ones on its heap', () => {
    const queue = new DeadlineQueue()
    const a = waiter(10)
    const b = waiter(10)
    const c = waiter(20)
    const d = waiter(5)
    for (const entry of [a, b, c, d]) queue.add(entry)
    expect([a, b, c].map((entry) => entry.deadlineSlot)).toEqual([
      IN_ORDER_SLOT,
      IN_ORDER_SLOT,
      IN_ORDER_SLOT,
    ])
    expect(d.deadlineSlot).toBe(0)
    const order: Waiter[] = []
    for (let next = queue.earliest(); next !== undefined; next = queue.earliest()) {
      order.push(next)
      queue.remove(next)
    }
    expect(order).toEqual([d, a, b, c])
    expect(queue.size).toBe(0)
    expect(d.deadlineSlot).toBe(NO_DEADLINE_SLOT)
  })

  it('breaks ties between its list and its heap by arrival order', () => {
    const queue = new DeadlineQueue()
    const late = waiter(30)
    const early = waiter(10) // heap: earlier than the list's tail
    const tie = waiter(30) // list
    for (const entry of [late, early, tie]) queue.add(entry)
    queue.remove(early)
    const heapTie = waiter(30)
    queue.add(waiter(40))
    queue.add(heapTie) // heap: 30 < 40
    const order: Waiter[] = []
    for (let next = queue.earliest(); next !== undefined; next = queue.earliest()) {
      order.push(next)
      queue.remove(next)
    }
    expect(order.slice(0, 3)).toEqual([late, tie, heapTie])
  })

  it('always yields the earliest deadline, like a sorted array, under random adds and removals', () => {
    let seed = 7
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed / 0x80000000
    }
    const queue = new DeadlineQueue()
    const reference: Waiter[] = []
    const byDeadline = (a: Waiter, b: Waiter) => a.deadline - b.deadline || a.sequence - b.sequence
    let clock = 0
    for (let step = 0; step < 20_000; step++) {
      const roll = random()
      if (roll < 0.55 || reference.length === 0) {
        clock += Math.floor(random() * 3)
        // Mostly one maxBlockMs (in order), sometimes a shorter one (out of order), sometimes a tie.
        const maxBlockMs = random() < 0.7 ? 100 : Math.floor(random() * 100)
        const entry = waiter(clock + maxBlockMs)
        queue.add(entry)
        reference.push(entry)
      } else if (roll < 0.8) {
        const victim = reference[Math.floor(random() * reference.length)]!
        queue.remove(victim)
        reference.splice(reference.indexOf(victim), 1)
      } else {
        reference.sort(byDeadline)
        const first = reference.shift()!
        expect(queue.earliest()).toBe(first)
        queue.remove(first)
      }
      expect(queue.size).toBe(reference.length)
      if (step % 97 === 0) {
        reference.sort(byDeadline)
        expect(queue.earliest()).toBe(reference[0])
      }
    }
    queue.clear()
    expect(queue.size).toBe(0)
    expect(queue.earliest()).toBeUndefined()
    expect(reference.every((entry) => entry.deadlineSlot === NO_DEADLINE_SLOT)).toBe(true)
  })

  it('ignores the removal of a waiter it does not hold', () => {
    const queue = new DeadlineQueue()
    const held = waiter(10)
    queue.add(held)
    queue.remove(waiter(5))
    queue.remove(held)
    queue.remove(held)
    expect(queue.size).toBe(0)
  })
})
