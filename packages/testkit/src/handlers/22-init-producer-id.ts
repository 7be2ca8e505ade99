// InitProducerId (key 22), versions 0-5. Without a transactional id: a new producer id at epoch 0. With
// one (on its coordinator, else NOT_COORDINATOR): a new id the first time, then an epoch bump per call
// (KIP-360 lets v3+ callers name their current id and epoch; a mismatch is PRODUCER_FENCED). A call during
// an open transaction fences it: the transaction is aborted with a bumped epoch and the caller gets
// CONCURRENT_TRANSACTIONS, so its retry bumps again. Timeouts above the maximum are
// INVALID_TRANSACTION_TIMEOUT. PRODUCER_FENCED is INVALID_PRODUCER_EPOCH before v4.
import { ErrorCode } from '@x/protocol'
import type { ApiHandler } from './api-handler.js'
import { fencedFor } from './fenced-error.js'

export const initProducerIdHandler: ApiHandler<'InitProducerId'> = {
  name: 'InitProducerId',
  handle(ctx, request) {
    const fail = (errorCode: number) => ({ throttleTimeMs: 0, errorCode, producerId: -1n, producerEpoch: -1 })
    const injected = ctx.faults.errorFor()
    if (injected !== 0) return fail(injected)
    const transactionalId = request.transactionalId
    if (transactionalId !== null) {
      if (transactionalId === '') return fail(ErrorCode.INVALID_REQUEST)
      if (ctx.model.coordinatorFor(transactionalId)?.id !== ctx.broker.id)
        return fail(ErrorCode.NOT_COORDINATOR)
    }
    const result = ctx.model.transactions.initProducerId(
      transactionalId,
      request.transactionTimeoutMs,
      request.producerId,
      request.producerEpoch,
    )
    if (result.errorCode !== 0) return fail(fencedFor(result.errorCode, ctx.apiVersion, 4))
    return {
      throttleTimeMs: 0,
      errorCode: 0,
      producerId: result.producerId,
      producerEpoch: result.producerEpoch,
    }
  },
}
