import { NetworkError } from '../errors/network-error.js'
import type { Transport, TransportConnectOptions, TransportSocket } from '../transport/transport.js'

/** The broker side of an in-memory connection. */
export interface InMemoryServerSocket {
  readonly id: number
  /** Sends bytes to the client (delivered asynchronously, in order). */
  send(bytes: Uint8Array): void
  /** Closes the connection from the broker side. */
  close(): void
  readonly closed: boolean
}

/** What accepts in-memory connections: the fake broker at one host:port. */
export interface InMemoryListener {
  accept(socket: InMemoryServerSocket): {
    onData(bytes: Uint8Array): void
    onClose(): void
  }
}

let nextSocketId = 1

/**
 * A `Transport` whose connections are in-process byte pipes to `InMemoryListener`s (test-only). Delivery is
 * asynchronous (microtasks) and ordered, like a socket. Faults: refuse connections to an address, hold
 * every client write (a stalled socket: `onWritten` waits until `releaseWrites`), and count writes so tests
 * can check that requests of one turn leave in one write.
 */
export class InMemoryTransport implements Transport {
  private readonly listeners = new Map<string, InMemoryListener>()
  private readonly refused = new Set<string>()
  private readonly sockets = new Set<ClientSocket>()
  /** While true, client writes are queued and their `onWritten` is not called. */
  holdWrites = false
  /** Number of `write` calls by clients, and chunks handed over in them. */
  writeCalls = 0
  chunksWritten = 0
  connectAttempts = 0

  listen(host: string, port: number, listener: InMemoryListener): void {
    this.listeners.set(`${host}:${port}`, listener)
  }

  /** Refuses (true) or accepts again (false) new connections to `host:port`. */
  refuse(host: string, port: number, refused = true): void {
    if (refused) this.refused.add(`${host}:${port}`)
    else this.refused.delete(`${host}:${port}`)
  }

  connect(options: TransportConnectOptions): Promise<TransportSocket> {
    this.connectAttempts++
    const address = `${options.host}:${options.port}`
    const listener = this.listeners.get(address)
    if (listener === undefined || this.refused.has(address)) {
      return Promise.reject(new NetworkError({ message: `Connection refused: ${address}` }))
    }
    const socket = new ClientSocket(this, address)
    const handlers = listener.accept(socket.server)
    socket.attach(handlers)
    this.sockets.add(socket)
    return Promise.resolve(socket)
  }

  /** Delivers every held write and calls its `onWritten`. */
  releaseWrites(): void {
    this.holdWrites = false
    for (const socket of this.sockets) socket.flushHeld()
  }

  /** Open client sockets. */
  get openSockets(): number {
    let open = 0
    for (const socket of this.sockets) if (!socket.isClosed) open++
    return open
  }

  forget(socket: ClientSocket): void {
    this.sockets.delete(socket)
  }
}

class ClientSocket implements TransportSocket {
  readonly server: InMemoryServerSocket
  private dataListener: ((chunk: Uint8Array) => void) | undefined
  private closeListener: ((error?: Error) => void) | undefined
  private handlers: { onData(bytes: Uint8Array): void; onClose(): void } | undefined
  private closed = false
  private held: { bytes: Uint8Array; onWritten: ((error?: Error) => void) | undefined }[] = []

  constructor(
    private readonly transport: InMemoryTransport,
    private readonly address: string,
  ) {
    const id = nextSocketId++
    const socket = this
    this.server = {
      id,
      send: (bytes) => {
        if (socket.closed) return
        const copy = bytes.slice()
        queueMicrotask(() => {
          if (!socket.closed) socket.dataListener?.(copy)
        })
      },
      close: () => socket.shutdown(undefined),
      get closed() {
        return socket.closed
      },
    }
  }

  get isClosed(): boolean {
    return this.closed
  }

  attach(handlers: { onData(bytes: Uint8Array): void; onClose(): void }): void {
    this.handlers = handlers
  }

  write(chunks: readonly Uint8Array[], onWritten?: (error?: Error) => void): void {
    this.transport.writeCalls++
    this.transport.chunksWritten += chunks.length
    if (this.closed) {
      if (onWritten) queueMicrotask(() => onWritten(this.closedError()))
      return
    }
    // Copy now, as a kernel would: after onWritten the caller may reuse the memory.
    let length = 0
    for (const chunk of chunks) length += chunk.length
    const bytes = new Uint8Array(length)
    let offset = 0
    for (const chunk of chunks) {
      bytes.set(chunk, offset)
      offset += chunk.length
    }
    if (this.transport.holdWrites) {
      this.held.push({ bytes, onWritten })
      return
    }
    this.deliver(bytes, onWritten)
  }

  flushHeld(): void {
    const held = this.held
    this.held = []
    for (const { bytes, onWritten } of held) this.deliver(bytes, onWritten)
  }

  onData(listener: (chunk: Uint8Array) => void): void {
    this.dataListener = listener
  }

  onClose(listener: (error?: Error) => void): void {
    this.closeListener = listener
  }

  close(): void {
    this.shutdown(undefined)
  }

  private deliver(bytes: Uint8Array, onWritten: ((error?: Error) => void) | undefined): void {
    queueMicrotask(() => {
      if (this.closed) {
        onWritten?.(this.closedError())
        return
      }
      onWritten?.()
      this.handlers?.onData(bytes)
    })
  }

  private shutdown(error: Error | undefined): void {
    if (this.closed) return
    this.closed = true
    const held = this.held
    this.held = []
    queueMicrotask(() => {
      for (const { onWritten } of held) onWritten?.(this.closedError())
      this.handlers?.onClose()
      this.closeListener?.(error)
      this.transport.forget(this)
    })
  }

  private closedError(): Error {
    return new NetworkError({ message: `In-memory connection to ${this.address} is closed.` })
  }
}
