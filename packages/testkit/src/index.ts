/**
 * @x/testkit: an embedded Kafka cluster for tests and local runs. N brokers in this process speak the
 * Kafka wire protocol on loopback TCP and through an in-memory `Transport`, keep partition logs in memory,
 * validate batches, idempotence and transactions as Kafka does, and inject faults deterministically
 * (errors, disconnects before or after the append, latency, held responses, brokers down/up, leader
 * moves). Also: a small wire client and a TCP transport for tests that speak the protocol directly, the
 * delivery oracle (a ledger of every send, a checker of what readers read back) and seeded fault scenarios
 * (`runScenario`) that replay exactly from their seed.
 * Not a broker for production: no persistence, no replication protocol, no consumer groups, no TLS or ACLs
 * (SASL PLAIN and SCRAM only, for testing client authentication).
 */

export { leakedResources, type ResourceSnapshot, snapshotActiveResources } from './active-resources.js'
export {
  type ApiCodec,
  type ApiName,
  advertisedVersions,
  apiCodecs,
  type RequestInputOf,
  type RequestOf,
  type ResponseInputOf,
  type ResponseOf,
} from './api-codecs.js'
export { type Clock, ManualClock, systemClock } from './clock.js'
export type { TopicConfig } from './cluster/topic-config.js'
export type { LeaderHint } from './cluster/topic-state.js'
export {
  type BrokerInfo,
  EmbeddedKafkaCluster,
  type EmbeddedKafkaClusterOptions,
  type PartitionInfo,
  type ReadRecordsOptions,
  type TopicInfo,
  type TopicSpec,
} from './embedded-kafka-cluster.js'
export type {
  DisconnectFault,
  ErrorFault,
  FaultMatch,
  FaultRule,
  HoldFault,
  LatencyFault,
  ThrottleFault,
} from './faults/fault-rule.js'
export { type FaultHandle, Faults } from './faults/faults.js'
export { type HeldResponse, HeldResponses } from './faults/held-responses.js'
export {
  RequestLog,
  type RequestLogEntry,
  type RequestLogFilter,
  type RequestOutcome,
} from './faults/request-log.js'
export { InMemoryTransport } from './network/in-memory-transport.js'
export { tcpTransport } from './network/tcp-transport.js'
export {
  checkDelivery,
  DeliveryChecker,
  type OracleReadRecord,
} from './oracle/delivery-checker.js'
export {
  DeliveryLedger,
  type FailedSend,
  type OracleRecord,
  type OracleSendOptions,
  type SendOutcome,
} from './oracle/delivery-ledger.js'
export {
  type DeliveryAnomaly,
  type DeliveryCounts,
  type DeliveryExample,
  type DeliveryPolicy,
  type DeliveryReport,
  deliveryViolations,
  formatDeliveryReport,
  type PartitionDelivery,
} from './oracle/delivery-report.js'
export {
  decodeOraclePayload,
  encodeOraclePayload,
  ORACLE_HEADER,
  type OraclePayload,
  oracleIdentity,
} from './oracle/oracle-payload.js'
export { type PersistedStatus, persistedStatusOf } from './oracle/persisted-status.js'
export { readEmbeddedTopic } from './oracle/read-embedded-topic.js'
export type { SaslMechanismName } from './sasl/sasl-server.js'
export {
  ANY_PRODUCER_FAULTS,
  type GenerateScenarioOptions,
  generateScenario,
  IDEMPOTENT_PRODUCER_FAULTS,
  type ScenarioFaultKind,
} from './scenarios/generate-scenario.js'
export {
  type AppliedStep,
  type RunScenarioOptions,
  runScenario,
  type ScenarioResult,
  type ScenarioWorkload,
} from './scenarios/run-scenario.js'
export type {
  ScenarioConnection,
  ScenarioProducer,
  ScenarioProducerFactory,
  ScenarioRecord,
  ScenarioRecordMetadata,
} from './scenarios/scenario-producer.js'
export {
  describeStep,
  type ScenarioAction,
  type ScenarioStep,
  type ScenarioTrigger,
} from './scenarios/scenario-step.js'
export { SeededRandom } from './scenarios/seeded-random.js'
export { TestkitError, type TestkitErrorCode } from './testkit-error.js'
export type { Transport, TransportConnectOptions, TransportSocket } from './transport.js'
export { KafkaWireClient, type KafkaWireClientOptions } from './wire-client/kafka-wire-client.js'
