import type { ProducerIdAndEpoch } from '@x/accumulator'
import {
  ErrorCode,
  type InitProducerIdRequestInput,
  type InitProducerIdResponse,
  readInitProducerIdResponse,
  writeInitProducerIdRequest,
} from '@x/protocol'
import type { ClientResponse, RequestSpec } from '../network/client-request.js'
import type { NetworkClient } from '../network/network-client.js'
import { ProducerFencedError } from './producer-fenced-error.js'
import { TXN_APIS } from './transaction-apis.js'
import {
  type CoordinatorType,
  errorOf,
  isRetriableCode,
  type TxnHandlerContext,
  TxnPriority,
  TxnRequestHandler,
  unexpectedError,
} from './txn-request-handler.js'

/**
 * InitProducerId (Java `InitProducerIdHandler`): a producer id and epoch — a new one, the next epoch of a
 * transactional id (fencing its older producers and aborting their open transaction), or, with the current
 * id and epoch in the request, an epoch bump after an abortable error (KIP-588).
 */
export class InitProducerIdHandler extends TxnRequestHandler {
  readonly name = 'InitProducerId'
  readonly priority: number

  constructor(
    tm: TxnHandlerContext,
    private readonly body: InitProducerIdRequestInput,
    private readonly isEpochBump: boolean,
  ) {
    super(tm, 'InitProducerId')
    this.priority = isEpochBump ? TxnPriority.EPOCH_BUMP : TxnPriority.INIT_PRODUCER_ID
  }

  override coordinatorType(): CoordinatorType | undefined {
    return this.tm.isTransactional() ? 'transaction' : undefined
  }

  send(
    client: NetworkClient,
    nodeId: number,
    nowMs: number,
    onComplete: (response: ClientResponse<unknown>) => void,
  ): void {
    client.send(nodeId, this.requestSpec(), onComplete, nowMs)
  }

  private requestSpec(): RequestSpec<InitProducerIdRequestInput, InitProducerIdResponse> {
    return {
      api: TXN_APIS.initProducerId,
      body: this.body,
      write: writeInitProducerIdRequest,
      read: readInitProducerIdResponse,
    }
  }

  handleResponse(body: unknown): void {
    const response = body as InitProducerIdResponse
    const code = response.errorCode
    if (code === ErrorCode.NONE) {
      const producerIdAndEpoch: ProducerIdAndEpoch = {
        producerId: response.producerId,
        epoch: response.producerEpoch,
      }
      this.tm.setProducerIdAndEpoch(producerIdAndEpoch)
      this.tm.transitionTo('READY')
      if (this.isEpochBump) this.tm.resetSequenceNumbers()
      this.result.done()
    } else if (code === ErrorCode.NOT_COORDINATOR || code === ErrorCode.COORDINATOR_NOT_AVAILABLE) {
      if (this.tm.isTransactional()) this.tm.lookupCoordinator('transaction', this.coordinatorKey())
      this.reenqueue()
    } else if (isRetriableCode(code)) {
      this.reenqueue()
    } else if (
      code === ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED ||
      code === ErrorCode.CLUSTER_AUTHORIZATION_FAILED
    ) {
      // Abortable: the sender fails what is pending and goes back to UNINITIALIZED, so the application may
      // call initTransactions() again once the ACL is fixed.
      this.abortableError(errorOf(code))
    } else if (code === ErrorCode.INVALID_PRODUCER_EPOCH || code === ErrorCode.PRODUCER_FENCED) {
      this.fatalError(new ProducerFencedError({ transactionalId: this.tm.transactionalId }))
    } else if (code === ErrorCode.TRANSACTION_ABORTABLE) {
      this.abortableError(errorOf(code))
    } else {
      this.fatalError(unexpectedError('InitProducerId', code))
    }
  }
}
