// EndTxn (key 26), versions 0-5. Commits or aborts the open transaction on its coordinator (else
// NOT_COORDINATOR): COMMIT/ABORT markers go to every partition in it, and committed group offsets become
// visible. Retrying the same outcome of an ended transaction succeeds; the other outcome, or ending an
// Empty transaction, is INVALID_TXN_STATE. v5 is transactions v2 (KIP-890): the epoch is bumped as the
// transaction ends and returned. PRODUCER_FENCED is INVALID_PRODUCER_EPOCH before v2.
import { ErrorCode } from '@x/protocol'
import type { ApiHandler } from './api-handler.js'
import { fencedFor } from './fenced-error.js'

export const endTxnHandler: ApiHandler<'EndTxn'> = {
  name: 'EndTxn',
  handle(ctx, request) {
    const fail = (errorCode: number) => ({ throttleTimeMs: 0, errorCode, producerId: -1n, producerEpoch: -1 })
    const injected = ctx.faults.errorFor()
    if (injected !== 0) return fail(injected)
    if (ctx.model.coordinatorFor(request.transactionalId)?.id !== ctx.broker.id) {
      return fail(ErrorCode.NOT_COORDINATOR)
    }
    const result = ctx.model.transactions.endTxn(
      request.transactionalId,
      request.producerId,
      request.producerEpoch,
      request.committed,
      ctx.apiVersion,
    )
    if (result.errorCode !== 0) return fail(fencedFor(result.errorCode, ctx.apiVersion, 2))
    return {
      throttleTimeMs: 0,
      errorCode: 0,
      producerId: ctx.apiVersion >= 5 ? result.producerId : -1n,
      producerEpoch: ctx.apiVersion >= 5 ? result.producerEpoch : -1,
    }
  },
}
