import { TestkitError } from '../testkit-error.js'
import { type DeliveryLedger, OUTCOME_FAILED, OUTCOME_OK } from './delivery-ledger.js'
import {
  type DeliveryAnomaly,
  type DeliveryCounts,
  type DeliveryExample,
  type DeliveryPolicy,
  type DeliveryReport,
  deliveryViolations,
  type PartitionDelivery,
} from './delivery-report.js'
import { decodeOraclePayload, ORACLE_HEADER } from './oracle-payload.js'

/** One record as a reader returned it: the harness's `ConsumedRecord` and the cluster's records fit. */
export interface OracleReadRecord {
  /** Default: the `topic` given to {@link DeliveryChecker.read}. */
  readonly topic?: string
  readonly partition: number
  readonly offset: bigint | number
  readonly value: Uint8Array | null
  readonly headers?: readonly { readonly key: string; readonly value: Uint8Array | null }[]
}

const ABSENT = -1
const FOREIGN = -2
const MAX_EXAMPLES = 10

/** What one reader saw of one topic-partition: the send id (or FOREIGN) at each offset from `base`. */
class PartitionRead {
  base = -1
  ids = new Int32Array(0)
  end = 0 // one past the highest offset index set

  at(offset: number): number {
    const index = offset - this.base
    return this.base < 0 || index < 0 || index >= this.end ? ABSENT : this.ids[index]!
  }

  /** Sets the id at `offset`; returns the id already there (ABSENT if none). */
  set(offset: number, id: number): number {
    if (this.base < 0) this.base = offset
    if (offset < this.base) {
      const shift = this.base - offset
      const ids = new Int32Array(Math.max(this.ids.length, 16) + shift).fill(ABSENT)
      ids.set(this.ids.subarray(0, this.end), shift)
      this.ids = ids
      this.end += shift
      this.base = offset
    }
    const index = offset - this.base
    if (index >= this.ids.length) {
      const ids = new Int32Array(Math.max(index + 1, this.ids.length * 2, 16)).fill(ABSENT)
      ids.set(this.ids.subarray(0, this.end))
      this.ids = ids
    }
    const before = index < this.end ? this.ids[index]! : ABSENT
    this.ids[index] = id
    if (index >= this.end) {
      this.ids.fill(ABSENT, this.end, index)
      this.end = index + 1
    }
    return before
  }
}

interface ReaderView {
  readonly name: string
  records: number
  corrupt: number
  /** Same offset returned twice with different values by this one reader. */
  selfInconsistent: number
  readonly partitions: Map<string, PartitionRead>
}

/**
 * The read-back side of the delivery oracle (checklist §5.0). Give it what each reader returned — the Java
 * consumer and kcat for a real broker, or the embedded cluster's logs — and it compares the readers offset by
 * offset, then checks every send of the ledger against the merged log: lost, unseen, duplicated, reordered,
 * inconsistent, aborted reads, gaps, offset agreement and exactly one completion per send.
 *
 * ```ts
 * const checker = new DeliveryChecker(ledger)
 * checker.read('java', await consumeWithJava(tools, { bootstrapServers, topic }))
 * checker.read('kcat', await consumeWithKcat({ bootstrapServers, topic }))
 * const report = checker.report({ idempotent: true })
 * expect(report.violations).toEqual([])
 * ```
 */
export class DeliveryChecker {
  private readonly readers: ReaderView[] = []

  constructor(private readonly ledger: DeliveryLedger) {}

  /** Adds what reader `name` returned (may be called several times per reader, e.g. per topic). */
  read(name: string, records: Iterable<OracleReadRecord>, topic?: string): this {
    let reader = this.readers.find((candidate) => candidate.name === name)
    if (reader === undefined) {
      reader = { name, records: 0, corrupt: 0, selfInconsistent: 0, partitions: new Map() }
      this.readers.push(reader)
    }
    const ledger = this.ledger
    for (const record of records) {
      const recordTopic = record.topic ?? topic
      if (recordTopic === undefined) {
        throw new TestkitError(
          'INVALID_OPTION',
          `Reader "${name}" returned a record without a topic: pass the topic to checker.read(name, records, topic)`,
        )
      }
      reader.records++
      const payload = decodeOraclePayload(record.value)
      let id = FOREIGN
      if (payload !== undefined && payload.runId === ledger.runId) {
        id = ledger.idOf(payload.producerId, payload.key, payload.seq) ?? FOREIGN
        if (id >= 0 && ledger.topics[ledger.topicIndex[id]!] !== recordTopic) id = FOREIGN
      }
      if (id >= 0 && !headerAgrees(record, record.value!)) reader.corrupt++
      const key = `${recordTopic}\u0000${record.partition}`
      let partition = reader.partitions.get(key)
      if (partition === undefined) {
        partition = new PartitionRead()
        reader.partitions.set(key, partition)
      }
      const before = partition.set(Number(record.offset), id)
      if (before !== ABSENT && before !== id) reader.selfInconsistent++
    }
    return this
  }

