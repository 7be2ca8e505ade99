import type { Socket } from 'node:net'
import { NetworkError } from '../errors/network-error.js'
import type { TransportSocket } from './transport.js'

type WriteCallback = (error?: Error | null) => void

/**
 * A `TransportSocket` over a connected `net.Socket` or `tls.TLSSocket`. Each `write` is one cork/uncork, so
 * the chunks of every request handed over in one call leave in a single `writev`. Every `onWritten` runs
 * exactly once: when its bytes left the process, or with an error when the socket failed or was destroyed
 * (also for writes still queued then), which is when pooled batch memory behind the chunks may be reused.
 */
export class NodeTransportSocket implements TransportSocket {
  private closeListener: ((error?: Error) => void) | undefined
  private closed = false
  private closeError: Error | undefined
  /** Write callbacks not yet called, so a destroyed socket can settle them all. */
  private readonly pending = new Set<WriteCallback>()

  constructor(
    private readonly socket: Socket,
    private readonly description: string,
  ) {
    socket.on('error', (error) => {
      this.closeError ??= error
    })
    socket.on('close', () => this.handleClose())
  }

  write(chunks: readonly Uint8Array[], onWritten?: (error?: Error) => void): void {
    if (this.closed || this.socket.destroyed) {
      if (onWritten !== undefined) {
        const error = this.closedError()
        queueMicrotask(() => onWritten(error))
      }
      return
    }
    let callback: WriteCallback | undefined
    if (onWritten !== undefined) {
      let called = false
      callback = (error) => {
        if (called) return
        called = true
        this.pending.delete(callback!)
        onWritten(error ?? undefined)
      }
      this.pending.add(callback)
    }
    const socket = this.socket
    socket.cork()
    const last = chunks.length - 1
    for (let i = 0; i < last; i++) socket.write(chunks[i]!)
    if (last >= 0) socket.write(chunks[last]!, callback)
    else if (callback !== undefined) queueMicrotask(() => callback!())
    socket.uncork()
  }

  onData(listener: (chunk: Uint8Array) => void): void {
    this.socket.on('data', listener)
  }

  onClose(listener: (error?: Error) => void): void {
    this.closeListener = listener
    if (this.closed) queueMicrotask(() => listener(this.closeError))
  }

  close(): void {
    this.socket.destroy()
  }

  private handleClose(): void {
    if (this.closed) return
    this.closed = true
    const error = this.closedError()
    for (const callback of [...this.pending]) callback(error)
    this.closeListener?.(this.closeError)
  }

  private closedError(): Error {
    return new NetworkError({
      message: `The connection to ${this.description} is closed: the bytes were not sent.`,
      cause: this.closeError,
    })
  }
}
