// Self-test of the delivery oracle: logs built by hand from the ledger's own records, with anomalies planted
// on purpose (a duplicate, a loss, a reordering, readers that disagree, an aborted read, ...). An oracle
// that missed a planted anomaly would pass every reliability suite for the wrong reason.
import { ApiError, ErrorCode } from '@x/protocol'
import { describe, expect, it } from 'vitest'
import { checkDelivery, DeliveryChecker, type OracleReadRecord } from './delivery-checker.js'
import { DeliveryLedger, type OracleRecord } from './delivery-ledger.js'
import { formatDeliveryReport } from './delivery-report.js'

const TOPIC = 'orders'

/** A ledger of `count` sends on keys k0..k(keys-1), all acked in send order at offsets 0.. of partition 0. */
function ackedRun(count: number, keys = 2) {
  const ledger = new DeliveryLedger({ runId: 'self-test' })
  const records: OracleRecord[] = []
  for (let i = 0; i < count; i++) {
    const record = ledger.next({ topic: TOPIC, key: `k${i % keys}`, partition: 0 })
    records.push(record)
    ledger.complete(record.id, { ok: true, partition: 0, offset: i })
  }
  return { ledger, records }
}

/** The log a reader would return: the given records at consecutive offsets of partition 0. */
function log(records: readonly OracleRecord[], partition = 0): OracleReadRecord[] {
  return records.map((record, offset) => ({
    partition,
    offset: BigInt(offset),
    value: record.value,
    headers: record.headers,
  }))
}

