import type { RecordCompletion } from './record-completion.js'

/**
 * Recycled backing arrays for `ProducerBatch`'s per-record completions. A batch holds one completion per
 * record; growing a fresh `[]` by `push` re-allocates it five or six times for a 16 KiB batch of 100-byte
 * records (about 27 heap bytes per record in append-throughput.ts). Instead a batch takes an array sized
 * for its buffer, and gives it back, cleared, once its completions have fired: in steady state batches are
 * created about as fast as they complete, so appends allocate nothing per record.
 *
 * Single-threaded and synchronous: an array is only ever referenced by the one batch that took it.
 */

/**
 * Slots kept for reuse in all (about 1 MiB of pointers; ~1,700 arrays for 16 KiB batches of 100-byte
 * records); beyond that, released arrays are left to the GC.
 */
const MAX_SPARE_SLOTS = 1 << 18
/** Larger arrays are not kept (a batch of tiny records in a huge buffer should not pin memory). */
const MAX_SPARE_CAPACITY = 1 << 16

const spares: RecordCompletion[][] = []
let spareSlots = 0

/** The shared zero-capacity array a batch holds before its first record and after its completions fired. */
export const NO_COMPLETIONS: RecordCompletion[] = []

/** Spares looked at per request, most recent first: bounds the search when sizes are mixed. */
const SEARCH_DEPTH = 8

/**
 * An array of at least `minCapacity` slots, its contents to be written from index 0 (unset slots read as
 * `undefined`). A recent spare when one is large enough, else a new one.
 */
export function takeCompletionArray(minCapacity: number): RecordCompletion[] {
  for (let i = spares.length - 1; i >= 0 && i >= spares.length - SEARCH_DEPTH; i--) {
    const spare = spares[i]!
    if (spare.length < minCapacity) continue
    spares[i] = spares[spares.length - 1]!
    spares.pop()
    spareSlots -= spare.length
    return spare
  }
  return new Array<RecordCompletion>(Math.min(Math.max(minCapacity, 8), MAX_SPARE_CAPACITY * 2))
}

/** `array` with room for at least one more than its `count` used slots (copied into a larger one if needed). */
export function growCompletionArray(array: RecordCompletion[], count: number): RecordCompletion[] {
  const grown = takeCompletionArray(Math.max(8, array.length * 2, count + 1))
  for (let i = 0; i < count; i++) grown[i] = array[i]!
  recycleCompletionArray(array, count)
  return grown
}

/** Gives back an array whose first `count` slots were used; it is cleared so it holds no completion alive. */
export function recycleCompletionArray(array: RecordCompletion[], count: number): void {
  if (array === NO_COMPLETIONS) return
  const slots = array as (RecordCompletion | undefined)[]
  for (let i = 0; i < count; i++) slots[i] = undefined
  if (array.length <= MAX_SPARE_CAPACITY && spareSlots + array.length <= MAX_SPARE_SLOTS) {
    spares.push(array)
    spareSlots += array.length
  }
}

/** Spare arrays currently kept (for tests). */
export function spareCompletionArrayCount(): number {
  return spares.length
}
