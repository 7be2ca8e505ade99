// AddOffsetsToTxn (key 25), versions 0-4. Adds a consumer group's offsets to the open transaction (the
// transaction becomes Ongoing), on the transactional id's coordinator. Errors as AddPartitionsToTxn:
// NOT_COORDINATOR, INVALID_PRODUCER_ID_MAPPING, PRODUCER_FENCED (INVALID_PRODUCER_EPOCH before v2).
import { ErrorCode } from '@x/protocol'
import type { ApiHandler } from './api-handler.js'
import { fencedFor } from './fenced-error.js'

export const addOffsetsToTxnHandler: ApiHandler<'AddOffsetsToTxn'> = {
  name: 'AddOffsetsToTxn',
  handle(ctx, request) {
    const injected = ctx.faults.errorFor()
    if (injected !== 0) return { throttleTimeMs: 0, errorCode: injected }
    if (ctx.model.coordinatorFor(request.transactionalId)?.id !== ctx.broker.id) {
      return { throttleTimeMs: 0, errorCode: ErrorCode.NOT_COORDINATOR }
    }
    const error = ctx.model.transactions.addOffsets(
      request.transactionalId,
      request.producerId,
      request.producerEpoch,
      request.groupId,
      ctx.nowMs,
    )
    return { throttleTimeMs: 0, errorCode: fencedFor(error, ctx.apiVersion, 2) }
  },
}
