import { TestkitError } from '../testkit-error.js'
import { encodeOraclePayload, ORACLE_HEADER, oracleIdentity } from './oracle-payload.js'
import { type PersistedStatus, persistedStatusOf } from './persisted-status.js'

/** One send to register in the ledger. */
export interface OracleSendOptions {
  readonly topic: string
  /** The logical key: its own sequence numbers, and the record key unless `keyed` is false. */
  readonly key: string
  /** The producer sending it (several producers may share a ledger). Default `p0`. */
  readonly producerId?: string
  /** An explicit partition; default: left to the producer's partitioner. */
  readonly partition?: number
  /** Write `key` as the record key (default true); false sends a null key (keyless, sticky placement). */
  readonly keyed?: boolean
  /** Pad the value to this many bytes (default: the identity alone, about 20 bytes). */
  readonly valueBytes?: number
}

/** A record ready to hand to a producer, with the ledger id its outcome is recorded under. */
export interface OracleRecord {
  readonly id: number
  readonly seq: number
  readonly topic: string
  readonly partition: number | undefined
  readonly key: Uint8Array | null
  readonly value: Uint8Array
  readonly headers: { key: string; value: Uint8Array }[]
}

/** How a send ended: acknowledged at (partition, offset) or failed. Offset -1 means "acked without an offset". */
export type SendOutcome =
  | { readonly ok: true; readonly partition: number; readonly offset: bigint | number }
  | {
      readonly ok: false
      readonly error: unknown
      /** The partition it was meant for, when one was chosen. */
      readonly partition?: number
      /** Default: {@link persistedStatusOf}(error). */
      readonly persisted?: PersistedStatus
    }

/** What a ledger holds about one failed send. */
export interface FailedSend {
  readonly id: number
  readonly error: unknown
  readonly persisted: PersistedStatus
}

export const OUTCOME_PENDING = 0
export const OUTCOME_OK = 1
export const OUTCOME_FAILED = 2
const PERSISTED_CODES: Record<PersistedStatus, number> = { no: 1, maybe: 2, yes: 3 }
const PERSISTED_NAMES: PersistedStatus[] = ['maybe', 'no', 'maybe', 'yes']

const encoder = new TextEncoder()

/**
 * The client side of the delivery oracle: every `send()` of a run, its payload identity and how it ended
 * (ack with partition and offset, or error with class and persisted status), how many times it completed,
 * in which order and when. Flat typed arrays, so a multi-million-record run costs tens of bytes per record.
 *
 * ```ts
 * const ledger = new DeliveryLedger({ runId: 'r1' })
 * const record = ledger.next({ topic: 'orders', key: 'k1' })
 * producer.send(record, ledger.callback(record.id))       // exactly-once completion is counted
 * // or: ledger.track(record.id, producer.send(record))
 * ```
 */
export class DeliveryLedger {
  readonly runId: string
  private readonly clock: () => number
  private count = 0
  private capacity = 0
  /** @internal */ topicIndex = new Uint16Array(0)
  /** @internal */ streamIndex = new Uint32Array(0)
  /** @internal */ seqs = new Uint32Array(0)
  /** @internal */ outcomes = new Uint8Array(0)
  /** @internal */ persisted = new Uint8Array(0)
  /** @internal */ completions = new Uint8Array(0)
  /** @internal */ settlements = new Uint8Array(0)
  /** @internal */ usesCallback = new Uint8Array(0)
  /** @internal */ aborted = new Uint8Array(0)
  /** @internal */ partitions = new Int32Array(0)
  /** @internal */ offsets = new Float64Array(0)
  /** @internal */ sentAt = new Float64Array(0)
  /** @internal */ completedAt = new Float64Array(0)
  /** @internal Ids in the order their first completion arrived. */ completionOrder = new Uint32Array(0)
  /** @internal */ completionCount = 0
  /** @internal */ readonly topics: string[] = []
  /** @internal `producerId|key` of each stream, and the ids sent on it in seq order. */
  readonly streams: { readonly producerId: string; readonly key: string; readonly ids: IdList }[] = []
  private readonly topicIds = new Map<string, number>()
  private readonly streamIds = new Map<string, number>()
  private readonly errors = new Map<number, unknown>()
  /** @internal A second completion that disagreed with the first (callback vs promise). */
  readonly outcomeMismatches: number[] = []

  constructor(options: { runId?: string; clock?: () => number; capacity?: number } = {}) {
    this.runId = options.runId ?? `run-${Date.now().toString(36)}`
    oracleIdentity({ runId: this.runId, producerId: 'p', key: 'k', seq: 0 }) // validates the run id
    this.clock = options.clock ?? Date.now
    this.grow(options.capacity ?? 1024)
  }

