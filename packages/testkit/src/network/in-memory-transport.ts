import type { ClusterModel } from '../cluster/cluster-model.js'
import { TestkitError } from '../testkit-error.js'
import type { Transport, TransportConnectOptions, TransportSocket } from '../transport.js'
import { BrokerConnection } from './broker-connection.js'

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '::1'])

/**
 * The client end of an in-memory connection. Bytes cross in microtasks, never synchronously, so neither
 * side is re-entered from inside its own write, and in order, as on a socket. The broker copies what it
 * keeps before `onWritten` runs, so the client may reuse its buffers as it would after a socket write.
 */
class InMemorySocket implements TransportSocket {
  private dataListener: ((chunk: Uint8Array) => void) | undefined
  private closeListener: ((error?: Error) => void) | undefined
  private closed = false
  private closeReported = false
  private closeError: Error | undefined
  private readonly toBroker: { chunks: readonly Uint8Array[]; onWritten?: (error?: Error) => void }[] = []
  private readonly toClient: Uint8Array[] = []
  private brokerScheduled = false
  private clientScheduled = false
  connection!: BrokerConnection

  write(chunks: readonly Uint8Array[], onWritten?: (error?: Error) => void): void {
    if (this.closed) {
      const error = new TestkitError('CONNECTION_CLOSED', 'Write on a closed in-memory connection')
      queueMicrotask(() => onWritten?.(error))
      return
    }
    this.toBroker.push({ chunks, onWritten })
    if (!this.brokerScheduled) {
      this.brokerScheduled = true
      queueMicrotask(() => this.deliverToBroker())
    }
  }

  onData(listener: (chunk: Uint8Array) => void): void {
    this.dataListener = listener
    if (this.toClient.length > 0) this.scheduleClient()
  }

  onClose(listener: (error?: Error) => void): void {
    this.closeListener = listener
    if (this.closed) this.scheduleClient()
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.failPendingWrites()
    this.connection.peerClosed()
    this.scheduleClient()
  }

  /** The broker wrote response bytes. */
  fromBroker(chunks: readonly Uint8Array[]): void {
    if (this.closed) return
    for (const chunk of chunks) this.toClient.push(chunk)
    this.scheduleClient()
  }

  /** The broker closed the connection (a fault or the broker going down): the client sees a reset. */
  closedByBroker(): void {
    if (this.closed) return
    this.closed = true
    this.closeError = new TestkitError('CONNECTION_CLOSED', 'The embedded broker closed the connection', {
      retriable: true,
    })
    this.failPendingWrites()
    this.scheduleClient()
  }

  private failPendingWrites(): void {
    const pending = this.toBroker.splice(0)
    if (pending.length === 0) return
    const error = new TestkitError(
      'CONNECTION_CLOSED',
      'The in-memory connection closed before the write was delivered',
    )
    queueMicrotask(() => {
      for (const write of pending) write.onWritten?.(error)
    })
  }

  private deliverToBroker(): void {
    this.brokerScheduled = false
    while (this.toBroker.length > 0 && !this.closed) {
      const write = this.toBroker.shift()!
      for (const chunk of write.chunks) this.connection.receive(chunk)
      write.onWritten?.()
    }
  }

  private scheduleClient(): void {
    if (this.clientScheduled) return
    this.clientScheduled = true
    queueMicrotask(() => this.deliverToClient())
  }

  private deliverToClient(): void {
    this.clientScheduled = false
    const listener = this.dataListener
    if (listener !== undefined) {
      while (this.toClient.length > 0) listener(this.toClient.shift()!)
    }
    if (this.closed && !this.closeReported && this.closeListener !== undefined) {
      this.toClient.length = 0
      this.closeReported = true
      this.closeListener(this.closeError)
    }
  }
}

/**
 * A `Transport` (the @x/sender contract, implemented structurally) that connects to the embedded brokers
 * without sockets: `connect({ host, port })` finds the broker at that address. A broker that is down, or
 * an address no broker has, refuses the connection with a retriable `CONNECTION_REFUSED`.
 */
export class InMemoryTransport implements Transport {
  /** @internal */
  constructor(private readonly model: ClusterModel) {}

  connect(options: TransportConnectOptions): Promise<TransportSocket> {
    const broker = [...this.model.brokers.values()].find(
      (candidate) =>
        candidate.port === options.port &&
        (candidate.host === options.host ||
          (LOOPBACK_NAMES.has(options.host) && LOOPBACK_NAMES.has(candidate.host))),
    )
    if (broker === undefined || !broker.isUp) {
      return Promise.reject(
        new TestkitError(
          'CONNECTION_REFUSED',
          `Connection refused: ${broker === undefined ? 'no embedded broker listens on' : `broker ${broker.id} is down at`} ${options.host}:${options.port}`,
          { retriable: true },
        ),
      )
    }
    const socket = new InMemorySocket()
    socket.connection = new BrokerConnection(this.model, broker, {
      write: (chunks) => socket.fromBroker(chunks),
      close: () => socket.closedByBroker(),
    })
    return Promise.resolve(socket)
  }
}