  /** Compares the readers, checks the ledger against what they read, and applies `policy`. */
  report(policy: Partial<DeliveryPolicy> = {}): DeliveryReport {
    const fullPolicy: DeliveryPolicy = { idempotent: true, ...policy }
    const ledger = this.ledger
    const n = ledger.size
    const counts: DeliveryCounts = {
      sent: n,
      acked: 0,
      failed: 0,
      read: 0,
      lost: 0,
      unseen: 0,
      duplicated: 0,
      reordered: 0,
      inconsistent: 0,
      abortedRead: 0,
      maybePersistedPresent: 0,
      gaps: 0,
      offsetMismatches: 0,
      misplaced: 0,
      foreign: 0,
      corrupt: 0,
      uncompleted: 0,
      multipleCompletions: 0,
      outcomeMismatches: new Set(ledger.outcomeMismatches).size,
      completionOrderViolations: 0,
      ackOffsetRegressions: 0,
      lateCompletions: 0,
    }
    const examples: DeliveryExample[] = []
    const exampleCounts = new Map<DeliveryAnomaly, number>()
    const example = (kind: DeliveryAnomaly, fields: Omit<DeliveryExample, 'kind'>) => {
      const seen = exampleCounts.get(kind) ?? 0
      if (seen >= MAX_EXAMPLES) return
      exampleCounts.set(kind, seen + 1)
      examples.push({ kind, ...fields })
    }
    const describeId = (id: number) => {
      const stream = ledger.streams[ledger.streamIndex[id]!]!
      return { id, producerId: stream.producerId, key: stream.key, seq: ledger.seqs[id]! }
    }
    for (const reader of this.readers) {
      counts.corrupt += reader.corrupt
      counts.inconsistent += reader.selfInconsistent
    }

    const rows = new Map<string, PartitionDelivery>()
    const row = (topic: string, partition: number) => {
      const key = `${topic}\u0000${partition}`
      let found = rows.get(key)
      if (found === undefined) {
        found = { topic, partition, acked: 0, read: 0, lost: 0, duplicated: 0, reordered: 0 }
        rows.set(key, found)
      }
      return found
    }

    // 1. Merge the readers offset by offset; every disagreement is an inconsistency.
    const readCount = new Uint8Array(n)
    const ackMatched = new Uint8Array(n)
    const readPartition = new Map<number, string>() // first copy's topic-partition, only for misplaced checks
    const maxReadOffset = new Map<string, number>()
    const partitionKeys = new Set<string>()
    for (const reader of this.readers) for (const key of reader.partitions.keys()) partitionKeys.add(key)
    for (const key of [...partitionKeys].sort()) {
      const [topic, partitionText] = key.split('\u0000') as [string, string]
      const partition = Number(partitionText)
      const views = this.readers.map((reader) => reader.partitions.get(key))
      let from = Number.POSITIVE_INFINITY
      let to = -1
      for (const view of views) {
        if (view === undefined || view.base < 0) continue
        from = Math.min(from, view.base)
        to = Math.max(to, view.base + view.end)
      }
      const tpRow = row(topic, partition)
      const maxSeq = new Map<number, number>() // stream -> highest seq read so far in this partition
      for (let offset = from; offset < to; offset++) {
        let merged = ABSENT
        let disagree = false
        for (const view of views) {
          const id = view === undefined ? ABSENT : view.at(offset)
          if (merged === ABSENT && id !== ABSENT) merged = id
          else if (id !== merged) disagree = true
        }
        if (merged === ABSENT) continue
        if (disagree) {
          counts.inconsistent++
          example('inconsistent', {
            topic,
            partition,
            offset,
            detail: this.readers.map((r, i) => `${r.name}=${views[i]?.at(offset) ?? ABSENT}`).join(' '),
          })
        }
        maxReadOffset.set(key, offset)
        if (merged === FOREIGN) {
          counts.foreign++
          example('foreign', { topic, partition, offset })
          continue
        }
        const id = merged
        const ackedHere =
          ledger.outcomes[id] === OUTCOME_OK &&
          ledger.partitions[id] === partition &&
          (ledger.offsets[id] === offset || ledger.offsets[id]! < 0)
        if (ackedHere) ackMatched[id] = 1
        if (readCount[id]! < 255) readCount[id]!++
        if (readCount[id]! > 1) {
          counts.duplicated++
          tpRow.duplicated++
          example('duplicated', { topic, partition, offset, ...describeId(id) })
          continue
        }
        counts.read++
        tpRow.read++
        readPartition.set(id, key)
        const stream = ledger.streamIndex[id]!
        const seq = ledger.seqs[id]!
        const highest = maxSeq.get(stream) ?? -1
        if (seq < highest) {
          counts.reordered++
          tpRow.reordered++
          example('reordered', {
            topic,
            partition,
            offset,
            ...describeId(id),
            detail: `after seq ${highest}`,
          })
        } else {
          maxSeq.set(stream, seq)
        }
      }
    }

    // 2. Every send against what was read.
    for (let id = 0; id < n; id++) {
      const topic = ledger.topics[ledger.topicIndex[id]!]!
      const completions = ledger.completionsOf(id)
      if (completions === 0) {
        counts.uncompleted++
        example('uncompleted', { topic, ...describeId(id) })
      } else if (completions > 1) {
        counts.multipleCompletions++
        example('multipleCompletions', { topic, ...describeId(id), detail: `${completions} completions` })
      }
      const outcome = ledger.outcomes[id]
      const read = readCount[id]! > 0
      const partition = ledger.partitions[id]!
      if (outcome === OUTCOME_OK) {
        counts.acked++
        const key = `${topic}\u0000${partition}`
        const tpRow = row(topic, partition)
        tpRow.acked++
        const offset = ledger.offsets[id]!
        if (!read) {
          const highest = maxReadOffset.get(key) ?? -1
          const lost = offset >= 0 ? highest > offset : highest >= 0
          if (lost) {
            counts.lost++
            tpRow.lost++
            example('lost', { topic, partition, offset, ...describeId(id) })
          } else {
            counts.unseen++
            example('unseen', { topic, partition, offset, ...describeId(id) })
          }
        } else if (readPartition.get(id) !== key) {
          counts.misplaced++
          example('misplaced', {
            topic,
            partition,
            ...describeId(id),
            detail: `read in ${readPartition.get(id)?.replace('\u0000', '-')}`,
          })
        } else if (ackMatched[id] === 0) {
          counts.offsetMismatches++
          example('offsetMismatches', { topic, partition, offset, ...describeId(id) })
        }
        if (read && ledger.aborted[id] === 1) {
          counts.abortedRead++
          example('abortedRead', { topic, partition, ...describeId(id), detail: 'transaction aborted' })
        }
      } else if (outcome === OUTCOME_FAILED) {
        counts.failed++
        if (read) {
          const persisted = ledger.persistedStatus(id)
          const error = ledger.outcome(id)
          const detail =
            error.state === 'failed'
              ? `${persisted}: ${String((error.error as Error)?.message ?? error.error)}`
              : ''
          if (persisted === 'no' || ledger.aborted[id] === 1) {
            counts.abortedRead++
            example('abortedRead', { topic, partition, ...describeId(id), detail })
          } else {
            counts.maybePersistedPresent++
            example('maybePersistedPresent', { topic, partition, ...describeId(id), detail })
          }
        }
      }
    }

    // 3. Gaps: seqs of a (producer, key) missing below one that was read; a failed send explains them.
    for (const stream of ledger.streams) {
      let highestRead = -1
      for (let seq = stream.ids.length - 1; seq >= 0; seq--) {
        if (readCount[stream.ids.at(seq)]! > 0) {
          highestRead = seq
          break
        }
      }
      for (let seq = 0; seq < highestRead; seq++) {
        const id = stream.ids.at(seq)
        if (readCount[id]! === 0 && ledger.outcomes[id] === OUTCOME_FAILED) {
          counts.gaps++
          example('gaps', { topic: ledger.topics[ledger.topicIndex[id]!], ...describeId(id) })
        }
      }
    }

    // 4. Completion order per (partition, producer) and acked offsets per partition, in completion order.
    // A send that failed before reaching a batch (not persisted: buffer exhausted, metadata timeout, a
    // refused batch) is not in the pipeline's order; Java completes those at once too.
    const lastCompleted = new Map<string, number>()
    const lastOffset = new Map<string, number>()
    for (let i = 0; i < ledger.completionCount; i++) {
      const id = ledger.completionOrder[i]!
      const partition = ledger.partitions[id]!
      if (partition < 0) continue
      if (ledger.outcomes[id] === OUTCOME_FAILED && ledger.persistedStatus(id) === 'no') continue
      const topic = ledger.topics[ledger.topicIndex[id]!]!
      const tp = `${topic}\u0000${partition}`
      const producerKey = `${tp}\u0000${ledger.streams[ledger.streamIndex[id]!]!.producerId}`
      const previous = lastCompleted.get(producerKey) ?? -1
      if (id < previous) {
        counts.completionOrderViolations++
        example('completionOrderViolations', {
          topic,
          partition,
          ...describeId(id),
          detail: `after send ${previous}`,
        })
      } else {
        lastCompleted.set(producerKey, id)
      }
      if (ledger.outcomes[id] === OUTCOME_OK && ledger.offsets[id]! >= 0) {
        const offset = ledger.offsets[id]!
        const before = lastOffset.get(tp) ?? -1
        if (offset <= before) {
          counts.ackOffsetRegressions++
          example('ackOffsetRegressions', {
            topic,
            partition,
            offset,
            ...describeId(id),
            detail: `after ${before}`,
          })
        } else {
          lastOffset.set(tp, offset)
        }
      }
    }

    // 5. Completion within delivery.timeout.ms + epsilon.
    if (fullPolicy.deliveryTimeoutMs !== undefined) {
      const limit = fullPolicy.deliveryTimeoutMs + (fullPolicy.epsilonMs ?? 1000)
      for (let id = 0; id < n; id++) {
        if (ledger.completionsOf(id) === 0) continue
        const took = ledger.completedAt[id]! - ledger.sentAt[id]!
        if (took > limit) {
          counts.lateCompletions++
          example('lateCompletions', { ...describeId(id), detail: `${took} ms` })
        }
      }
    }
    for (const id of new Set(ledger.outcomeMismatches)) example('outcomeMismatches', describeId(id))

    const partitions = [...rows.values()].sort((a, b) =>
      a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1,
    )
    return {
      runId: ledger.runId,
      counts,
      partitions,
      readers: Object.fromEntries(this.readers.map((reader) => [reader.name, reader.records])),
      examples,
      violations: deliveryViolations(counts, fullPolicy),
      policy: fullPolicy,
    }
  }
}

function headerAgrees(record: OracleReadRecord, value: Uint8Array): boolean {
  if (record.headers === undefined) return true // a reader that does not return headers
  const header = record.headers.find((candidate) => candidate.key === ORACLE_HEADER)
  if (header === undefined || header.value === null) return false
  const identity = header.value
  if (identity.length > value.length) return false
  for (let i = 0; i < identity.length; i++) if (identity[i] !== value[i]) return false
  // the value's identity ends there (end of value or the padding separator)
  return identity.length === value.length || value[identity.length] === 0x7c
}

/** Convenience: one call with every reader's records (all of one topic unless records name theirs). */
export function checkDelivery(
  ledger: DeliveryLedger,
  options: {
    readers: Readonly<Record<string, Iterable<OracleReadRecord>>>
    topic?: string
  } & Partial<DeliveryPolicy>,
): DeliveryReport {
  const { readers, topic, ...policy } = options
  const checker = new DeliveryChecker(ledger)
  for (const [name, records] of Object.entries(readers)) checker.read(name, records, topic)
  return checker.report(policy)
}
