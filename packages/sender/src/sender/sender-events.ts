import type { ProducerBatch } from '@x/accumulator'
import type { MetadataUpdate } from '../metadata/metadata.js'
import type { ConnectionState } from '../network/cluster-connection-states.js'

/**
 * What the sender reports on `events$`, at batch and request granularity — never per record. Each event is
 * built only while someone subscribes.
 */
export type SenderEvent =
  | {
      readonly type: 'request-sent'
      readonly nodeId: number
      readonly correlationId: number
      readonly batches: number
      readonly records: number
      readonly bytes: number
    }
  | {
      readonly type: 'response-received'
      readonly nodeId: number
      readonly correlationId: number
      readonly latencyMs: number
      /** Set when no response came (disconnect, request timeout). */
      readonly error?: Error
    }
  | { readonly type: 'batch-completed'; readonly batch: ProducerBatch; readonly baseOffset: bigint }
  | {
      readonly type: 'batch-retried'
      readonly batch: ProducerBatch
      readonly error: Error
      readonly attempt: number
    }
  | { readonly type: 'batch-failed'; readonly batch: ProducerBatch; readonly error: Error }
  | {
      readonly type: 'batch-expired'
      readonly batch: ProducerBatch
      readonly error: Error
      readonly inFlight: boolean
    }
  | { readonly type: 'batch-split'; readonly batch: ProducerBatch; readonly into: number }
  | { readonly type: 'metadata-updated'; readonly update: MetadataUpdate }
  | {
      readonly type: 'connection-state-changed'
      readonly nodeId: number
      readonly state: ConnectionState
      readonly error?: Error
    }

export type SenderEventType = SenderEvent['type']
