/**
 * Reads java-record-batches.json: golden RecordBatch v2 bytes written by Apache Kafka's
 * `MemoryRecordsBuilder` (kafka-clients 4.4.0) from packages/protocol/test-vectors/RecordBatchGoldens.java,
 * with the inputs each batch was built from. `buildOurs` builds the same case with our builder.
 */
import type { CodecRegistry } from '../../compression/codec-registry.js'
import type { CompressionName } from '../../compression/compression-codec.js'
import { encodeControlRecordKey, encodeEndTransactionMarker } from '../control-record.js'
import { RecordBatchBuilder, rewriteProducerState } from '../record-batch-builder.js'
import type { RecordHeader } from '../record-header.js'
import raw from './java-record-batches.json'

export interface JavaRecord {
  timestamp: number
  key: Uint8Array | null
  value: Uint8Array | null
  headers: RecordHeader[]
}

export interface JavaCase {
  name: string
  compression: CompressionName
  baseOffset: bigint
  producerId: bigint
  producerEpoch: number
  baseSequence: number
  isTransactional: boolean
  isControlBatch: boolean
  partitionLeaderEpoch: number
  rewrite?: { producerId: bigint; producerEpoch: number; baseSequence: number; isTransactional: boolean }
  records: JavaRecord[]
  /** Kafka's bytes for this case. */
  batch: Uint8Array
}

/** The control record Java's `appendEndTxnMarker(BASE_TIMESTAMP, COMMIT, coordinatorEpoch 4)` writes. */
export const CONTROL_CASE = { timestamp: 1_700_000_000_000, type: 1, coordinatorEpoch: 4 }

export function fromHex(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex, 'hex'))
}

interface RawRecord {
  timestamp: number
  key: string | null
  value: string | null
  headers: { key: string; value: string | null }[]
}

export function javaCases(): JavaCase[] {
  const sets = raw.recordSets as Record<string, RawRecord[]>
  return raw.cases.map((c) => ({
    name: c.name,
    compression: c.compression as CompressionName,
    baseOffset: BigInt(c.baseOffset),
    producerId: BigInt(c.producerId),
    producerEpoch: c.producerEpoch,
    baseSequence: c.baseSequence,
    isTransactional: c.isTransactional,
    isControlBatch: c.isControlBatch,
    partitionLeaderEpoch: c.partitionLeaderEpoch,
    rewrite:
      'rewrite' in c && c.rewrite
        ? { ...c.rewrite, producerId: BigInt((c.rewrite as { producerId: string }).producerId) }
        : undefined,
    records: sets[c.records]!.map((r) => ({
      timestamp: r.timestamp,
      key: r.key === null ? null : fromHex(r.key),
      value: r.value === null ? null : fromHex(r.value),
      headers: r.headers.map((h) => ({ key: h.key, value: h.value === null ? null : fromHex(h.value) })),
    })),
    batch: fromHex(c.batch),
  }))
}

/**
 * Builds `c` with our RecordBatchBuilder into a buffer of `bufferSize` bytes, appending each record with
 * `append` (default) or with the fused `tryAppend` (which must then take every record).
 */
export function buildOurs(
  c: JavaCase,
  options: { codecs?: CodecRegistry; bufferSize?: number; appendWith?: 'append' | 'tryAppend' } = {},
): Uint8Array {
  const builder = new RecordBatchBuilder(new Uint8Array(options.bufferSize ?? 1 << 20), {
    compression: c.compression,
    codecs: options.codecs,
    baseOffset: c.baseOffset,
    partitionLeaderEpoch: c.partitionLeaderEpoch,
    isControlBatch: c.isControlBatch,
  })
  if (c.isControlBatch) {
    builder.append(
      CONTROL_CASE.timestamp,
      encodeControlRecordKey(CONTROL_CASE.type),
      encodeEndTransactionMarker(CONTROL_CASE.coordinatorEpoch),
      null,
    )
  }
  for (const r of c.records) {
    if (options.appendWith !== 'tryAppend') builder.append(r.timestamp, r.key, r.value, r.headers)
    else if (builder.tryAppend(r.timestamp, r.key, r.value, r.headers) < 0)
      throw new Error(`tryAppend refused a record of "${c.name}"`)
  }
  builder.setProducerState(c.producerId, c.producerEpoch, c.baseSequence, c.isTransactional)
  const bytes = builder.close()
  if (!c.rewrite) return bytes
  const w = c.rewrite
  return rewriteProducerState(bytes, w.producerId, w.producerEpoch, w.baseSequence, w.isTransactional)
}
