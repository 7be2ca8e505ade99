// Run: npx vitest bench --run --project sender
// Micro-benchmarks of the per-node half of a sender pass, without sockets. 12 partitions on 3 nodes; each
// iteration works on one full 16 KiB batch of 100-byte records per partition (≈ 140 records, ≈ 1,700 in all):
// - "append only": fill the 12 batches (the accumulator's share, for reference);
// - "append + drain + encode": fill, drain every node (max.request.size 1 MiB), encode one Produce v11 request
//   per node into the chunks a socket would writev, complete and free the batches. The difference to "append
//   only" is the sender's per-pass cost;
// - "encode only": the same 12 closed batches framed again as 3 requests (no copy of record bytes).
import { RecordAccumulator, recordBatchBuilderFactory } from '@x/accumulator'
import { BufferPool } from '@x/buffer-pool'
import { StaticClusterView } from '@x/partitioners'
import { encodeRequest, produceApi, writeProduceRequest } from '@x/protocol'
import { bench, describe } from 'vitest'
import { buildProduceRequest } from './produce-request-builder.js'

const cluster = StaticClusterView.of('bench', 12, [0, 1, 2])
const nodes = [0, 1, 2]
const value = new Uint8Array(100).fill(42)
const completion = { onCompletion() {} }
const pool = new BufferPool({ totalMemory: 64 * 1024 * 1024, poolableSize: 16_384 })
const accumulator = new RecordAccumulator({
  batchSize: 16_384,
  lingerMs: 0,
  bufferPool: pool,
  recordsBuilderFactory: recordBatchBuilderFactory(),
})

function fill(): void {
  for (let partition = 0; partition < 12; partition++) {
    // stop at the first record that opens a second batch: one full batch per partition
    for (;;) {
      const result = accumulator.append(
        'bench',
        partition,
        1_700_000_000_000,
        null,
        value,
        null,
        completion,
        0,
        false,
        0,
        cluster,
      )
      if (result instanceof Promise) throw new Error('bench pool too small')
      if (result.newBatchCreated && accumulator.batchesFor('bench', partition).length > 1) break
    }
  }
}

function encode(
  nodeId: number,
  batches: Parameters<typeof buildProduceRequest>[1],
  correlationId: number,
): number {
  const plan = buildProduceRequest(nodeId, batches, -1, 30_000, null)
  const chunks = encodeRequest({
    api: produceApi,
    apiVersion: 11,
    correlationId,
    clientId: 'bench',
    body: plan.spec.body,
    writeBody: writeProduceRequest,
  })
  return chunks.length
}

let drainedForEncodeOnly: ReturnType<typeof accumulator.drain> | undefined

function drainAndFree(encodeRequests: boolean): number {
  let batchCount = 0
  const drained = accumulator.drain(cluster, nodes, 1_048_576, 0)
  for (const [nodeId, batches] of drained) {
    if (encodeRequests) encode(nodeId, batches, correlationId++)
    for (const batch of batches) {
      batchCount++
      batch.complete(0n, -1)
      accumulator.deallocate(batch)
    }
  }
  return batchCount
}

let correlationId = 0

describe('Produce requests per node (12 full batches on 3 nodes per iteration)', () => {
  bench('append only', () => {
    fill()
    drainAndFree(false)
  })

  bench('append + drain + encode', () => {
    fill()
    if (drainAndFree(true) < 12) throw new Error('expected 12 batches per iteration')
  })

  bench(
    'encode only',
    () => {
      for (const [nodeId, batches] of drainedForEncodeOnly!) encode(nodeId, batches, correlationId++)
    },
    {
      setup: () => {
        fill()
        drainedForEncodeOnly = accumulator.drain(cluster, nodes, 1_048_576, 0)
      },
    },
  )
})
