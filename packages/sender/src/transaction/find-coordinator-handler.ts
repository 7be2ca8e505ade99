import {
  ErrorCode,
  type FindCoordinatorRequestInput,
  type FindCoordinatorResponse,
  KafkaError,
  readFindCoordinatorResponse,
  writeFindCoordinatorRequest,
} from '@x/protocol'
import type { ClientResponse, RequestSpec } from '../network/client-request.js'
import type { NetworkClient } from '../network/network-client.js'
import { TXN_APIS } from './transaction-apis.js'
import {
  type CoordinatorType,
  errorOf,
  isRetriableCode,
  type TxnHandlerContext,
  TxnPriority,
  TxnRequestHandler,
} from './txn-request-handler.js'

/** FindCoordinator v4 is the first that carries a list of keys (KIP-699); this handler always asks for one. */
const BATCHED_VERSION = 4

/** FindCoordinator (Java `FindCoordinatorHandler`): the broker coordinating a transactional id or a group. */
export class FindCoordinatorHandler extends TxnRequestHandler {
  readonly name = 'FindCoordinator'
  readonly priority = TxnPriority.FIND_COORDINATOR

  constructor(
    tm: TxnHandlerContext,
    private readonly type: CoordinatorType,
    private readonly key: string,
  ) {
    super(tm, 'FindCoordinator')
  }

  override coordinatorType(): CoordinatorType | undefined {
    return undefined
  }

  send(
    client: NetworkClient,
    nodeId: number,
    nowMs: number,
    onComplete: (response: ClientResponse<unknown>) => void,
  ): void {
    client.send(nodeId, this.requestSpec(), onComplete, nowMs)
  }

  private requestSpec(): RequestSpec<FindCoordinatorRequestInput, FindCoordinatorResponse> {
    return {
      api: TXN_APIS.findCoordinator,
      body: { key: this.key, keyType: this.type === 'group' ? 0 : 1, coordinatorKeys: [this.key] },
      // `key` up to v3, `coordinatorKeys` from v4: each version gets only the field it has.
      write: (writer, version, body) =>
        writeFindCoordinatorRequest(
          writer,
          version,
          version >= BATCHED_VERSION
            ? { keyType: body.keyType, coordinatorKeys: body.coordinatorKeys }
            : { key: body.key, keyType: body.keyType },
        ),
      read: readFindCoordinatorResponse,
    }
  }

  handleResponse(body: unknown, apiVersion: number): void {
    const response = body as FindCoordinatorResponse
    let coordinator: {
      nodeId: number
      host: string
      port: number
      errorCode: number
      errorMessage: string | null
    }
    if (apiVersion >= BATCHED_VERSION) {
      if (response.coordinators.length !== 1) {
        this.fatalError(
          new KafkaError({
            code: 'ILLEGAL_STATE',
            message: `Coordinator lookup failed: the FindCoordinator response lists ${response.coordinators.length} coordinators for one key.`,
          }),
        )
        return
      }
      coordinator = response.coordinators[0]!
    } else {
      coordinator = response
    }
    const code = coordinator.errorCode
    if (code === ErrorCode.NONE) {
      this.tm.setCoordinator(this.type, {
        id: coordinator.nodeId,
        host: coordinator.host,
        port: coordinator.port,
        rack: null,
      })
      this.result.done()
    } else if (isRetriableCode(code)) {
      this.reenqueue()
    } else if (code === ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED) {
      this.fatalError(errorOf(code, coordinator.errorMessage))
    } else if (code === ErrorCode.GROUP_AUTHORIZATION_FAILED) {
      this.abortableError(errorOf(code, `Not authorized to access group: ${this.key}`))
    } else if (code === ErrorCode.TRANSACTION_ABORTABLE) {
      this.abortableError(errorOf(code, coordinator.errorMessage))
    } else {
      this.fatalError(
        new KafkaError({
          code: 'COORDINATOR_LOOKUP_FAILED',
          message: `Could not find a coordinator with type ${this.type} with key ${this.key} due to unexpected error: ${errorOf(code, coordinator.errorMessage).message}`,
          cause: errorOf(code, coordinator.errorMessage),
        }),
      )
    }
  }
}
