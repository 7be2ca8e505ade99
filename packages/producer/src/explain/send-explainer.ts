import type { AppendPreview, RecordAccumulator } from '@x/accumulator'
import { BuiltInPartitioner, type ClusterView, UNKNOWN_PARTITION } from '@x/partitioners'
import { estimateSizeInBytesUpperBound } from '@x/protocol'
import { InvalidArgumentError } from '../errors/invalid-argument-error.js'
import type { ProducerConfig } from '../options/producer-config.js'
import type { ProducerRecord } from '../record/producer-record.js'
import { normalizeHeaders } from '../send/normalize-headers.js'
import { serializeValue } from '../send/serialize-value.js'
import { RecordValidator } from '../send/validate-record.js'
import type { PartitionReason, SendBlocker, SendExplanation } from './send-explanation.js'

/** What the explainer reads; nothing it is given is changed. */
export interface SendExplainerOptions<K, V> {
  config: ProducerConfig<K, V>
  accumulator: RecordAccumulator
  /** The current cluster snapshot (no refresh is requested, the topic is not marked in use). */
  cluster(): ClusterView
  /** Whether earlier sends to `topic` still wait for its metadata (a new send would queue behind them). */
  waitsForMetadata(topic: string): boolean
  clock?: () => number
}

/**
 * `KafkaProducer.explain`: runs `send`'s decisions — validation, serializers, metadata, partition, size
 * check, batch — on their side-effect-free paths (`Partitioner.peek`, `BuiltInPartitioner.peek*`,
 * `RecordAccumulator.previewAppend`) and reports them. No state changes: no sticky choice, no partitioner
 * counter, no metric, no metadata request. Interceptors are not called (their `onSend` may count or mutate);
 * serializers are, since the encoded size and the key hash need their bytes.
 */
export class SendExplainer<K, V> {
  private readonly validator = new RecordValidator()
  private readonly clock: () => number

  constructor(private readonly options: SendExplainerOptions<K, V>) {
    this.clock = options.clock ?? Date.now
  }

  /** @throws as `send` would: InvalidArgumentError / InvalidTopicError / SerializationError. */
  explain(record: ProducerRecord<K, V>): SendExplanation {
    const { config, accumulator } = this.options
    this.validator.validate(record)
    const { topic } = record
    const headers = normalizeHeaders(record.headers)
    const keyBytes = serializeValue('key', config.keySerializer, topic, record.key, headers)
    const valueBytes = serializeValue('value', config.valueSerializer, topic, record.value, headers)
    const timestamp = record.timestamp ?? this.clock()
    const estimatedSizeInBytes = estimateSizeInBytesUpperBound(keyBytes, valueBytes, headers)
    const tooLarge =
      estimatedSizeInBytes > config.maxRequestSize
        ? 'maxRequestSize'
        : estimatedSizeInBytes > config.bufferMemory
          ? 'bufferMemory'
          : undefined
    const requested = record.partition ?? UNKNOWN_PARTITION
    const reason: PartitionReason =
      requested !== UNKNOWN_PARTITION
        ? 'explicit'
        : config.partitioner !== undefined
          ? 'partitioner'
          : keyBytes !== null && !config.partitionerIgnoreKeys
            ? 'key-hash'
            : 'sticky'
    const cluster = this.options.cluster()
    const count = cluster.partitionCount(topic)
    const blockedBy: SendBlocker[] = []
    if (count === undefined || requested >= count || this.options.waitsForMetadata(topic)) {
      blockedBy.push('metadata')
      return {
        topic,
        partition: reason === 'explicit' ? requested : undefined,
        reason,
        stickySwitch: false,
        leader: undefined,
        batch: undefined,
        estimatedSizeInBytes,
        newBatchBytes: 0,
        blockedBy,
        tooLarge,
      }
    }
    let partition: number | undefined
    if (reason === 'explicit') partition = requested
    else if (reason === 'key-hash') partition = BuiltInPartitioner.partitionForKey(keyBytes!, count)
    else if (reason === 'partitioner') {
      const partitioner = config.partitioner!
      if (partitioner.peek !== undefined) {
        partition = partitioner.peek(topic, record.key, keyBytes, record.value, valueBytes, cluster)
        if (!Number.isInteger(partition) || partition < 0 || partition >= count) {
          throw new InvalidArgumentError({
            argument: 'partitioner',
            message: `The partitioner's peek generated an invalid partition number: ${partition}. Topic ${topic} has ${count} partitions: peek must return what partition would, an integer from 0 to ${count - 1}.`,
          })
        }
      }
    } else partition = UNKNOWN_PARTITION
    let preview: AppendPreview | undefined
    if (partition !== undefined && tooLarge === undefined) {
      preview = accumulator.previewAppend(topic, partition, timestamp, keyBytes, valueBytes, headers, cluster)
      partition = preview.partition
      if (preview.waitsForMemory) blockedBy.push('memory')
    }
    if (partition === UNKNOWN_PARTITION) partition = undefined
    return {
      topic,
      partition,
      reason,
      stickySwitch: preview?.stickySwitch ?? false,
      leader: partition === undefined || partition < 0 ? undefined : cluster.leaderFor(topic, partition),
      batch: preview === undefined ? undefined : preview.joinsOpenBatch ? 'join' : 'new',
      estimatedSizeInBytes,
      newBatchBytes: preview?.newBatchBytes ?? 0,
      blockedBy,
      tooLarge,
    }
  }
}
