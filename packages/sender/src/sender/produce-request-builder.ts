import type { ProducerBatch } from '@x/accumulator'
import {
  type ProduceRequestInput,
  type ProduceRequestPartitionProduceDataInput,
  type ProduceResponse,
  produceApi,
  readProduceResponse,
  writeProduceRequest,
} from '@x/protocol'
import type { RequestSpec } from '../network/client-request.js'

/** Produce v3 is the first that carries RecordBatch v2 (magic 2), the only format the accumulator writes. */
export const MIN_PRODUCE_VERSION = 3

/** One node's Produce request and the batches it carries, found again by topic and partition. */
export interface ProduceRequestPlan {
  readonly nodeId: number
  readonly batches: readonly ProducerBatch[]
  readonly spec: RequestSpec<ProduceRequestInput, ProduceResponse>
  readonly records: number
  readonly bytes: number
  /** The batch sent for `topic`/`partition` in this request. */
  batchFor(topic: string, partition: number): ProducerBatch | undefined
}

/**
 * Builds one Produce request for a node's drained batches (Java `sendProduceRequest`): grouped by topic,
 * each partition's closed record batch referenced — never copied — so its pooled bytes reach the socket's
 * writev as they are. `acks`, `timeoutMs` (request.timeout.ms) and the transactional id go in the header
 * fields of the request body; acks=0 expects no response.
 */
export function buildProduceRequest(
  nodeId: number,
  batches: readonly ProducerBatch[],
  acks: number,
  timeoutMs: number,
  transactionalId: string | null,
): ProduceRequestPlan {
  const topics = new Map<string, { name: string; partitionData: ProduceRequestPartitionProduceDataInput[] }>()
  const index = new Map<string, Map<number, ProducerBatch>>()
  let records = 0
  let bytes = 0
  for (const batch of batches) {
    const data = batch.records()
    let topic = topics.get(batch.topic)
    let partitions = index.get(batch.topic)
    if (topic === undefined || partitions === undefined) {
      topic = { name: batch.topic, partitionData: [] }
      topics.set(batch.topic, topic)
      partitions = new Map()
      index.set(batch.topic, partitions)
    }
    topic.partitionData.push({ index: batch.partition, records: data })
    partitions.set(batch.partition, batch)
    records += batch.recordCount
    bytes += data.byteLength
  }
  return {
    nodeId,
    batches,
    records,
    bytes,
    spec: {
      api: produceApi,
      minVersion: MIN_PRODUCE_VERSION,
      expectResponse: acks !== 0,
      body: { transactionalId, acks, timeoutMs, topicData: [...topics.values()] },
      write: writeProduceRequest,
      read: readProduceResponse,
    },
    batchFor: (topic, partition) => index.get(topic)?.get(partition),
  }
}
