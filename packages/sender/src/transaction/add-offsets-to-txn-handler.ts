import {
  type AddOffsetsToTxnRequestInput,
  type AddOffsetsToTxnResponse,
  ErrorCode,
  readAddOffsetsToTxnResponse,
  writeAddOffsetsToTxnRequest,
} from '@x/protocol'
import type { ClientResponse, RequestSpec } from '../network/client-request.js'
import type { NetworkClient } from '../network/network-client.js'
import { ProducerFencedError } from './producer-fenced-error.js'
import { TXN_APIS } from './transaction-apis.js'
import type { TransactionalRequestResult } from './transactional-request-result.js'
import {
  errorOf,
  type GroupMetadata,
  isRetriableCode,
  type TxnHandlerContext,
  TxnPriority,
  TxnRequestHandler,
  unexpectedError,
} from './txn-request-handler.js'

/**
 * AddOffsetsToTxn (Java `AddOffsetsToTxnHandler`): the group's offsets topic joins the transaction; on success
 * the TxnOffsetCommit to the group coordinator follows and settles the same result.
 */
export class AddOffsetsToTxnHandler extends TxnRequestHandler {
  readonly name = 'AddOffsetsToTxn'
  readonly priority = TxnPriority.ADD_PARTITIONS_OR_OFFSETS

  constructor(
    tm: TxnHandlerContext,
    private readonly body: AddOffsetsToTxnRequestInput,
    private readonly group: GroupMetadata,
    result?: TransactionalRequestResult,
  ) {
    super(tm, result ?? 'AddOffsetsToTxn')
  }

  send(
    client: NetworkClient,
    nodeId: number,
    nowMs: number,
    onComplete: (response: ClientResponse<unknown>) => void,
  ): void {
    client.send(nodeId, this.requestSpec(), onComplete, nowMs)
  }

  private requestSpec(): RequestSpec<AddOffsetsToTxnRequestInput, AddOffsetsToTxnResponse> {
    return {
      api: TXN_APIS.addOffsetsToTxn,
      body: this.body,
      write: writeAddOffsetsToTxnRequest,
      read: readAddOffsetsToTxnResponse,
    }
  }

  handleResponse(body: unknown): void {
    const code = (body as AddOffsetsToTxnResponse).errorCode
    if (code === ErrorCode.NONE) {
      // The result settles when the TxnOffsetCommit does.
      this.tm.enqueueTxnOffsetCommit(this.result, this.group)
      this.tm.markTransactionStarted()
    } else if (code === ErrorCode.COORDINATOR_NOT_AVAILABLE || code === ErrorCode.NOT_COORDINATOR) {
      this.tm.lookupCoordinator('transaction', this.coordinatorKey())
      this.reenqueue()
    } else if (isRetriableCode(code)) {
      this.reenqueue()
    } else if (code === ErrorCode.UNKNOWN_PRODUCER_ID || code === ErrorCode.INVALID_PRODUCER_ID_MAPPING) {
      this.abortableErrorIfPossible(errorOf(code))
    } else if (code === ErrorCode.INVALID_PRODUCER_EPOCH || code === ErrorCode.PRODUCER_FENCED) {
      const { producerId, epoch } = this.tm.currentProducerIdAndEpoch()
      this.fatalError(
        new ProducerFencedError({ transactionalId: this.tm.transactionalId, producerId, epoch }),
      )
    } else if (
      code === ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED ||
      code === ErrorCode.INVALID_TXN_STATE
    ) {
      this.fatalError(errorOf(code))
    } else if (code === ErrorCode.GROUP_AUTHORIZATION_FAILED) {
      this.abortableError(errorOf(code, `Not authorized to access group: ${this.group.groupId}`))
    } else if (code === ErrorCode.TRANSACTION_ABORTABLE) {
      this.abortableError(errorOf(code))
    } else {
      this.fatalError(unexpectedError('AddOffsetsToTxn', code))
    }
  }
}
