/**
 * Every error code a Kafka broker can return, one line per code: name, code, whether Java's client treats
 * it as retriable (its exception extends `RetriableException`) and a default message. The facts (codes,
 * names, retriability) come from Apache Kafka's `org.apache.kafka.common.protocol.Errors` enum and the
 * exception classes it names (the codes up to 128 as of the protocol spec snapshot 1eb7644, 129–133 from
 * later Kafka). The messages are our own wording: what went wrong and, where it helps, what to do.
 *
 * Code 99 was never assigned. Keep one line per code: reviewers diff this file against `Errors.java`.
 */

/** One row of the Kafka error table. */
export interface ErrorCodeInfo {
  readonly code: number
  readonly name: string
  readonly retriable: boolean
  /** The default message, or `''` for `NONE`. */
  readonly message: string
}

// biome-ignore format: one line per code, as in Java's Errors enum
export const errorCodes = [
  { code: -1, name: 'UNKNOWN_SERVER_ERROR', retriable: false, message: 'The broker hit an unexpected error while handling the request; its logs may say more.' },
  { code: 0, name: 'NONE', retriable: false, message: '' },
  { code: 1, name: 'OFFSET_OUT_OF_RANGE', retriable: false, message: 'The offset asked for lies outside the range of offsets the broker keeps for this partition.' },
  { code: 2, name: 'CORRUPT_MESSAGE', retriable: true, message: 'The broker found the record batch corrupt: a bad CRC, an invalid size, a null key on a compacted topic, or similar.' },
  { code: 3, name: 'UNKNOWN_TOPIC_OR_PARTITION', retriable: true, message: 'The topic-partition is unknown to this broker; it may not exist yet, or the metadata may be stale.' },
  { code: 4, name: 'INVALID_FETCH_SIZE', retriable: false, message: 'The fetch asked for an invalid number of bytes.' },
  { code: 5, name: 'LEADER_NOT_AVAILABLE', retriable: true, message: 'The topic-partition has no leader right now, usually because a leader election is under way; retry shortly.' },
  { code: 6, name: 'NOT_LEADER_OR_FOLLOWER', retriable: true, message: 'This broker is not the leader the request needs, or holds no replica of the topic-partition at all; refresh metadata and retry.' },
  { code: 7, name: 'REQUEST_TIMED_OUT', retriable: true, message: 'The broker did not complete the request in time.' },
  { code: 8, name: 'BROKER_NOT_AVAILABLE', retriable: false, message: 'The broker is down or otherwise unavailable.' },
  { code: 9, name: 'REPLICA_NOT_AVAILABLE', retriable: true, message: 'The replica for this topic-partition is unavailable. Leader- or follower-only requests such as Produce and Fetch report a broker that holds no replica as NOT_LEADER_OR_FOLLOWER instead.' },
  { code: 10, name: 'MESSAGE_TOO_LARGE', retriable: false, message: 'A record batch exceeds the largest size the broker accepts (max.message.bytes); send smaller records or raise the limit.' },
  { code: 11, name: 'STALE_CONTROLLER_EPOCH', retriable: false, message: 'The request carries an old controller epoch; another broker is now the controller.' },
  { code: 12, name: 'OFFSET_METADATA_TOO_LARGE', retriable: false, message: 'The metadata string attached to an offset commit is too long.' },
  { code: 13, name: 'NETWORK_EXCEPTION', retriable: true, message: 'The connection closed before the broker responded.' },
  { code: 14, name: 'COORDINATOR_LOAD_IN_PROGRESS', retriable: true, message: 'The coordinator is still loading its state and cannot serve requests yet; retry shortly.' },
  { code: 15, name: 'COORDINATOR_NOT_AVAILABLE', retriable: true, message: 'No coordinator is currently available for this group or transaction.' },
  { code: 16, name: 'NOT_COORDINATOR', retriable: true, message: 'This broker is not the coordinator for the group or transactional id; look up the coordinator again.' },
  { code: 17, name: 'INVALID_TOPIC_EXCEPTION', retriable: false, message: 'The request targets an invalid topic, such as one with an illegal name.' },
  { code: 18, name: 'RECORD_LIST_TOO_LARGE', retriable: false, message: 'A record batch in the request is larger than the broker\'s configured log segment size.' },
  { code: 19, name: 'NOT_ENOUGH_REPLICAS', retriable: true, message: 'The write was refused because fewer replicas are in sync than min.insync.replicas requires.' },
  { code: 20, name: 'NOT_ENOUGH_REPLICAS_AFTER_APPEND', retriable: true, message: 'The records reached the leader\'s log, but the in-sync replica count fell below the required minimum before they were acknowledged.' },
  { code: 21, name: 'INVALID_REQUIRED_ACKS', retriable: false, message: 'The produce request has an acks value the broker does not accept; use -1 (all), 0 or 1.' },
  { code: 22, name: 'ILLEGAL_GENERATION', retriable: false, message: 'The group generation id in the request is not the current one.' },
  { code: 23, name: 'INCONSISTENT_GROUP_PROTOCOL', retriable: false, message: 'The member\'s protocols share none with the rest of the group, or the first member joined with an empty protocol type or list.' },
  { code: 24, name: 'INVALID_GROUP_ID', retriable: false, message: 'The group id is empty or otherwise not valid.' },
  { code: 25, name: 'UNKNOWN_MEMBER_ID', retriable: false, message: 'The coordinator does not know this member id; the member must rejoin the group.' },
  { code: 26, name: 'INVALID_SESSION_TIMEOUT', retriable: false, message: 'The session timeout falls outside the broker\'s allowed range (group.min.session.timeout.ms to group.max.session.timeout.ms).' },
  { code: 27, name: 'REBALANCE_IN_PROGRESS', retriable: false, message: 'The group is rebalancing; the member must rejoin.' },
  { code: 28, name: 'INVALID_COMMIT_OFFSET_SIZE', retriable: false, message: 'The offset commit carries data of an invalid size.' },
  { code: 29, name: 'TOPIC_AUTHORIZATION_FAILED', retriable: false, message: 'The principal lacks permission for this operation on the topic; check its ACLs.' },
  { code: 30, name: 'GROUP_AUTHORIZATION_FAILED', retriable: false, message: 'The principal lacks permission for this operation on the group; check its ACLs.' },
  { code: 31, name: 'CLUSTER_AUTHORIZATION_FAILED', retriable: false, message: 'The principal lacks a cluster-level permission this request needs; check its ACLs.' },
  { code: 32, name: 'INVALID_TIMESTAMP', retriable: false, message: 'A record\'s timestamp lies outside the range the broker accepts for the topic.' },
  { code: 33, name: 'UNSUPPORTED_SASL_MECHANISM', retriable: false, message: 'The requested SASL mechanism is not enabled on this broker.' },
  { code: 34, name: 'ILLEGAL_SASL_STATE', retriable: false, message: 'The request is out of order for the current stage of SASL authentication.' },
  { code: 35, name: 'UNSUPPORTED_VERSION', retriable: false, message: 'The broker cannot handle this API version; negotiate a version with ApiVersions.' },
  { code: 36, name: 'TOPIC_ALREADY_EXISTS', retriable: false, message: 'A topic of that name exists already.' },
  { code: 37, name: 'INVALID_PARTITIONS', retriable: false, message: 'The partition count must be at least 1.' },
  { code: 38, name: 'INVALID_REPLICATION_FACTOR', retriable: false, message: 'The replication factor must be at least 1 and at most the number of available brokers.' },
  { code: 39, name: 'INVALID_REPLICA_ASSIGNMENT', retriable: false, message: 'The requested replica assignment is not valid.' },
  { code: 40, name: 'INVALID_CONFIG', retriable: false, message: 'A configuration value in the request is not valid.' },
  { code: 41, name: 'NOT_CONTROLLER', retriable: true, message: 'This broker is not the cluster\'s active controller; find the controller and resend.' },
  { code: 42, name: 'INVALID_REQUEST', retriable: false, message: 'The broker could not make sense of the request, usually because the client built it wrongly or the broker is incompatible; the broker log has details.' },
  { code: 43, name: 'UNSUPPORTED_FOR_MESSAGE_FORMAT', retriable: false, message: 'The request needs a newer message format than the broker uses for this topic.' },
  { code: 44, name: 'POLICY_VIOLATION', retriable: false, message: 'The request breaks a policy configured on the broker.' },
  { code: 45, name: 'OUT_OF_ORDER_SEQUENCE_NUMBER', retriable: false, message: 'The broker got a producer sequence number that does not follow the last one it accepted.' },
  { code: 46, name: 'DUPLICATE_SEQUENCE_NUMBER', retriable: false, message: 'The broker already has a batch with this producer sequence number.' },
  { code: 47, name: 'INVALID_PRODUCER_EPOCH', retriable: false, message: 'The request carries a producer epoch older than the broker\'s current one for this producer id.' },
  { code: 48, name: 'INVALID_TXN_STATE', retriable: false, message: 'The producer tried a transactional operation that its transaction\'s current state does not allow.' },
  { code: 49, name: 'INVALID_PRODUCER_ID_MAPPING', retriable: false, message: 'The producer id is not the one currently assigned to this transactional id.' },
  { code: 50, name: 'INVALID_TRANSACTION_TIMEOUT', retriable: false, message: 'The transaction timeout exceeds the broker\'s maximum (transaction.max.timeout.ms); lower transaction.timeout.ms.' },
  { code: 51, name: 'CONCURRENT_TRANSACTIONS', retriable: true, message: 'Another operation on the same transaction is still in progress; retry once it completes.' },
  { code: 52, name: 'TRANSACTION_COORDINATOR_FENCED', retriable: false, message: 'The transaction coordinator that sent this WriteTxnMarkers request has been replaced for this producer.' },
  { code: 53, name: 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED', retriable: false, message: 'The principal lacks permission to use this transactional id; check its ACLs.' },
  { code: 54, name: 'SECURITY_DISABLED', retriable: false, message: 'The broker has security features turned off, so this request cannot be served.' },
  { code: 55, name: 'OPERATION_NOT_ATTEMPTED', retriable: false, message: 'The broker skipped this operation, typically because another operation in the same batched request failed first.' },
  { code: 56, name: 'KAFKA_STORAGE_ERROR', retriable: true, message: 'The broker hit a disk error reading or writing the log; retry, possibly against a new leader.' },
  { code: 57, name: 'LOG_DIR_NOT_FOUND', retriable: false, message: 'The log directory given is not one of the broker\'s configured log directories.' },
  { code: 58, name: 'SASL_AUTHENTICATION_FAILED', retriable: false, message: 'SASL authentication was rejected; check the credentials and mechanism.' },
  { code: 59, name: 'UNKNOWN_PRODUCER_ID', retriable: false, message: 'The broker holds no state for this producer id, typically because retention deleted all of the producer\'s records.' },
  { code: 60, name: 'REASSIGNMENT_IN_PROGRESS', retriable: false, message: 'The operation cannot proceed while the partition\'s replicas are being reassigned.' },
  { code: 61, name: 'DELEGATION_TOKEN_AUTH_DISABLED', retriable: false, message: 'Delegation tokens are not enabled on this cluster.' },
  { code: 62, name: 'DELEGATION_TOKEN_NOT_FOUND', retriable: false, message: 'The broker has no record of this delegation token.' },
  { code: 63, name: 'DELEGATION_TOKEN_OWNER_MISMATCH', retriable: false, message: 'The principal is neither the owner nor a renewer of the delegation token.' },
  { code: 64, name: 'DELEGATION_TOKEN_REQUEST_NOT_ALLOWED', retriable: false, message: 'Delegation token requests are refused on PLAINTEXT or one-way SSL connections and on connections that authenticated with a delegation token.' },
  { code: 65, name: 'DELEGATION_TOKEN_AUTHORIZATION_FAILED', retriable: false, message: 'The principal lacks permission for this delegation token operation.' },
  { code: 66, name: 'DELEGATION_TOKEN_EXPIRED', retriable: false, message: 'The delegation token has passed its expiry time.' },
  { code: 67, name: 'INVALID_PRINCIPAL_TYPE', retriable: false, message: 'The principal type given is not one the broker supports.' },
  { code: 68, name: 'NON_EMPTY_GROUP', retriable: false, message: 'The group still has members, so the operation is not allowed.' },
  { code: 69, name: 'GROUP_ID_NOT_FOUND', retriable: false, message: 'No group with this id exists.' },
  { code: 70, name: 'FETCH_SESSION_ID_NOT_FOUND', retriable: true, message: 'The broker has no fetch session with this id.' },
  { code: 71, name: 'INVALID_FETCH_SESSION_EPOCH', retriable: true, message: 'The fetch session epoch does not match the one the broker expects.' },
  { code: 72, name: 'LISTENER_NOT_FOUND', retriable: true, message: 'The leader broker has no listener matching the one this metadata request arrived on.' },
  { code: 73, name: 'TOPIC_DELETION_DISABLED', retriable: false, message: 'The cluster does not allow deleting topics (delete.topic.enable is false).' },
  { code: 74, name: 'FENCED_LEADER_EPOCH', retriable: true, message: 'The request\'s leader epoch is behind the broker\'s; refresh metadata and retry.' },
  { code: 75, name: 'UNKNOWN_LEADER_EPOCH', retriable: true, message: 'The request\'s leader epoch is ahead of the broker\'s, which has not caught up yet; retry.' },
  { code: 76, name: 'UNSUPPORTED_COMPRESSION_TYPE', retriable: false, message: 'The compression type is not usable at this request version, for example zstd with an old Produce or Fetch version.' },
  { code: 77, name: 'STALE_BROKER_EPOCH', retriable: false, message: 'The request carries a broker epoch that is no longer current.' },
  { code: 78, name: 'OFFSET_NOT_AVAILABLE', retriable: true, message: 'The new leader\'s high watermark has not caught up since a recent election, so it cannot yet promise monotonic offsets; retry.' },
  { code: 79, name: 'MEMBER_ID_REQUIRED', retriable: false, message: 'The member must obtain a member id before it can join the consumer group; rejoin with the one returned.' },
  { code: 80, name: 'PREFERRED_LEADER_NOT_AVAILABLE', retriable: true, message: 'The preferred replica could not be made leader.' },
  { code: 81, name: 'GROUP_MAX_SIZE_REACHED', retriable: false, message: 'The consumer group is full (group.max.size).' },
  { code: 82, name: 'FENCED_INSTANCE_ID', retriable: false, message: 'Another consumer registered with the same group.instance.id under a different member.id, so this static member was rejected.' },
  { code: 83, name: 'ELIGIBLE_LEADERS_NOT_AVAILABLE', retriable: true, message: 'No eligible replica is available to lead the topic-partition.' },
  { code: 84, name: 'ELECTION_NOT_NEEDED', retriable: true, message: 'The topic-partition already has the leader the election would choose.' },
  { code: 85, name: 'NO_REASSIGNMENT_IN_PROGRESS', retriable: false, message: 'There is no partition reassignment under way to act on.' },
  { code: 86, name: 'GROUP_SUBSCRIBED_TO_TOPIC', retriable: false, message: 'A topic\'s committed offsets cannot be deleted while the consumer group is subscribed to it.' },
  { code: 87, name: 'INVALID_RECORD', retriable: false, message: 'The broker\'s validation rejected a record in the batch; the response may name the record and the reason.' },
  { code: 88, name: 'UNSTABLE_OFFSET_COMMIT', retriable: true, message: 'Pending transactional offset commits must complete before these offsets can be read; retry.' },
  { code: 89, name: 'THROTTLING_QUOTA_EXCEEDED', retriable: true, message: 'The request exceeded the principal\'s throttling quota; retry after the throttle time.' },
  { code: 90, name: 'PRODUCER_FENCED', retriable: false, message: 'A newer producer with the same transactionalId has started and fenced this one off; close it.' },
  { code: 91, name: 'RESOURCE_NOT_FOUND', retriable: false, message: 'The request names a resource that does not exist.' },
  { code: 92, name: 'DUPLICATE_RESOURCE', retriable: false, message: 'The request names the same resource more than once.' },
  { code: 93, name: 'UNACCEPTABLE_CREDENTIAL', retriable: false, message: 'The requested credential fails the broker\'s acceptance rules.' },
  { code: 94, name: 'INCONSISTENT_VOTER_SET', retriable: false, message: 'The sender or receiver of a voter-only request is not among the expected voters.' },
  { code: 95, name: 'INVALID_UPDATE_VERSION', retriable: false, message: 'The version attached to the update is not valid.' },
  { code: 96, name: 'FEATURE_UPDATE_FAILED', retriable: false, message: 'An unexpected server error prevented updating the finalized features.' },
  { code: 97, name: 'PRINCIPAL_DESERIALIZATION_FAILURE', retriable: false, message: 'The broker could not deserialize the principal of a forwarded request, which points to a security misconfiguration inside the cluster.' },
  { code: 98, name: 'SNAPSHOT_NOT_FOUND', retriable: false, message: 'No snapshot matches the one requested.' },
  { code: 100, name: 'UNKNOWN_TOPIC_ID', retriable: true, message: 'This broker does not know the topic id; refresh metadata and retry.' },
  { code: 101, name: 'DUPLICATE_BROKER_REGISTRATION', retriable: false, message: 'Another broker has already registered with this broker id.' },
  { code: 102, name: 'BROKER_ID_NOT_REGISTERED', retriable: false, message: 'No broker has registered with this broker id.' },
  { code: 103, name: 'INCONSISTENT_TOPIC_ID', retriable: true, message: 'The topic id in the request differs from the one stored with the log.' },
  { code: 104, name: 'INCONSISTENT_CLUSTER_ID', retriable: false, message: 'The request\'s cluster id differs from the broker\'s.' },
  { code: 105, name: 'TRANSACTIONAL_ID_NOT_FOUND', retriable: false, message: 'No transaction state exists for this transactionalId.' },
  { code: 106, name: 'FETCH_SESSION_TOPIC_ID_ERROR', retriable: true, message: 'Requests in this fetch session did not use topic ids consistently.' },
  { code: 107, name: 'INELIGIBLE_REPLICA', retriable: false, message: 'The proposed ISR includes a replica that is not eligible to be in it.' },
  { code: 108, name: 'NEW_LEADER_ELECTED', retriable: false, message: 'The AlterPartition request was applied, but a different leader has since been elected.' },
  { code: 109, name: 'OFFSET_MOVED_TO_TIERED_STORAGE', retriable: false, message: 'The offset requested is no longer on local disk; it now lives in tiered storage.' },
  { code: 110, name: 'FENCED_MEMBER_EPOCH', retriable: false, message: 'The group coordinator has fenced this member epoch; the member must give up all its partitions and rejoin.' },
  { code: 111, name: 'UNRELEASED_INSTANCE_ID', retriable: false, message: 'Another member of the consumer group still holds this instance id and must leave before it can be reused.' },
  { code: 112, name: 'UNSUPPORTED_ASSIGNOR', retriable: false, message: 'The consumer group does not support this assignor or its version range.' },
  { code: 113, name: 'STALE_MEMBER_EPOCH', retriable: false, message: 'The member epoch is out of date; retry once a ConsumerGroupHeartbeat has delivered the current one.' },
  { code: 114, name: 'MISMATCHED_ENDPOINT_TYPE', retriable: false, message: 'The request reached an endpoint of the wrong kind (broker versus controller).' },
  { code: 115, name: 'UNSUPPORTED_ENDPOINT_TYPE', retriable: false, message: 'This kind of endpoint is not supported yet.' },
  { code: 116, name: 'UNKNOWN_CONTROLLER_ID', retriable: false, message: 'No controller with this id is known.' },
  { code: 117, name: 'UNKNOWN_SUBSCRIPTION_ID', retriable: false, message: 'The telemetry push used a subscription id that is unknown or outdated; fetch a new subscription.' },
  { code: 118, name: 'TELEMETRY_TOO_LARGE', retriable: false, message: 'The telemetry push exceeds the largest size the broker accepts.' },
  { code: 119, name: 'INVALID_REGISTRATION', retriable: false, message: 'The controller judged the broker\'s registration invalid.' },
  { code: 120, name: 'TRANSACTION_ABORTABLE', retriable: false, message: 'The transaction failed on the server; abort it to keep using this transactional id.' },
  { code: 121, name: 'INVALID_RECORD_STATE', retriable: false, message: 'The record is in a state that does not allow this acknowledgement, so delivery could not be acknowledged.' },
  { code: 122, name: 'SHARE_SESSION_NOT_FOUND', retriable: true, message: 'The broker has no share session with this id.' },
  { code: 123, name: 'INVALID_SHARE_SESSION_EPOCH', retriable: true, message: 'The share session epoch does not match the one the broker expects.' },
  { code: 124, name: 'FENCED_STATE_EPOCH', retriable: false, message: 'The share-group state epoch in the request does not match the share coordinator\'s, so the request was rejected.' },
  { code: 125, name: 'INVALID_VOTER_KEY', retriable: false, message: 'The voter key differs from the key of the replica that received it.' },
  { code: 126, name: 'DUPLICATE_VOTER', retriable: false, message: 'This voter already belongs to the voter set.' },
  { code: 127, name: 'VOTER_NOT_FOUND', retriable: false, message: 'This voter does not belong to the voter set.' },
  { code: 128, name: 'INVALID_REGULAR_EXPRESSION', retriable: false, message: 'The regular expression is malformed.' },
  { code: 129, name: 'REBOOTSTRAP_REQUIRED', retriable: false, message: 'The broker asks the client to rebootstrap, because its cached metadata can no longer be trusted.' },
  { code: 130, name: 'STREAMS_INVALID_TOPOLOGY', retriable: false, message: 'The Streams topology supplied is not valid.' },
  { code: 131, name: 'STREAMS_INVALID_TOPOLOGY_EPOCH', retriable: false, message: 'The Streams topology epoch supplied is not valid.' },
  { code: 132, name: 'STREAMS_TOPOLOGY_FENCED', retriable: false, message: 'The Streams topology epoch supplied has been superseded by a newer one.' },
  { code: 133, name: 'SHARE_SESSION_LIMIT_REACHED', retriable: true, message: 'The broker already holds as many share sessions as it allows; retry later.' },
] as const satisfies readonly ErrorCodeInfo[]

/** The name of a Kafka error code, e.g. `'NOT_LEADER_OR_FOLLOWER'`. */
export type ErrorName = (typeof errorCodes)[number]['name']

/** Error codes by name: `ErrorCode.NOT_LEADER_OR_FOLLOWER === 6`. */
export const ErrorCode = Object.freeze(
  Object.fromEntries(errorCodes.map((info) => [info.name, info.code])),
) as {
  readonly [Name in ErrorName]: Extract<(typeof errorCodes)[number], { name: Name }>['code']
}

const byCode = new Map<number, ErrorCodeInfo>(errorCodes.map((info) => [info.code, info]))

/** The table row for `code`, or `undefined` for a code this table does not know. */
export function errorCodeInfo(code: number): ErrorCodeInfo | undefined {
  return byCode.get(code)
}
