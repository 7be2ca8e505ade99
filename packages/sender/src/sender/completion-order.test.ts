import { ProducerBatch, type RecordCompletion, recordBatchBuilderFactory } from '@x/accumulator'
import { describe, expect, it } from 'vitest'
import { CompletionOrder } from './completion-order.js'

const factory = recordBatchBuilderFactory()
const value = new TextEncoder().encode('value')
const noop: RecordCompletion = { onCompletion() {} }

let nextSequence = 0

/** A closed batch of `records` records with the next sequence numbers of partition 0. */
function batch(records = 1, withSequence = true): ProducerBatch {
  const created = new ProducerBatch({
    topic: 't',
    partition: 0,
    buffer: new Uint8Array(1024),
    factory,
    createdMs: 0,
  })
  for (let i = 0; i < records; i++) created.tryAppend(0, null, value, [], noop, 0)
  created.closeForRecordAppends()
  if (withSequence) {
    created.setProducerState(1n, 0, nextSequence, false)
    nextSequence += records
  }
  return created
}

/** Settles `settled` through `order`, completing each batch and noting the order in which that happened. */
function settleAll(
  order: CompletionOrder,
  settled: ProducerBatch[],
  names: Map<ProducerBatch, string>,
  completed: string[] = [],
): string[] {
  for (const one of settled) {
    order.settle(one, () => {
      one.complete(0n, -1)
      completed.push(names.get(one)!)
    })
  }
  return completed
}

/** Batches a, b, c… sent in that order through a new `CompletionOrder`, with their names. */
function sentInOrder(count: number) {
  const order = new CompletionOrder()
  const batches = Array.from({ length: count }, () => batch())
  for (const one of batches) order.sent(one)
  const names = new Map(batches.map((one, i) => [one, String.fromCharCode(97 + i)]))
  return { order, batches, names }
}

describe('CompletionOrder', () => {
  it('completes at once what has nothing unfinished before it, and forgets it', () => {
    const { order, batches, names } = sentInOrder(2)
    expect(settleAll(order, batches, names)).toEqual(['a', 'b'])
    expect(order.size).toBe(0)
  })

  it('holds a later outcome until every earlier batch completed, then runs them in send order', () => {
    const { order, batches, names } = sentInOrder(3)
    const [a, b, c] = batches
    const completed = settleAll(order, [c!, b!], names)
    expect(completed).toEqual([])
    expect([b!.isDone(), c!.isDone()]).toEqual([false, false])
    settleAll(order, [a!], names, completed)
    expect(completed).toEqual(['a', 'b', 'c'])
    expect(order.size).toBe(0)
  })

  it('lets an outcome wait on a batch that is itself waiting', () => {
    const { order, batches, names } = sentInOrder(3)
    const [a, b, c] = batches
    expect(settleAll(order, [b!, c!, a!], names)).toEqual(['a', 'b', 'c'])
  })

  it('releases the waiters of a batch aborted elsewhere (forced close, fatal error)', () => {
    const { order, batches, names } = sentInOrder(2)
    const [a, b] = batches
    const completed = settleAll(order, [b!], names)
    expect(completed).toEqual([])
    a!.abort(new Error('forced close'))
    expect(completed).toEqual(['b'])
  })

  it('puts the parts of a split batch in its place: a later batch waits for every part', () => {
    const order = new CompletionOrder()
    const [a, b] = [batch(4), batch()]
    order.sent(a!)
    order.sent(b!)
    const completed = settleAll(order, [b!], new Map([[b!, 'b']]))
    const parts = a!.split(1024, 1, 2)
    order.split(a!, a!.splitParts)
    expect(parts).toHaveLength(2)
    for (const part of parts) order.sent(part)
    const names = new Map(parts.map((part, i) => [part, `part${i}`]))
    settleAll(order, [parts[1]!], names, completed)
    expect(completed).toEqual([])
    settleAll(order, [parts[0]!], names, completed)
    expect(completed).toEqual(['part0', 'part1', 'b'])
    expect(order.size).toBe(0)
  })

  it('does not track batches without sequence numbers (no idempotence)', () => {
    const order = new CompletionOrder()
    const [a, b] = [batch(1, false), batch(1, false)]
    order.sent(a!)
    order.sent(b!)
    expect(order.size).toBe(0)
    expect(settleAll(order, [b!], new Map([[b!, 'b']]))).toEqual(['b'])
  })
})
