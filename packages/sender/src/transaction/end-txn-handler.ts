import {
  type EndTxnRequestInput,
  type EndTxnResponse,
  ErrorCode,
  readEndTxnResponse,
  writeEndTxnRequest,
} from '@x/protocol'
import type { ClientResponse, RequestSpec } from '../network/client-request.js'
import type { NetworkClient } from '../network/network-client.js'
import { ProducerFencedError } from './producer-fenced-error.js'
import { TXN_APIS } from './transaction-apis.js'
import {
  errorOf,
  isRetriableCode,
  type TxnHandlerContext,
  TxnPriority,
  TxnRequestHandler,
  unexpectedError,
} from './txn-request-handler.js'

/**
 * EndTxn (Java `EndTxnHandler`): commit or abort, sent only once every batch of the transaction is done. A
 * retry sends the same decision again, so a timed-out commit can never turn into an abort or back.
 */
export class EndTxnHandler extends TxnRequestHandler {
  readonly name: string
  readonly priority = TxnPriority.END_TXN

  constructor(
    tm: TxnHandlerContext,
    private readonly body: EndTxnRequestInput,
  ) {
    super(tm, `EndTxn(${body.committed ? 'commit' : 'abort'})`)
    this.name = this.result.operation
  }

  override isEndTxn(): boolean {
    return true
  }

  send(
    client: NetworkClient,
    nodeId: number,
    nowMs: number,
    onComplete: (response: ClientResponse<unknown>) => void,
  ): void {
    client.send(nodeId, this.requestSpec(), onComplete, nowMs)
  }

  private requestSpec(): RequestSpec<EndTxnRequestInput, EndTxnResponse> {
    return { api: TXN_APIS.endTxn, body: this.body, write: writeEndTxnRequest, read: readEndTxnResponse }
  }

  handleResponse(body: unknown): void {
    const code = (body as EndTxnResponse).errorCode
    if (code === ErrorCode.NONE) {
      this.tm.completeTransaction()
      this.result.done()
    } else if (code === ErrorCode.COORDINATOR_NOT_AVAILABLE || code === ErrorCode.NOT_COORDINATOR) {
      this.tm.lookupCoordinator('transaction', this.coordinatorKey())
      this.reenqueue()
    } else if (isRetriableCode(code)) {
      this.reenqueue()
    } else if (code === ErrorCode.INVALID_PRODUCER_EPOCH || code === ErrorCode.PRODUCER_FENCED) {
      this.fatalError(
        new ProducerFencedError({
          transactionalId: this.tm.transactionalId,
          producerId: this.body.producerId,
          epoch: this.body.producerEpoch,
        }),
      )
    } else if (
      code === ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED ||
      code === ErrorCode.INVALID_TXN_STATE
    ) {
      this.fatalError(errorOf(code))
    } else if (code === ErrorCode.UNKNOWN_PRODUCER_ID || code === ErrorCode.INVALID_PRODUCER_ID_MAPPING) {
      this.abortableErrorIfPossible(errorOf(code))
    } else if (code === ErrorCode.TRANSACTION_ABORTABLE) {
      this.abortableError(errorOf(code))
    } else {
      this.fatalError(unexpectedError('EndTxn', code))
    }
  }
}
