/**
 * @x/kafka-harness: real Apache Kafka (KRaft, jars from Maven Central) for @x's integration tests and
 * benchmarks. Starts single nodes and 3-node clusters as separate JVMs, kills/pauses/restarts nodes, and
 * drives the reference clients (the Java consumer, kcat, ProducerPerformance). Test-only; never published.
 */

export * from './clients/consumed-record.js'
export * from './clients/java-consumer.js'
export * from './clients/java-tools.js'
export * from './clients/kcat.js'
export * from './clients/producer-performance.js'
export * from './cluster-id.js'
export * from './cluster-state.js'
export * from './kafka-cluster.js'
export * from './kafka-harness-error.js'
export * from './kafka-install.js'
export * from './kafka-line.js'
export * from './topics.js'
export * from './wire/api-versions-probe.js'
export * from './wire/kafka-exchange.js'
export * from './wire/list-offsets.js'
export * from './wire/metadata.js'
export * from './wire/protocol-request.js'