describe('DeliveryChecker', () => {
  it('finds nothing wrong when every acked record is read once, in order, at its acked offset', () => {
    const { ledger, records } = ackedRun(20)
    const report = checkDelivery(ledger, {
      topic: TOPIC,
      readers: { java: log(records), kcat: log(records) },
    })
    expect(report.violations).toEqual([])
    expect(report.counts).toMatchObject({
      sent: 20,
      acked: 20,
      read: 20,
      lost: 0,
      duplicated: 0,
      reordered: 0,
    })
    expect(report.partitions).toEqual([
      { topic: TOPIC, partition: 0, acked: 20, read: 20, lost: 0, duplicated: 0, reordered: 0 },
    ])
    expect(report.readers).toEqual({ java: 20, kcat: 20 })
  })

  it('catches a planted duplicate, and forbids it only for an idempotent producer', () => {
    const { ledger, records } = ackedRun(10)
    // a retried batch appended twice: record 4 again after record 9 (the ack named the first copy)
    const planted = [...records, records[4]!]
    const idempotent = checkDelivery(ledger, { topic: TOPIC, readers: { log: log(planted) } })
    expect(idempotent.counts.duplicated).toBe(1)
    expect(idempotent.counts.reordered).toBe(0) // a second copy is a duplicate, not a reordering
    expect(idempotent.violations).toEqual(['duplicated: 1'])
    expect(idempotent.examples).toContainEqual(
      expect.objectContaining({ kind: 'duplicated', offset: 10, key: 'k0', seq: 2 }),
    )
    const plain = checkDelivery(ledger, { topic: TOPIC, readers: { log: log(planted) }, idempotent: false })
    expect(plain.counts.duplicated).toBe(1)
    expect(plain.violations).toEqual([])
  })

  it('catches a planted loss: an acked record missing while later ones were read', () => {
    const { ledger, records } = ackedRun(10)
    const withHole = log(records).filter((record) => record.offset !== 3n)
    const report = checkDelivery(ledger, { topic: TOPIC, readers: { log: withHole }, idempotent: false })
    expect(report.counts.lost).toBe(1)
    expect(report.violations).toEqual(['lost: 1'])
    expect(report.examples).toContainEqual(expect.objectContaining({ kind: 'lost', offset: 3, id: 3 }))
  })

  it('calls an acked record missing at the end of its partition unseen, not lost', () => {
    const { ledger, records } = ackedRun(10)
    const report = checkDelivery(ledger, { topic: TOPIC, readers: { log: log(records.slice(0, 9)) } })
    expect(report.counts).toMatchObject({ lost: 0, unseen: 1 })
    expect(report.violations).toEqual(['unseen: 1'])
  })

  it('catches a planted reordering within one key', () => {
    const ledger = new DeliveryLedger({ runId: 'self-test' })
    const records = Array.from({ length: 6 }, () => ledger.next({ topic: TOPIC, key: 'k' }))
    // sends 2 and 3 swapped in the log; each ack names where it really landed
    const order = [0, 1, 3, 2, 4, 5]
    for (const [offset, id] of order.entries()) ledger.complete(id, { ok: true, partition: 0, offset })
    const report = checkDelivery(ledger, {
      topic: TOPIC,
      readers: { log: log(order.map((id) => records[id]!)) },
    })
    expect(report.counts.reordered).toBe(1)
    expect(report.counts.completionOrderViolations).toBe(1) // send 2 completed after send 3
    expect(report.violations).toEqual(['reordered: 1', 'completionOrderViolations: 1'])
  })

  it('counts offsets where two readers disagree as inconsistent', () => {
    const { ledger, records } = ackedRun(5)
    const java = log(records)
    const kcat = log(records).filter((record) => record.offset !== 2n)
    const report = checkDelivery(ledger, { topic: TOPIC, readers: { java, kcat } })
    expect(report.counts.inconsistent).toBe(1)
    expect(report.counts.lost).toBe(0) // the union still has it
    expect(report.violations).toEqual(['inconsistent: 1'])
  })

  it('reports a failed not-persisted record that is read as an aborted read, a possibly persisted one as allowed', () => {
    const ledger = new DeliveryLedger({ runId: 'self-test' })
    const a = ledger.next({ topic: TOPIC, key: 'k' })
    const b = ledger.next({ topic: TOPIC, key: 'k' })
    ledger.complete(a.id, { ok: false, error: new ApiError({ errorCode: ErrorCode.INVALID_RECORD }) })
    ledger.complete(b.id, { ok: false, error: new Error('socket closed'), partition: 0 })
    const report = checkDelivery(ledger, { topic: TOPIC, readers: { log: log([a, b]) } })
    expect(report.counts).toMatchObject({ failed: 2, abortedRead: 1, maybePersistedPresent: 1 })
    expect(report.violations).toEqual(['abortedRead: 1'])
  })

  it('reports records of an aborted transaction that are read as aborted reads', () => {
    const { ledger, records } = ackedRun(4)
    ledger.markAborted([1, 2])
    const report = checkDelivery(ledger, { topic: TOPIC, readers: { log: log(records) } })
    expect(report.counts.abortedRead).toBe(2)
  })

  it('reports a gap left by a failed send without calling it a violation', () => {
    const ledger = new DeliveryLedger({ runId: 'self-test' })
    const sent = Array.from({ length: 3 }, () => ledger.next({ topic: TOPIC, key: 'k', partition: 0 }))
    ledger.complete(0, { ok: true, partition: 0, offset: 0 })
    ledger.complete(1, { ok: false, error: new Error('delivery timeout'), partition: 0 })
    ledger.complete(2, { ok: true, partition: 0, offset: 1 })
    const report = checkDelivery(ledger, { topic: TOPIC, readers: { log: log([sent[0]!, sent[2]!]) } })
    expect(report.counts).toMatchObject({ gaps: 1, lost: 0, failed: 1 })
    expect(report.violations).toEqual([])
  })

  it('checks that each acked record is read at the offset its acknowledgement named', () => {
    const { ledger, records } = ackedRun(3)
    const shifted = log(records).map((record) => ({ ...record, offset: BigInt(record.offset) + 100n }))
    const report = checkDelivery(ledger, { topic: TOPIC, readers: { log: shifted } })
    expect(report.counts.offsetMismatches).toBe(3)
  })

  it('accepts a duplicate whose second copy is the acknowledged one (a retry after a lost response)', () => {
    const ledger = new DeliveryLedger({ runId: 'self-test' })
    const record = ledger.next({ topic: TOPIC, key: 'k' })
    ledger.complete(record.id, { ok: true, partition: 0, offset: 1 }) // first copy's response was lost
    const report = checkDelivery(ledger, {
      topic: TOPIC,
      readers: { log: log([record, record]) },
      idempotent: false,
    })
    expect(report.counts).toMatchObject({ duplicated: 1, offsetMismatches: 0 })
    expect(report.violations).toEqual([])
  })

  it('counts sends that never completed and sends completed twice', () => {
    const ledger = new DeliveryLedger({ runId: 'self-test' })
    const a = ledger.next({ topic: TOPIC, key: 'k' })
    const b = ledger.next({ topic: TOPIC, key: 'k' })
    const callback = ledger.callback(a.id)
    callback({ partition: 0, offset: 0n })
    callback({ partition: 0, offset: 0n })
    const report = checkDelivery(ledger, { topic: TOPIC, readers: { log: log([a]) } })
    expect(report.counts).toMatchObject({ uncompleted: 1, multipleCompletions: 1 })
    expect(ledger.pending).toBe(1)
    expect(b.seq).toBe(1)
  })

  it('flags a promise that disagrees with the callback of the same send', async () => {
    const ledger = new DeliveryLedger({ runId: 'self-test' })
    const a = ledger.next({ topic: TOPIC, key: 'k' })
    ledger.callback(a.id)({ partition: 0, offset: 0n })
    await ledger.track(a.id, Promise.reject(new Error('but the promise failed')))
    const report = checkDelivery(ledger, { topic: TOPIC, readers: { log: log([a]) } })
    expect(report.counts.outcomeMismatches).toBe(1)
    expect(report.counts.multipleCompletions).toBe(0) // the callback fired once
  })

  it('flags records of another run and records whose header does not repeat the value', () => {
    const { ledger, records } = ackedRun(2)
    const other = new DeliveryLedger({ runId: 'other-run' }).next({ topic: TOPIC, key: 'k0' })
    const tampered = log(records)
    tampered[1] = { ...tampered[1]!, headers: other.headers }
    tampered.push({ partition: 0, offset: 2n, value: other.value, headers: other.headers })
    const report = new DeliveryChecker(ledger).read('log', tampered, TOPIC).report()
    expect(report.counts).toMatchObject({ foreign: 1, corrupt: 1 })
  })

  it('counts completions later than the delivery timeout when given one', () => {
    let now = 0
    const ledger = new DeliveryLedger({ runId: 'self-test', clock: () => now })
    const a = ledger.next({ topic: TOPIC, key: 'k' })
    now = 5_000
    ledger.complete(a.id, { ok: false, error: new Error('late') })
    const report = checkDelivery(ledger, {
      topic: TOPIC,
      readers: {},
      deliveryTimeoutMs: 3_000,
      epsilonMs: 500,
    })
    expect(report.counts.lateCompletions).toBe(1)
    expect(formatDeliveryReport(report)).toContain('lateCompletions: 1')
  })

  it('keeps per-partition rows for the reliability table', () => {
    const ledger = new DeliveryLedger({ runId: 'self-test' })
    const records = Array.from({ length: 6 }, (_, i) => ledger.next({ topic: TOPIC, key: `k${i % 2}` }))
    for (const [i, record] of records.entries()) {
      ledger.complete(record.id, { ok: true, partition: i % 2, offset: i >> 1 })
    }
    const p0 = log(
      records.filter((_, i) => i % 2 === 0),
      0,
    )
    const p1 = log(
      records.filter((_, i) => i % 2 === 1),
      1,
    ).slice(1) // p1 offset 0 lost
    const report = checkDelivery(ledger, { topic: TOPIC, readers: { log: [...p1, ...p0] } })
    expect(report.partitions).toEqual([
      { topic: TOPIC, partition: 0, acked: 3, read: 3, lost: 0, duplicated: 0, reordered: 0 },
      { topic: TOPIC, partition: 1, acked: 3, read: 2, lost: 1, duplicated: 0, reordered: 0 },
    ])
  })
})
