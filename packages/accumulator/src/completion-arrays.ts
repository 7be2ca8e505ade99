import type { RecordCompletion } from './record-completion.js'

/**
 * Recycled backing arrays for `ProducerBatch`'s per-record state: one completion per record, and the record's
 * create time and key and value sizes (`RECORD_INFO_STRIDE` numbers per record, so a completion shared by many
 * records can build each one's `RecordMetadata`). Growing a fresh `[]` by `push` re-allocates it five or six
 * times for a 16 KiB batch of 100-byte records (about 27 heap bytes per record in append-throughput.ts).
 * Instead a batch takes arrays sized for its buffer, and gives them back once its completions have fired: in
 * steady state batches are created about as fast as they complete, so appends allocate nothing per record.
 *
 * Single-threaded and synchronous: an array is only ever referenced by the one batch that took it.
 */

/** Numbers kept per record in a batch's info array: create time, key size, value size (-1 for null). */
export const RECORD_INFO_STRIDE = 3

/**
 * Records' worth of arrays kept for reuse in all, per kind (completions: 512 KiB of pointers; infos: 1.5 MiB
 * of numbers; ~380 batches of 16 KiB of 100-byte records). Beyond that, released arrays are left to the GC.
 */
const MAX_SPARE_RECORDS = 1 << 16
/** Larger arrays are not kept (a batch of tiny records in a huge buffer should not pin memory). */
const MAX_SPARE_CAPACITY = 1 << 16
/** Spares looked at per request, most recent first: bounds the search when sizes are mixed. */
const SEARCH_DEPTH = 8

/** Spare arrays of one kind, each with room for `capacityOf(array)` records. */
class SpareArrays<A> {
  private readonly spares: A[] = []
  private spareRecords = 0

  constructor(
    private readonly create: (records: number) => A,
    private readonly capacityOf: (array: A) => number,
  ) {}

  /** An array with room for at least `minRecords` records: a recent spare when one is large enough. */
  take(minRecords: number): A {
    const spares = this.spares
    for (let i = spares.length - 1; i >= 0 && i >= spares.length - SEARCH_DEPTH; i--) {
      const spare = spares[i]!
      const capacity = this.capacityOf(spare)
      if (capacity < minRecords) continue
      spares[i] = spares[spares.length - 1]!
      spares.pop()
      this.spareRecords -= capacity
      return spare
    }
    return this.create(Math.max(minRecords, 8))
  }

  /** Keeps `array` (no longer referenced by its batch) for a later `take`, unless too much is kept already. */
  recycle(array: A): void {
    const capacity = this.capacityOf(array)
    if (capacity <= MAX_SPARE_CAPACITY && this.spareRecords + capacity <= MAX_SPARE_RECORDS) {
      this.spares.push(array)
      this.spareRecords += capacity
    }
  }

  get count(): number {
    return this.spares.length
  }
}

const completionSpares = new SpareArrays<RecordCompletion[]>(
  (records) => new Array<RecordCompletion>(records),
  (array) => array.length,
)
const infoSpares = new SpareArrays<Float64Array>(
  (records) => new Float64Array(records * RECORD_INFO_STRIDE),
  (array) => array.length / RECORD_INFO_STRIDE,
)

/** The shared zero-capacity array a batch holds before its first record and after its completions fired. */
export const NO_COMPLETIONS: RecordCompletion[] = []
/** The shared empty info array, likewise. */
export const NO_RECORD_INFO = new Float64Array(0)

/**
 * An array of at least `minCapacity` slots, its contents to be written from index 0 (unset slots read as
 * `undefined`). A recent spare when one is large enough, else a new one.
 */
export function takeCompletionArray(minCapacity: number): RecordCompletion[] {
  return completionSpares.take(minCapacity)
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
  completionSpares.recycle(array)
}

/** An info array with room for at least `minRecords` records (contents undefined until written). */
export function takeRecordInfo(minRecords: number): Float64Array {
  return infoSpares.take(minRecords)
}

/** `info` with room for at least `minRecords` records, its first `count` records copied if it was replaced. */
export function growRecordInfo(info: Float64Array, count: number, minRecords: number): Float64Array {
  if (info.length >= minRecords * RECORD_INFO_STRIDE) return info
  const grown = takeRecordInfo(minRecords)
  grown.set(info.subarray(0, count * RECORD_INFO_STRIDE))
  recycleRecordInfo(info)
  return grown
}

/** Gives back an info array (numbers only: nothing to clear). */
export function recycleRecordInfo(info: Float64Array): void {
  if (info !== NO_RECORD_INFO) infoSpares.recycle(info)
}

/** Spare completion arrays currently kept (for tests). */
export function spareCompletionArrayCount(): number {
  return completionSpares.count
}
