import { MAX_TIMER_DELAY_MS, type SenderClock } from '../clock.js'
import { TimeoutError } from '../errors/timeout-error.js'

/**
 * The outcome of a transactional operation the application waits on (Java `TransactionalRequestResult`):
 * settled once by the sender's request handlers, awaited with a time limit by `initTransactions()`,
 * `commitTransaction()`… A wait that times out leaves the operation running: calling the same operation
 * again waits on the same result (Java's "pending transition"). `acked` says a wait saw it complete.
 */
export class TransactionalRequestResult {
  private state: 'pending' | 'succeeded' | 'failed' = 'pending'
  private failure: Error | undefined
  private listeners: (() => void)[] = []
  /** A caller's wait saw this result complete (successfully or not). */
  acked = false

  constructor(readonly operation: string) {}

  get isCompleted(): boolean {
    return this.state !== 'pending'
  }

  get isSuccessful(): boolean {
    return this.state === 'succeeded'
  }

  get error(): Error | undefined {
    return this.failure
  }

  done(): void {
    this.settle('succeeded', undefined)
  }

  fail(error: Error): void {
    this.settle('failed', error)
  }

  /**
   * Resolves once the operation succeeded, rejects with its error, or with a `TimeoutError` (`max.block.ms`)
   * after `timeoutMs` — the operation then goes on, and calling it again waits for it.
   */
  await(timeoutMs: number, clock: SenderClock): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let timer: unknown
      const finish = () => {
        if (timer !== undefined) clock.clearTimeout(timer)
        this.acked = true
        if (this.state === 'succeeded') resolve()
        else reject(this.failure)
      }
      if (this.isCompleted) {
        finish()
        return
      }
      this.listeners.push(finish)
      timer = clock.setTimeout(
        () => {
          const index = this.listeners.indexOf(finish)
          if (index >= 0) this.listeners.splice(index, 1)
          reject(
            new TimeoutError({
              timeout: 'max.block.ms',
              timeoutMs,
              message: `Timeout expired after ${timeoutMs} ms while awaiting ${this.operation} (max.block.ms). The operation goes on: call it again to keep waiting for it.`,
            }),
          )
        },
        Math.min(Math.max(0, timeoutMs), MAX_TIMER_DELAY_MS),
      )
    })
  }

  private settle(state: 'succeeded' | 'failed', error: Error | undefined): void {
    if (this.state !== 'pending') return
    this.state = state
    this.failure = error
    const listeners = this.listeners
    this.listeners = []
    for (const listener of listeners) listener()
  }
}
