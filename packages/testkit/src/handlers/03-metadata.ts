// Metadata (key 3), versions 0-12. Live brokers, the controller, and per topic its id, partitions,
// leaders, leader epochs, replicas, ISR (live replicas) and offline replicas. An unknown topic is created
// when both the broker (`autoCreateTopics`) and the request (`allowAutoTopicCreation`, always on before v4)
// allow it, answered UNKNOWN_TOPIC_OR_PARTITION that time as a KRaft broker does while the controller
// creates it; otherwise it is
// UNKNOWN_TOPIC_OR_PARTITION (UNKNOWN_TOPIC_ID for a v10+ lookup by id, INVALID_TOPIC_EXCEPTION for an
// illegal name). Without an authorizer every operation is allowed, so requested authorized-operation
// fields carry the full sets.
import {
  ErrorCode,
  type MetadataResponseBrokerInput,
  type MetadataResponsePartitionInput,
  type MetadataResponseTopicInput,
  ZERO_UUID,
} from '@x/protocol'
import { errorCodeOf } from '../broker-error.js'
import type { ClusterModel } from '../cluster/cluster-model.js'
import { isValidTopicName } from '../cluster/topic-name.js'
import type { TopicState } from '../cluster/topic-state.js'
import type { ApiHandler } from './api-handler.js'

/** READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS (Java `AclOperation` codes). */
const TOPIC_OPERATIONS = [3, 4, 5, 6, 7, 8, 10, 11].reduce((bits, op) => bits | (1 << op), 0)
/** CREATE, ALTER, DESCRIBE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE. */
const CLUSTER_OPERATIONS = [5, 7, 8, 9, 10, 11, 12].reduce((bits, op) => bits | (1 << op), 0)
const NOT_REQUESTED = -2147483648

function topicMetadata(
  model: ClusterModel,
  topic: TopicState,
  operations: number,
): MetadataResponseTopicInput {
  const partitions: MetadataResponsePartitionInput[] = topic.partitions.map((partition) => {
    const leader = model.brokers.get(partition.leaderId)
    const available = leader?.isUp === true
    const isr = model.isr(partition)
    return {
      errorCode: available ? 0 : ErrorCode.LEADER_NOT_AVAILABLE,
      partitionIndex: partition.index,
      leaderId: available ? partition.leaderId : -1,
      leaderEpoch: partition.leaderEpoch,
      replicaNodes: partition.replicas,
      isrNodes: isr,
      offlineReplicas: partition.replicas.filter((id) => !isr.includes(id)),
    }
  })
  return {
    errorCode: 0,
    name: topic.name,
    topicId: topic.topicId,
    isInternal: false,
    partitions,
    topicAuthorizedOperations: operations,
  }
}

function errorTopic(
  name: string | null,
  topicId: string,
  errorCode: number,
  operations: number,
): MetadataResponseTopicInput {
  return {
    errorCode,
    name,
    topicId,
    isInternal: false,
    partitions: [],
    topicAuthorizedOperations: operations,
  }
}

export const metadataHandler: ApiHandler<'Metadata'> = {
  name: 'Metadata',
  partitions: (request) => (visit) =>
    (request.topics ?? []).some((topic) => topic.name !== null && visit(topic.name, -1)),
  handle(ctx, request) {
    const { model, apiVersion } = ctx
    const operations = request.includeTopicAuthorizedOperations ? TOPIC_OPERATIONS : NOT_REQUESTED
    const allowAutoCreate =
      model.settings.autoCreateTopics && (apiVersion < 4 || request.allowAutoTopicCreation)
    const topics: MetadataResponseTopicInput[] = []
    const all = request.topics === null || (apiVersion === 0 && request.topics.length === 0)
    if (all) {
      for (const topic of model.topics.values()) topics.push(topicMetadata(model, topic, operations))
    } else {
      for (const requested of request.topics!) {
        const name = requested.name
        if (name === null) {
          const topic = model.topicsById.get(requested.topicId)
          topics.push(
            topic === undefined || requested.topicId === ZERO_UUID
              ? // the response name is nullable only from v12
                errorTopic(
                  apiVersion >= 12 ? null : '',
                  requested.topicId,
                  ErrorCode.UNKNOWN_TOPIC_ID,
                  operations,
                )
              : topicMetadata(model, topic, operations),
          )
          continue
        }
        const injected = ctx.faults.errorFor(name, -1)
        if (injected !== 0) {
          topics.push(errorTopic(name, ZERO_UUID, injected, operations))
          continue
        }
        const topic = model.topics.get(name)
        if (topic !== undefined) {
          topics.push(topicMetadata(model, topic, operations))
        } else if (!isValidTopicName(name)) {
          topics.push(errorTopic(name, ZERO_UUID, ErrorCode.INVALID_TOPIC_EXCEPTION, operations))
        } else if (allowAutoCreate) {
          // A KRaft broker asks the controller to create it and answers UNKNOWN_TOPIC_OR_PARTITION meanwhile
          let errorCode: number = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
          try {
            model.createTopic({ name })
          } catch (error) {
            errorCode = errorCodeOf(error)
          }
          topics.push(errorTopic(name, ZERO_UUID, errorCode, operations))
        } else {
          topics.push(errorTopic(name, ZERO_UUID, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, operations))
        }
      }
    }
    const brokers: MetadataResponseBrokerInput[] = model
      .liveBrokers()
      .map((broker) => ({ nodeId: broker.id, host: broker.host, port: broker.port, rack: broker.rack }))
    return {
      throttleTimeMs: 0,
      brokers,
      clusterId: model.settings.clusterId,
      controllerId: model.controllerId(),
      topics,
      clusterAuthorizedOperations:
        apiVersion >= 8 && apiVersion <= 10 && request.includeClusterAuthorizedOperations
          ? CLUSTER_OPERATIONS
          : NOT_REQUESTED,
    }
  },
}