  /** Bytes the ledger's own arrays take (outside the JS heap), to tell them apart from the code under test. */
  get byteLength(): number {
    let bytes = 0
    for (const array of [
      this.topicIndex,
      this.streamIndex,
      this.seqs,
      this.outcomes,
      this.persisted,
      this.completions,
      this.settlements,
      this.usesCallback,
      this.aborted,
      this.partitions,
      this.offsets,
      this.sentAt,
      this.completedAt,
      this.completionOrder,
    ]) {
      bytes += array.byteLength
    }
    for (const stream of this.streams) bytes += stream.ids.byteLength
    return bytes
  }

  /** Sends registered so far. */
  get size(): number {
    return this.count
  }

  /** Registers the next send of (producer, key) and returns its record: value, key and `x-test-seq` header. */
  next(options: OracleSendOptions): OracleRecord {
    const producerId = options.producerId ?? 'p0'
    const streamKey = `${producerId}|${options.key}`
    let stream = this.streamIds.get(streamKey)
    if (stream === undefined) {
      oracleIdentity({ runId: this.runId, producerId, key: options.key, seq: 0 })
      stream = this.streams.length
      this.streams.push({ producerId, key: options.key, ids: new IdList() })
      this.streamIds.set(streamKey, stream)
    }
    let topic = this.topicIds.get(options.topic)
    if (topic === undefined) {
      topic = this.topics.length
      this.topics.push(options.topic)
      this.topicIds.set(options.topic, topic)
    }
    if (this.count === this.capacity) this.grow(this.capacity * 2)
    const id = this.count++
    const ids = this.streams[stream]!.ids
    const seq = ids.length
    ids.push(id)
    this.topicIndex[id] = topic
    this.streamIndex[id] = stream
    this.seqs[id] = seq
    this.partitions[id] = options.partition ?? -1
    this.offsets[id] = -1
    this.sentAt[id] = this.clock()
    const payload = { runId: this.runId, producerId, key: options.key, seq }
    return {
      id,
      seq,
      topic: options.topic,
      partition: options.partition,
      key: options.keyed === false ? null : encoder.encode(options.key),
      value: encodeOraclePayload(payload, options.valueBytes),
      headers: [{ key: ORACLE_HEADER, value: encoder.encode(oracleIdentity(payload)) }],
    }
  }

  /** Records one completion of send `id`. A second completion is counted (and checked), never ignored. */
  complete(id: number, outcome: SendOutcome): void {
    this.check(id)
    this.settle(id, outcome, this.completions)
  }

  /**
   * A Java-style callback `(metadata, error)` completing send `id`; with a callback, the callback calls are
   * the completions counted and a tracked promise must agree with them.
   */
  callback(id: number): (metadata: { partition: number; offset: bigint | number }, error?: Error) => void {
    this.check(id)
    this.usesCallback[id] = 1
    return (metadata, error) => {
      if (error === undefined || error === null) {
        this.complete(id, { ok: true, partition: metadata.partition, offset: metadata.offset })
      } else {
        this.complete(id, { ok: false, error, partition: metadata?.partition })
      }
    }
  }

  /** Records how the promise of send `id` settled; resolves once it did (never rejects). */
  track(id: number, promise: PromiseLike<{ partition: number; offset: bigint | number }>): Promise<void> {
    this.check(id)
    return Promise.resolve(promise).then(
      (metadata) => {
        this.settle(
          id,
          { ok: true, partition: metadata.partition, offset: metadata.offset },
          this.settlements,
        )
      },
      (error: unknown) => {
        this.settle(id, { ok: false, error }, this.settlements)
      },
    )
  }

  /** Marks sends as part of an aborted transaction: reading one back is an aborted read. */
  markAborted(ids: Iterable<number>): void {
    for (const id of ids) {
      this.check(id)
      this.aborted[id] = 1
    }
  }

  /** Sends with no completion yet. */
  get pending(): number {
    return this.count - this.completionCount
  }

  /** Resolves once every registered send completed, or rejects after `timeoutMs` naming how many did not. */
  async whenCompleted(timeoutMs = 180_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const pending = this.pending
      if (pending === 0) return
      if (Date.now() >= deadline) {
        throw new TestkitError(
          'TIMEOUT',
          `${pending} of ${this.count} sends had no completion after ${timeoutMs} ms: a send() that never completes is a hang`,
        )
      }
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }

  /** The outcome of send `id`: `pending`, `ok` with partition and offset, or `failed` with the error. */
  outcome(
    id: number,
  ):
    | { state: 'pending' }
    | { state: 'ok'; partition: number; offset: number }
    | { state: 'failed'; partition: number; error: unknown; persisted: PersistedStatus } {
    this.check(id)
    const outcome = this.outcomes[id]
    if (outcome === OUTCOME_OK)
      return { state: 'ok', partition: this.partitions[id]!, offset: this.offsets[id]! }
    if (outcome === OUTCOME_FAILED) {
      return {
        state: 'failed',
        partition: this.partitions[id]!,
        error: this.errors.get(id),
        persisted: this.persistedStatus(id),
      }
    }
    return { state: 'pending' }
  }

