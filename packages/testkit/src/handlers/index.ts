import type { ApiName } from '../api-codecs.js'
import { produceHandler } from './00-produce.js'
import { fetchHandler } from './01-fetch.js'
import { listOffsetsHandler } from './02-list-offsets.js'
import { metadataHandler } from './03-metadata.js'
import { findCoordinatorHandler } from './10-find-coordinator.js'
import { saslHandshakeHandler } from './17-sasl-handshake.js'
import { apiVersionsHandler } from './18-api-versions.js'
import { createTopicsHandler } from './19-create-topics.js'
import { initProducerIdHandler } from './22-init-producer-id.js'
import { addPartitionsToTxnHandler } from './24-add-partitions-to-txn.js'
import { addOffsetsToTxnHandler } from './25-add-offsets-to-txn.js'
import { endTxnHandler } from './26-end-txn.js'
import { txnOffsetCommitHandler } from './28-txn-offset-commit.js'
import { saslAuthenticateHandler } from './36-sasl-authenticate.js'
import type { ApiHandler } from './api-handler.js'

export { supportedApiKeys } from './supported-api-keys.js'

/** The handler of each served API. */
export const apiHandlers: { readonly [Name in ApiName]: ApiHandler<Name> } = {
  Produce: produceHandler,
  Fetch: fetchHandler,
  ListOffsets: listOffsetsHandler,
  Metadata: metadataHandler,
  FindCoordinator: findCoordinatorHandler,
  ApiVersions: apiVersionsHandler,
  CreateTopics: createTopicsHandler,
  InitProducerId: initProducerIdHandler,
  AddPartitionsToTxn: addPartitionsToTxnHandler,
  AddOffsetsToTxn: addOffsetsToTxnHandler,
  EndTxn: endTxnHandler,
  TxnOffsetCommit: txnOffsetCommitHandler,
  SaslHandshake: saslHandshakeHandler,
  SaslAuthenticate: saslAuthenticateHandler,
}
