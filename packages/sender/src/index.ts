/**
 * @x/sender: transports, broker connections, cluster metadata and the Sender that turns ready batches into
 * Produce requests and responses back into completed, retried, split or failed batches.
 */
export { MAX_TIMER_DELAY_MS, type SenderClock, systemClock } from './clock.js'
export * from './errors/index.js'
export {
  type BootstrapAddress,
  dnsResolver,
  type HostResolver,
  parseBootstrapServers,
  resolveBootstrapServers,
} from './metadata/bootstrap-servers.js'
export { Cluster, type ClusterInit, type PartitionMetadata, type TopicMetadata } from './metadata/cluster.js'
export { isInvalidMetadataError } from './metadata/invalid-metadata-errors.js'
export { type LeaderHint, Metadata, type MetadataOptions, type MetadataUpdate } from './metadata/metadata.js'
export { MetadataUpdater } from './metadata/metadata-updater.js'
export { type BrokerApiVersion, NodeApiVersions } from './network/api-versions.js'
export { BrokerConnection, type BrokerConnectionState } from './network/broker-connection.js'
export type { BrokerNode } from './network/broker-node.js'
export { ClientRequest, type ClientResponse, type RequestSpec } from './network/client-request.js'
export { ClusterConnectionStates, type ConnectionState } from './network/cluster-connection-states.js'
export { InFlightRequests } from './network/in-flight-requests.js'
export { NetworkClient, type NetworkClientOptions, type NetworkEvent } from './network/network-client.js'
export { createSaslMechanism } from './network/sasl/create-sasl-mechanism.js'
export { PlainMechanism } from './network/sasl/plain-mechanism.js'
export type { SaslExchange, SaslMechanism, SaslOptions } from './network/sasl/sasl-mechanism.js'
export { ScramMechanism } from './network/sasl/scram-mechanism.js'
export { type CreateSenderOptions, createSender, type SenderStack } from './sender/create-sender.js'
export { InFlightBatches } from './sender/in-flight-batches.js'
export type { PartitionResponse, RecordError } from './sender/partition-response.js'
export {
  buildProduceRequest,
  MIN_PRODUCE_VERSION,
  type ProduceRequestPlan,
} from './sender/produce-request-builder.js'
export { Sender, type SenderCloseOptions, type SenderOptions } from './sender/sender.js'
export type { SenderEvent, SenderEventType } from './sender/sender-events.js'
export {
  noTransactionManager,
  type SenderTransactionManager,
  type TransactionalRequestContext,
} from './sender/transaction-manager.js'
export { AbortableTransactionError } from './transaction/abortable-transaction-error.js'
export { ProducerFencedError } from './transaction/producer-fenced-error.js'
export { TransactionAbortedError } from './transaction/transaction-aborted-error.js'
export {
  type ConsumerGroupInfo,
  type OffsetToCommit,
  TransactionManager,
  type TransactionManagerOptions,
} from './transaction/transaction-manager.js'
export type { TransactionState } from './transaction/transaction-state.js'
export { TransactionStateError } from './transaction/transaction-state-error.js'
export { TransactionalRequestResult } from './transaction/transactional-request-result.js'
export { type SocketOptions, TcpTransport } from './transport/tcp-transport.js'
export { TlsTransport } from './transport/tls-transport.js'
export type * from './transport/transport.js'