  /** Every failed send with its error and persisted status, in id order. */
  failures(): FailedSend[] {
    const failed: FailedSend[] = []
    for (let id = 0; id < this.count; id++) {
      if (this.outcomes[id] === OUTCOME_FAILED) {
        failed.push({ id, error: this.errors.get(id), persisted: this.persistedStatus(id) })
      }
    }
    return failed
  }

  /** @internal The id sent as (producer, key, seq), if any. */
  idOf(producerId: string, key: string, seq: number): number | undefined {
    const stream = this.streamIds.get(`${producerId}|${key}`)
    if (stream === undefined) return undefined
    const ids = this.streams[stream]!.ids
    return seq < ids.length ? ids.at(seq) : undefined
  }

  /** @internal */
  persistedStatus(id: number): PersistedStatus {
    return PERSISTED_NAMES[this.persisted[id]!]!
  }

  /**
   * @internal How many times send `id` completed: `complete`/callback calls when it has a callback or was
   * completed directly, else promise settlements.
   */
  completionsOf(id: number): number {
    return this.usesCallback[id] === 1 || this.completions[id]! > 0
      ? this.completions[id]!
      : this.settlements[id]!
  }

  private settle(id: number, outcome: SendOutcome, counter: Uint8Array): void {
    if (counter[id]! < 255) counter[id]!++
    if (this.outcomes[id] !== OUTCOME_PENDING) {
      const agrees =
        (this.outcomes[id] === OUTCOME_OK) === outcome.ok &&
        (!outcome.ok || Number(outcome.offset) === this.offsets[id])
      if (!agrees || counter[id]! > 1) this.outcomeMismatches.push(id)
      return
    }
    this.completionOrder[this.completionCount++] = id
    this.completedAt[id] = this.clock()
    if (outcome.ok) {
      this.outcomes[id] = OUTCOME_OK
      this.partitions[id] = outcome.partition
      this.offsets[id] = Number(outcome.offset)
    } else {
      this.outcomes[id] = OUTCOME_FAILED
      if (outcome.partition !== undefined && outcome.partition >= 0) this.partitions[id] = outcome.partition
      this.errors.set(id, outcome.error)
      this.persisted[id] = PERSISTED_CODES[outcome.persisted ?? persistedStatusOf(outcome.error)]
    }
  }

  private check(id: number): void {
    if (!Number.isInteger(id) || id < 0 || id >= this.count) {
      throw new TestkitError('INVALID_OPTION', `No send ${id} in this ledger (${this.count} registered)`)
    }
  }

  private grow(capacity: number): void {
    const copy = <T extends Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array>(
      from: T,
      make: (n: number) => T,
    ): T => {
      const to = make(capacity)
      to.set(from as never)
      return to
    }
    this.topicIndex = copy(this.topicIndex, (n) => new Uint16Array(n))
    this.streamIndex = copy(this.streamIndex, (n) => new Uint32Array(n))
    this.seqs = copy(this.seqs, (n) => new Uint32Array(n))
    this.outcomes = copy(this.outcomes, (n) => new Uint8Array(n))
    this.persisted = copy(this.persisted, (n) => new Uint8Array(n))
    this.completions = copy(this.completions, (n) => new Uint8Array(n))
    this.settlements = copy(this.settlements, (n) => new Uint8Array(n))
    this.usesCallback = copy(this.usesCallback, (n) => new Uint8Array(n))
    this.aborted = copy(this.aborted, (n) => new Uint8Array(n))
    this.partitions = copy(this.partitions, (n) => new Int32Array(n))
    this.offsets = copy(this.offsets, (n) => new Float64Array(n))
    this.sentAt = copy(this.sentAt, (n) => new Float64Array(n))
    this.completedAt = copy(this.completedAt, (n) => new Float64Array(n))
    this.completionOrder = copy(this.completionOrder, (n) => new Uint32Array(n))
    this.capacity = capacity
  }
}

/** @internal A growable list of send ids in an Int32Array (no JS-heap number per send). */
export class IdList {
  private ids = new Int32Array(16)
  length = 0

  get byteLength(): number {
    return this.ids.byteLength
  }

  at(index: number): number {
    return this.ids[index]!
  }

  push(id: number): void {
    if (this.length === this.ids.length) {
      const grown = new Int32Array(this.ids.length * 2)
      grown.set(this.ids)
      this.ids = grown
    }
    this.ids[this.length++] = id
  }
}
