import type { RequestHeader } from '@x/protocol'
import type { ApiName, RequestOf, ResponseInputOf } from '../api-codecs.js'
import type { BrokerNode } from '../cluster/broker-node.js'
import type { ClusterModel } from '../cluster/cluster-model.js'
import type { PartitionVisitor, RequestFaults } from '../faults/faults.js'
import type { SaslSession } from '../sasl/sasl-session.js'

/** Returned by a handler that sends nothing back (Produce with acks=0). */
export const NO_RESPONSE: unique symbol = Symbol('no-response')
/** Returned by a handler that answers later through `ctx.defer()` (a parked Fetch). */
export const DEFERRED: unique symbol = Symbol('deferred')

/** A response the handler will complete later; `onCancel` runs if the connection closes first. */
export interface DeferredResponse<Name extends ApiName> {
  complete(response: ResponseInputOf<Name>): void
  onCancel(callback: () => void): void
}

/** What a handler knows about the request it handles. */
export interface RequestContext<Name extends ApiName> {
  readonly model: ClusterModel
  readonly broker: BrokerNode
  readonly header: RequestHeader
  readonly apiVersion: number
  readonly faults: RequestFaults
  readonly nowMs: number
  defer(): DeferredResponse<Name>
  /** Closes the connection after this request (acks=0 produce errors, as Kafka does). */
  closeConnection(): void
  /** The connection's SASL authentication, when the cluster enables SASL. */
  readonly sasl: SaslSession | undefined
  /** Authentication failed: the answer goes out, then the connection closes after Kafka's delay. */
  failAuthentication(): void
}

export type HandlerResult<Name extends ApiName> = ResponseInputOf<Name> | typeof NO_RESPONSE | typeof DEFERRED

/** One API of the embedded broker. */
export interface ApiHandler<Name extends ApiName> {
  readonly name: Name
  handle(ctx: RequestContext<Name>, request: RequestOf<Name>): HandlerResult<Name>
  /** The topic-partitions the request touches (partition -1 for topic-level), for fault filters. */
  partitions?(request: RequestOf<Name>): PartitionVisitor
}
