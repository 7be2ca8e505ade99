import { ApiError, ErrorCode, KafkaError, UnsupportedVersionError } from '@x/protocol'
import type { BrokerNode } from '../network/broker-node.js'
import type { ClientResponse } from '../network/client-request.js'
import type { TransactionalRequestContext } from '../sender/transaction-manager.js'
import { FindCoordinatorHandler } from './find-coordinator-handler.js'
import type { ProducerEpoch } from './producer-epoch.js'
import { TransactionAbortedError } from './transaction-aborted-error.js'
import { TXN_APIS } from './transaction-apis.js'
import type { TransactionPartitions } from './transaction-partitions.js'
import { asError, type TransactionStateMachine } from './transaction-state-machine.js'
import type { TransactionalOperations } from './transactional-operations.js'
import type { CoordinatorType, TxnHandlerContext, TxnRequestHandler } from './txn-request-handler.js'
import type { TxnRequestQueue } from './txn-request-queue.js'

function isAuthorizationError(error: unknown): error is ApiError {
  return (
    ApiError.isInstance(error) &&
    (error.errorCode === ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED ||
      error.errorCode === ErrorCode.CLUSTER_AUTHORIZATION_FAILED)
  )
}

/** What pending transactional operations fail with when the producer closes without an error of its own. */
export function producerClosedForcefully(): KafkaError {
  return new KafkaError({
    code: 'PRODUCER_CLOSED_FORCEFULLY',
    message: 'The producer closed forcefully: pending transactional operations were not completed.',
  })
}

export interface TxnRequestSchedulerParts {
  readonly retryBackoffMs: number
  /** What FindCoordinator handlers are built with; its clock times retries. */
  readonly context: TxnHandlerContext
  readonly requests: TxnRequestQueue
  readonly states: TransactionStateMachine
  readonly epoch: ProducerEpoch
  readonly partitions: TransactionPartitions
  readonly operations: TransactionalOperations
}

/**
 * Sends the queued transactional requests, one at a time (Java `Sender.maybeSendAndPollTransactionalRequest`
 * with `TransactionManager.nextRequest`): picks the next one (EndTxn only once every batch is done), finds
 * where it goes — the coordinator it needs, looked up first when unknown, or the least-loaded broker — waits
 * for backoffs and connections, and routes the answer to its handler; transport errors retry after a new
 * coordinator lookup. Also aborts the batches of a failed or aborting transaction before anything is sent.
 */
export class TxnRequestScheduler {
  private inFlightHandler: TxnRequestHandler | undefined
  private transactionCoordinator: BrokerNode | undefined
  private consumerGroupCoordinator: BrokerNode | undefined

  constructor(private readonly parts: TxnRequestSchedulerParts) {}

  hasInFlightRequest(): boolean {
    return this.inFlightHandler !== undefined
  }

  /** Returns true to skip Produce in this pass (see `SenderTransactionManager`). */
  maybeSendTransactionalRequest(context: TransactionalRequestContext): boolean {
    if (this.inFlightHandler !== undefined) return true
    const { states, requests, retryBackoffMs } = this.parts
    const accumulator = context.accumulator
    if (states.hasAbortableError() && isAuthorizationError(states.lastError)) {
      // Java `shouldHandleAuthorizationError`: fail what waits, and go back to UNINITIALIZED so that
      // initTransactions() may be called again once the ACL is fixed.
      const error = states.lastError
      requests.clear((pending) => pending.abortableError(error))
      if (accumulator.hasIncomplete()) accumulator.abortBatches(error)
      states.transitionToUninitialized(error)
      return true
    }
    if ((states.hasAbortableError() || states.isAborting()) && accumulator.hasIncomplete()) {
      accumulator.abortUndrainedBatches(new TransactionAbortedError({ cause: states.lastError }))
    }
    const handler = states.safely(() => this.nextRequest(accumulator.hasIncomplete()))
    if (handler === undefined) return false

    const nowMs = context.nowMs
    if (handler.isRetry && nowMs < handler.retryAtMs) {
      requests.putBack(handler)
      context.wakeup(handler.retryAtMs - nowMs)
      return true
    }
    const type = handler.coordinatorType()
    const target = type === undefined ? context.leastLoadedNode() : this.coordinator(type)
    if (target === undefined) {
      if (type !== undefined) {
        // The lookup goes first, in the next pass.
        this.lookupCoordinator(type, handler.coordinatorKey())
        context.wakeup()
      } else {
        context.metadata.requestUpdate()
        context.wakeup(retryBackoffMs)
      }
      this.retry(handler)
      return true
    }
    const client = context.client
    if (!client.ready(target, nowMs)) {
      const connection = client.connectionState(target.id)
      if (connection === 'authentication-failed') {
        const error =
          client.lastConnectionError(target.id) ?? new KafkaError({ message: 'Authentication failed.' })
        handler.fatalError(error)
        requests.clear((pending) => pending.fatalError(error))
      } else if (connection === 'disconnected') {
        // The connection failed and is backing off (Java's awaitNodeReady gave up): look again.
        if (type !== undefined) this.lookupCoordinator(type, handler.coordinatorKey())
        else context.metadata.requestUpdate()
        this.retry(handler)
        context.wakeup(Math.max(retryBackoffMs, client.connectionDelay(target.id, nowMs)))
      } else {
        // Connecting, or busy: a connection or response event brings the next pass.
        requests.putBack(handler)
        const delay = client.connectionDelay(target.id, nowMs)
        if (delay > 0 && delay !== Number.POSITIVE_INFINITY) context.wakeup(delay)
      }
      return true
    }
    if (type === 'transaction') this.handleCoordinatorReady(context, target)
    this.inFlightHandler = handler
    try {
      handler.send(client, target.id, nowMs, (response) =>
        this.onResponse(handler, response, client.isClosed),
      )
    } catch (error) {
      // The connection was checked ready just before: what throws here is the request itself (it cannot be
      // encoded at the negotiated version), which no retry fixes.
      this.inFlightHandler = undefined
      states.safely(() => handler.fatalError(asError(error)))
    }
    return true
  }

