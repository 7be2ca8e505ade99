// PartitionLog storage: consecutive batches served as one view of one segment (no copy per fetch), a
// fetch stopping at a segment boundary, the high watermark / last stable offset bounds, and DeleteRecords
// dropping whole batches before the new log start offset.
import { decodeRecordBatches } from '@x/protocol'
import { describe, expect, it } from 'vitest'
import { batchOf } from '../testing/cluster-fixture.js'
import { type AppendBatchInfo, PartitionLog } from './partition-log.js'

function info(bytes: Uint8Array, recordCount = 1): AppendBatchInfo {
  return {
    bytes,
    recordCount,
    maxTimestamp: 1,
    producerId: -1n,
    producerEpoch: -1,
    baseSequence: -1,
    isTransactional: false,
    isControl: false,
  }
}

describe('PartitionLog', () => {
  it('serves consecutive batches of one segment as a single view without copying them', () => {
    const log = new PartitionLog()
    const first = batchOf(['a', 'b'])
    const second = batchOf(['c'])
    log.append(info(first, 2), 3)
    log.append(info(second), 3)
    const read = log.read(0, log.highWatermark, 1 << 20, true)
    expect(read.records!.length).toBe(first.length + second.length)
    expect(read.records!.buffer).toBe(log.read(2, log.highWatermark, 1 << 20, true).records!.buffer)
    const batches = decodeRecordBatches(read.records!)
    expect(batches.map((batch) => [batch.baseOffset, batch.partitionLeaderEpoch])).toEqual([
      [0n, 3],
      [2n, 3],
    ])
  })

  it('starts a new segment past its size and stops a read at the segment boundary', () => {
    const log = new PartitionLog(100)
    const batch = batchOf(['x'.repeat(60)])
    log.append(info(batch), 0)
    log.append(info(batch), 0)
    const read = log.read(0, log.highWatermark, 1 << 20, true)
    expect(decodeRecordBatches(read.records!).map((b) => b.baseOffset)).toEqual([0n])
    expect(
      decodeRecordBatches(log.read(1, log.highWatermark, 1 << 20, true).records!).map((b) => b.baseOffset),
    ).toEqual([1n])
  })

  it('reads nothing at or past the upper bound and nothing over maxBytes unless minOneBatch', () => {
    const log = new PartitionLog()
    const batch = batchOf(['x'.repeat(100)])
    log.append(info(batch), 0)
    expect(log.read(0, 0, 1 << 20, true).records).toBeNull()
    expect(log.read(0, 1, 10, false).records).toBeNull()
    expect(log.read(0, 1, 10, true).records!.length).toBe(batch.length)
    expect(log.read(1, 1, 1 << 20, true).records).toBeNull()
  })

  it('keeps the last stable offset at the first offset of the oldest open transaction', () => {
    const log = new PartitionLog()
    log.append(info(batchOf(['a'])), 0)
    log.openTransactions.set(7n, 1)
    log.append(info(batchOf(['b'])), 0)
    expect([log.highWatermark, log.lastStableOffset]).toEqual([2, 1])
    log.openTransactions.delete(7n)
    expect(log.lastStableOffset).toBe(2)
  })

  it('drops whole batches before a new log start offset and keeps the one it falls in', () => {
    const log = new PartitionLog()
    log.append(info(batchOf(['a', 'b']), 2), 0)
    log.append(info(batchOf(['c', 'd']), 2), 0)
    log.deleteRecordsBefore(3)
    expect(log.logStartOffset).toBe(3)
    expect(log.batches.map((batch) => batch.baseOffset)).toEqual([2])
    log.deleteRecordsBefore(1)
    expect(log.logStartOffset).toBe(3)
  })

  it('wakes waiters once on the next append', () => {
    const log = new PartitionLog()
    let woken = 0
    log.onAppend(() => woken++)
    const cancel = log.onAppend(() => woken++)
    cancel()
    log.append(info(batchOf(['a'])), 0)
    log.append(info(batchOf(['b'])), 0)
    expect(woken).toBe(1)
  })

  it('drops whole oldest segments once the newer ones hold retention.bytes, moving the log start offset', () => {
    const batch = batchOf(['x'.repeat(100)])
    const log = new PartitionLog(batch.length * 2, batch.length * 3)
    for (let i = 0; i < 7; i++) log.append(info(batch), 0)
    // segments of two batches: [0,1] [2,3] [4,5] [6]; the newest three batches' worth is kept
    expect(log.logStartOffset).toBe(4)
    expect(log.batches.map((stored) => stored.baseOffset)).toEqual([4, 5, 6])
    expect(log.sizeInBytes).toBe(batch.length * 3)
    expect(log.read(4, log.highWatermark, 1 << 20, true).records).not.toBeNull()
  })
})
