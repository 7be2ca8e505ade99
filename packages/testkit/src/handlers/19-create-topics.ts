// CreateTopics (key 19), versions 2-7. Validation as Kafka's controller does it: name, existence
// (TOPIC_ALREADY_EXISTS), partitions (INVALID_PARTITIONS), replication factor against live brokers
// (INVALID_REPLICATION_FACTOR), configs (INVALID_CONFIG), a name twice in one request (INVALID_REQUEST).
// -1 partitions or replication factor take the cluster defaults; `validateOnly` creates nothing. From v5 the
// result echoes partitions, replication factor and the topic's configs; from v7 the topic id.
import { type CreateTopicsResponseCreatableTopicResultInput, ErrorCode, ZERO_UUID } from '@x/protocol'
import { BrokerError } from '../broker-error.js'
import type { ApiHandler } from './api-handler.js'

/** Java's `ConfigSource.TOPIC_CONFIG` (DYNAMIC_TOPIC_CONFIG). */
const TOPIC_CONFIG_SOURCE = 1

export const createTopicsHandler: ApiHandler<'CreateTopics'> = {
  name: 'CreateTopics',
  partitions: (request) => (visit) => request.topics.some((topic) => visit(topic.name, -1)),
  handle(ctx, request) {
    const counts = new Map<string, number>()
    for (const topic of request.topics) counts.set(topic.name, (counts.get(topic.name) ?? 0) + 1)
    const topics: CreateTopicsResponseCreatableTopicResultInput[] = request.topics.map((requested) => {
      const fail = (errorCode: number, errorMessage: string | null) => ({
        name: requested.name,
        topicId: ZERO_UUID,
        errorCode,
        errorMessage,
        numPartitions: -1,
        replicationFactor: -1,
        configs: null,
      })
      const injected = ctx.faults.errorFor(requested.name, -1)
      if (injected !== 0) return fail(injected, null)
      if (counts.get(requested.name)! > 1) {
        return fail(
          ErrorCode.INVALID_REQUEST,
          `Create topics request from client contains a duplicate topic name ${requested.name}`,
        )
      }
      const configs: Record<string, string> = {}
      for (const config of requested.configs) {
        if (config.value === null) {
          return fail(ErrorCode.INVALID_CONFIG, `Null value not supported for topic configs: ${config.name}`)
        }
        configs[config.name] = config.value
      }
      try {
        const topic = ctx.model.createTopic(
          {
            name: requested.name,
            partitions: requested.assignments.length > 0 ? undefined : requested.numPartitions,
            replicationFactor: requested.assignments.length > 0 ? undefined : requested.replicationFactor,
            assignments:
              requested.assignments.length > 0
                ? [...requested.assignments]
                    .sort((a, b) => a.partitionIndex - b.partitionIndex)
                    .map((assignment) => [...assignment.brokerIds])
                : undefined,
            configs,
          },
          request.validateOnly,
        )
        return {
          name: requested.name,
          topicId: topic.topicId,
          errorCode: 0,
          errorMessage: null,
          numPartitions: request.validateOnly
            ? requested.numPartitions === -1
              ? ctx.model.settings.numPartitions
              : requested.numPartitions
            : topic.partitions.length,
          replicationFactor: topic.replicationFactor,
          configs: [...topic.configEntries].map(([name, value]) => ({
            name,
            value,
            readOnly: false,
            configSource: TOPIC_CONFIG_SOURCE,
            isSensitive: false,
          })),
        }
      } catch (error) {
        if (!(error instanceof BrokerError)) throw error
        return fail(error.errorCode, error.detail)
      }
    })
    return { throttleTimeMs: 0, topics }
  },
}