  /** Forgets the coordinator and queues a FindCoordinator for it. */
  lookupCoordinator(type: CoordinatorType, key: string): void {
    if (type === 'group') this.consumerGroupCoordinator = undefined
    else this.transactionCoordinator = undefined
    this.parts.requests.enqueue(new FindCoordinatorHandler(this.parts.context, type, key))
  }

  setCoordinator(type: CoordinatorType, node: BrokerNode): void {
    if (type === 'group') this.consumerGroupCoordinator = node
    else this.transactionCoordinator = node
  }

  coordinator(type: CoordinatorType): BrokerNode | undefined {
    return type === 'group' ? this.consumerGroupCoordinator : this.transactionCoordinator
  }

  /** Every queued request and the one in flight end with `error`. */
  close(error: Error): void {
    this.parts.requests.clear((handler) => handler.fatalError(error))
    this.inFlightHandler?.fail(error)
  }

  /** Java `nextRequest`: the next transactional request to send, or undefined. */
  private nextRequest(hasIncompleteBatches: boolean): TxnRequestHandler | undefined {
    const { requests, states } = this.parts
    this.parts.operations.maybeEnqueueAddPartitions()
    let next: TxnRequestHandler | undefined = requests.peek()
    if (next === undefined) return undefined
    // EndTxn waits until every batch of the transaction is done.
    if (next.isEndTxn() && hasIncompleteBatches) return undefined
    requests.poll()
    if (this.maybeTerminateRequestWithError(next)) return undefined
    if (next.isEndTxn() && !this.parts.partitions.started) {
      // Nothing was added to the transaction: there is nothing to end on the broker.
      next.result.done()
      if (states.state !== 'FATAL_ERROR') this.parts.operations.completeTransaction()
      next = requests.poll()
    }
    return next
  }

  private maybeTerminateRequestWithError(handler: TxnRequestHandler): boolean {
    const states = this.parts.states
    if (!states.hasError()) return false
    // A coordinator lookup may go ahead when the transaction is about to be aborted.
    if (states.hasAbortableError() && handler instanceof FindCoordinatorHandler) return false
    handler.fail(states.lastError!)
    return true
  }

  private onResponse(
    handler: TxnRequestHandler,
    response: ClientResponse<unknown>,
    clientClosed: boolean,
  ): void {
    const states = this.parts.states
    if (this.inFlightHandler !== handler) {
      states.safely(() =>
        handler.fatalError(
          new KafkaError({
            code: 'ILLEGAL_STATE',
            message: 'Detected more than one in-flight transactional request.',
          }),
        ),
      )
      return
    }
    this.inFlightHandler = undefined
    states.safely(() => {
      const error = response.error
      if (error === undefined) {
        handler.handleResponse(response.body, response.apiVersion)
      } else if (clientClosed) {
        // The producer is closing (forcefully): the operation ends with the close's error, nothing more.
        handler.fail(error)
      } else if (UnsupportedVersionError.isInstance(error)) {
        handler.fatalError(error)
      } else if (error.retriable) {
        // Disconnected or timed out: the coordinator may have moved.
        const type = handler.coordinatorType()
        if (type !== undefined) this.lookupCoordinator(type, handler.coordinatorKey())
        handler.reenqueue()
      } else {
        handler.fatalError(
          new KafkaError({
            code: 'TRANSACTIONAL_REQUEST_FAILED',
            message: `Could not execute transactional request ${handler.name}: ${error.message}`,
            cause: error,
          }),
        )
      }
    })
  }

  /** Back in the queue as a retry, not sent before `retry.backoff.ms` (the handler's) passed. */
  private retry(handler: TxnRequestHandler): void {
    handler.isRetry = true
    handler.retryAtMs = this.parts.context.nowMs() + handler.retryBackoffMs()
    this.parts.requests.enqueue(handler)
  }

  private handleCoordinatorReady(context: TransactionalRequestContext, node: BrokerNode): void {
    const range = context.client.nodeApiVersions(node.id)?.brokerRange(TXN_APIS.initProducerId.apiKey)
    this.parts.epoch.coordinatorSupportsBump = range !== undefined && range.maxVersion >= 3
  }
}
