import { KafkaHarnessError } from '../kafka-harness-error.js'
import { type BrokerAddress, exchange } from './kafka-exchange.js'
import { RequestWriter, ResponseReader } from './wire-codec.js'

export interface MetadataBroker {
  nodeId: number
  host: string
  port: number
  rack: string | null
}

export interface MetadataPartition {
  errorCode: number
  partition: number
  /** -1 while the partition has no leader. */
  leader: number
  leaderEpoch: number
  replicas: number[]
  isr: number[]
  offlineReplicas: number[]
}

export interface MetadataTopic {
  errorCode: number
  name: string
  isInternal: boolean
  partitions: MetadataPartition[]
}

/** What one broker believes about the cluster (Metadata v8). */
export interface ClusterMetadata {
  brokers: MetadataBroker[]
  clusterId: string | null
  controllerId: number
  topics: MetadataTopic[]
}

const METADATA = 3
const VERSION = 8

/** Encodes a Metadata v8 request: `topics` null asks for every topic; no auto-creation. */
export function encodeMetadataV8(correlationId: number, topics: string[] | null): Buffer {
  const writer = new RequestWriter(METADATA, VERSION, correlationId)
  if (topics === null) writer.int32(-1)
  else {
    writer.int32(topics.length)
    for (const topic of topics) writer.string(topic)
  }
  // allow_auto_topic_creation, include_cluster_authorized_operations, include_topic_authorized_operations
  return writer.int8(0).int8(0).int8(0).frame()
}

/** Decodes a Metadata v8 response frame (response header v0). */
export function decodeMetadataV8(frame: Buffer, correlationId: number): ClusterMetadata {
  const r = new ResponseReader(frame)
  const got = r.int32()
  if (got !== correlationId) {
    throw new KafkaHarnessError(
      'PROTOCOL_ERROR',
      `Metadata answered correlation id ${got}, expected ${correlationId}`,
    )
  }
  r.int32() // throttle_time_ms
  const brokers = r.array(() => ({
    nodeId: r.int32(),
    host: r.string(),
    port: r.int32(),
    rack: r.nullableString(),
  }))
  const clusterId = r.nullableString()
  const controllerId = r.int32()
  const topics = r.array(() => {
    const topic: MetadataTopic = {
      errorCode: r.int16(),
      name: r.string(),
      isInternal: r.int8() !== 0,
      partitions: r.array(() => ({
        errorCode: r.int16(),
        partition: r.int32(),
        leader: r.int32(),
        leaderEpoch: r.int32(),
        replicas: r.array(() => r.int32()),
        isr: r.array(() => r.int32()),
        offlineReplicas: r.array(() => r.int32()),
      })),
    }
    r.int32() // topic_authorized_operations
    return topic
  })
  r.int32() // cluster_authorized_operations
  return { brokers, clusterId, controllerId, topics }
}

let nextCorrelationId = 1

/**
 * Asks one broker for metadata (all topics when `topics` is null), hand-encoded Metadata v8 on a fresh
 * connection. The harness uses it for readiness, leader lookup and ISR checks.
 */
export async function fetchMetadata(
  address: BrokerAddress,
  topics: string[] | null = null,
  timeoutMs = 5_000,
): Promise<ClusterMetadata> {
  const correlationId = nextCorrelationId++
  return decodeMetadataV8(
    await exchange(address, encodeMetadataV8(correlationId, topics), timeoutMs),
    correlationId,
  )
}
