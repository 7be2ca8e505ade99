import { BrokerError } from '../broker-error.js'

/** The topic settings the embedded broker acts on (Kafka's `LogConfig`, the part a producer can observe). */
export interface TopicConfig {
  /** `max.message.bytes`: largest record batch accepted (MESSAGE_TOO_LARGE beyond). */
  readonly maxMessageBytes: number
  /** `min.insync.replicas`: acks=-1 fails with NOT_ENOUGH_REPLICAS when fewer replicas are up. */
  readonly minInsyncReplicas: number
  /** `segment.bytes`: a batch larger than a segment fails with RECORD_LIST_TOO_LARGE. */
  readonly segmentBytes: number
  /** `cleanup.policy` contains `compact`: records need keys. */
  readonly compacted: boolean
  /** `message.timestamp.type=LogAppendTime`: the broker stamps batches. */
  readonly logAppendTime: boolean
  readonly timestampBeforeMaxMs: number
  readonly timestampAfterMaxMs: number
  /** `retention.bytes`: a partition's size beyond which old segments go; -1 keeps everything. */
  readonly retentionBytes: number
}

/** Broker-level defaults of topic settings (Kafka's broker configs of the same meaning). */
export interface TopicConfigDefaults {
  /** Broker `message.max.bytes`, default 1048588. */
  readonly messageMaxBytes: number
  readonly minInsyncReplicas: number
  /** Broker `log.message.timestamp.after.max.ms`: 3600000 (one hour) since Kafka 4.0. */
  readonly timestampAfterMaxMs: number
  /** Broker `log.retention.bytes`: -1 (unlimited) in Kafka. */
  readonly retentionBytes: number
}

/** The topic config names Kafka 4 accepts (`LogConfig`); any other name fails CreateTopics with INVALID_CONFIG. */
const KNOWN_TOPIC_CONFIGS = new Set([
  'cleanup.policy',
  'compression.type',
  'compression.gzip.level',
  'compression.lz4.level',
  'compression.zstd.level',
  'delete.retention.ms',
  'file.delete.delay.ms',
  'flush.messages',
  'flush.ms',
  'follower.replication.throttled.replicas',
  'index.interval.bytes',
  'leader.replication.throttled.replicas',
  'local.retention.bytes',
  'local.retention.ms',
  'max.compaction.lag.ms',
  'max.message.bytes',
  'message.timestamp.after.max.ms',
  'message.timestamp.before.max.ms',
  'message.timestamp.type',
  'min.cleanable.dirty.ratio',
  'min.compaction.lag.ms',
  'min.insync.replicas',
  'preallocate',
  'remote.log.copy.disable',
  'remote.log.delete.on.disable',
  'remote.storage.enable',
  'retention.bytes',
  'retention.ms',
  'segment.bytes',
  'segment.index.bytes',
  'segment.jitter.ms',
  'segment.ms',
  'unclean.leader.election.enable',
])

function integer(name: string, value: string, min: number): number {
  const parsed = Number(value)
  if (!Number.isSafeInteger(parsed) && !(parsed === Number.MAX_VALUE)) {
    throw new BrokerError(
      'INVALID_CONFIG',
      `Invalid value ${value} for configuration ${name}: Not a number of type INT/LONG`,
    )
  }
  if (parsed < min) {
    throw new BrokerError(
      'INVALID_CONFIG',
      `Invalid value ${value} for configuration ${name}: Value must be at least ${min}`,
    )
  }
  return parsed
}

/**
 * Validates topic configs as Kafka's controller does (unknown names and bad values fail with
 * INVALID_CONFIG) and returns the settings the broker uses. Of retention only `retention.bytes` acts (on
 * whole in-memory segments); time-based retention and other disk settings are accepted and kept.
 */
export function parseTopicConfig(
  entries: ReadonlyMap<string, string>,
  defaults: TopicConfigDefaults,
): TopicConfig {
  for (const name of entries.keys()) {
    if (!KNOWN_TOPIC_CONFIGS.has(name)) {
      throw new BrokerError('INVALID_CONFIG', `Unknown topic config name: ${name}`)
    }
  }
  const get = (name: string) => entries.get(name)
  const policy = get('cleanup.policy') ?? 'delete'
  for (const part of policy.split(',')) {
    if (part.trim() !== 'delete' && part.trim() !== 'compact') {
      throw new BrokerError(
        'INVALID_CONFIG',
        `Invalid value ${policy} for configuration cleanup.policy: String must be one of: compact, delete`,
      )
    }
  }
  const timestampType = get('message.timestamp.type') ?? 'CreateTime'
  if (timestampType !== 'CreateTime' && timestampType !== 'LogAppendTime') {
    throw new BrokerError(
      'INVALID_CONFIG',
      `Invalid value ${timestampType} for configuration message.timestamp.type: String must be one of: CreateTime, LogAppendTime`,
    )
  }
  const maxMessage = get('max.message.bytes')
  const minIsr = get('min.insync.replicas')
  const segment = get('segment.bytes')
  const before = get('message.timestamp.before.max.ms')
  const after = get('message.timestamp.after.max.ms')
  const retention = get('retention.bytes')
  return {
    maxMessageBytes:
      maxMessage === undefined ? defaults.messageMaxBytes : integer('max.message.bytes', maxMessage, 0),
    minInsyncReplicas:
      minIsr === undefined ? defaults.minInsyncReplicas : integer('min.insync.replicas', minIsr, 1),
    segmentBytes: segment === undefined ? 1073741824 : integer('segment.bytes', segment, 14),
    compacted: policy.includes('compact'),
    logAppendTime: timestampType === 'LogAppendTime',
    timestampBeforeMaxMs:
      before === undefined ? Number.MAX_SAFE_INTEGER : integer('message.timestamp.before.max.ms', before, 0),
    timestampAfterMaxMs:
      after === undefined
        ? defaults.timestampAfterMaxMs
        : integer('message.timestamp.after.max.ms', after, 0),
    retentionBytes:
      retention === undefined ? defaults.retentionBytes : integer('retention.bytes', retention, -1),
  }
}
