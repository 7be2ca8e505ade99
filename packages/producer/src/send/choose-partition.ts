import { BuiltInPartitioner, type ClusterView, type Partitioner, UNKNOWN_PARTITION } from '@x/partitioners'
import { InvalidArgumentError } from '../errors/invalid-argument-error.js'
import type { ProducerRecord } from '../record/producer-record.js'

/**
 * Java `KafkaProducer.partition`: the record's own partition, else the custom partitioner's answer (checked
 * against the partition count), else murmur2 of the key over all partitions (unless `partitioner.ignore.keys`),
 * else `UNKNOWN_PARTITION`: the accumulator's sticky, adaptive built-in partitioner places it.
 *
 * @throws InvalidArgumentError when a custom partitioner returns something that is not a partition of the topic.
 */
export function choosePartition<K, V>(
  record: ProducerRecord<K, V>,
  keyBytes: Uint8Array | null,
  valueBytes: Uint8Array | null,
  cluster: ClusterView,
  partitioner: Partitioner<K, V> | undefined,
  ignoreKeys: boolean,
): number {
  if (record.partition !== undefined && record.partition !== null) return record.partition
  const { topic } = record
  if (partitioner !== undefined) {
    const partition = partitioner.partition(topic, record.key, keyBytes, record.value, valueBytes, cluster)
    const count = cluster.partitionCount(topic) ?? 0
    if (!Number.isInteger(partition) || partition < 0 || partition >= count) {
      throw new InvalidArgumentError({
        argument: 'partitioner',
        message: `The partitioner generated an invalid partition number: ${partition}. Topic ${topic} has ${count} partitions: a partitioner must return an integer from 0 to ${count - 1}.`,
      })
    }
    return partition
  }
  if (keyBytes !== null && !ignoreKeys)
    return BuiltInPartitioner.partitionForKey(keyBytes, cluster.partitionCount(topic)!)
  return UNKNOWN_PARTITION
}
