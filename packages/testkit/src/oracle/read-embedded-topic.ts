import type { EmbeddedKafkaCluster, ReadRecordsOptions } from '../embedded-kafka-cluster.js'
import type { OracleReadRecord } from './delivery-checker.js'

/**
 * Every record of `topic` in the embedded cluster's logs, partition by partition, as a reader for the
 * {@link DeliveryChecker} (the cluster's log is the ground truth, so one reader is enough here).
 */
export function* readEmbeddedTopic(
  cluster: EmbeddedKafkaCluster,
  topic: string,
  options: Pick<ReadRecordsOptions, 'isolation'> = {},
): Generator<OracleReadRecord> {
  const info = cluster.topic(topic)
  if (info === undefined) return
  for (const { partition } of info.partitions) {
    for (const record of cluster.records(topic, partition, { isolation: options.isolation })) {
      yield { topic, partition, offset: record.offset, value: record.value, headers: record.headers }
    }
  }
}
