import {
  type ApiInfo,
  addOffsetsToTxnApi,
  addPartitionsToTxnApi,
  endTxnApi,
  findCoordinatorApi,
  initProducerIdApi,
  txnOffsetCommitApi,
} from '@x/protocol'

/**
 * The transactional APIs at the versions a client with transactions v1 uses, whatever the broker offers:
 * AddPartitionsToTxn v4+ is the brokers' batched form (a client stays at v3, as Java's `forClient` builder
 * does), and EndTxn v5 / TxnOffsetCommit v5 / Produce v12 mean KIP-890 transactions v2 (partitions added by
 * the Produce request itself, epoch bumped at every EndTxn), which this manager does not speak. So 3.9 and
 * 4.x brokers both see the same v1 exchange.
 */
export const TXN_APIS = {
  findCoordinator: findCoordinatorApi,
  initProducerId: initProducerIdApi,
  addPartitionsToTxn: capped(addPartitionsToTxnApi, 3),
  addOffsetsToTxn: addOffsetsToTxnApi,
  endTxn: capped(endTxnApi, 4),
  txnOffsetCommit: capped(txnOffsetCommitApi, 4),
} as const

function capped(api: ApiInfo, maxVersion: number): ApiInfo {
  return Object.freeze({ ...api, maxVersion: Math.min(api.maxVersion, maxVersion) })
}
