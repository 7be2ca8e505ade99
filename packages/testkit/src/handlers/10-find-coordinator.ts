// FindCoordinator (key 10), versions 0-6 (v4+ batch the keys). Groups (key type 0) and transactional ids
// (key type 1) hash onto 50 coordinator partitions as Kafka places them; the broker for a partition is the
// next live broker in id order, so a coordinator moves when its broker goes down and comes back with it.
// Other key types are INVALID_REQUEST; no live broker is COORDINATOR_NOT_AVAILABLE.
import { ErrorCode, type FindCoordinatorResponseCoordinatorInput } from '@x/protocol'
import type { ApiHandler } from './api-handler.js'

export const findCoordinatorHandler: ApiHandler<'FindCoordinator'> = {
  name: 'FindCoordinator',
  handle(ctx, request) {
    const keys = ctx.apiVersion >= 4 ? request.coordinatorKeys : [request.key]
    const injected = ctx.faults.errorFor()
    const coordinators: FindCoordinatorResponseCoordinatorInput[] = keys.map((key) => {
      const fail = (errorCode: number, errorMessage: string | null) => ({
        key,
        nodeId: -1,
        host: '',
        port: -1,
        errorCode,
        errorMessage,
      })
      if (injected !== 0) return fail(injected, null)
      if (request.keyType !== 0 && request.keyType !== 1) {
        return fail(ErrorCode.INVALID_REQUEST, `Unsupported key type ${request.keyType}`)
      }
      if (request.keyType === 1 && key === '') {
        return fail(ErrorCode.INVALID_REQUEST, 'Transactional id must not be empty')
      }
      const node = ctx.model.coordinatorFor(key)
      if (node === undefined) return fail(ErrorCode.COORDINATOR_NOT_AVAILABLE, 'No live broker to coordinate')
      return { key, nodeId: node.id, host: node.host, port: node.port, errorCode: 0, errorMessage: null }
    })
    if (ctx.apiVersion >= 4) return { throttleTimeMs: 0, coordinators }
    const single = coordinators[0]!
    return {
      throttleTimeMs: 0,
      errorCode: single.errorCode,
      errorMessage: single.errorMessage,
      nodeId: single.nodeId,
      host: single.host,
      port: single.port,
    }
  },
}
