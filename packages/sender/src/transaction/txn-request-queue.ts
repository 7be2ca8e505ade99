import type { TxnRequestHandler } from './txn-request-handler.js'

/**
 * Transactional requests waiting to be sent (Java's `pendingRequests`): ordered by priority (see
 * `TxnPriority`), first come first served within one.
 */
export class TxnRequestQueue {
  private handlers: TxnRequestHandler[] = []

  get size(): number {
    return this.handlers.length
  }

  /** Behind every request of the same or a more urgent priority. */
  enqueue(handler: TxnRequestHandler): void {
    const handlers = this.handlers
    let index = handlers.length
    while (index > 0 && handlers[index - 1]!.priority > handler.priority) index--
    handlers.splice(index, 0, handler)
  }

  /** Back at the head of its priority, unchanged (it was taken but not sent). */
  putBack(handler: TxnRequestHandler): void {
    const handlers = this.handlers
    let index = 0
    while (index < handlers.length && handlers[index]!.priority < handler.priority) index++
    handlers.splice(index, 0, handler)
  }

  peek(): TxnRequestHandler | undefined {
    return this.handlers[0]
  }

  poll(): TxnRequestHandler | undefined {
    return this.handlers.shift()
  }

  /** Hands every waiting request to `settle` (to fail it), then empties the queue. */
  clear(settle: (handler: TxnRequestHandler) => void): void {
    for (const handler of this.handlers) settle(handler)
    this.handlers = []
  }
}
