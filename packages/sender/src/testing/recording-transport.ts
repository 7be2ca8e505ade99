import { NetworkError } from '../errors/network-error.js'
import type { Transport, TransportConnectOptions, TransportSocket } from '../transport/transport.js'

type OnWritten = ((error?: Error) => void) | undefined

/**
 * Wraps a Transport (test-only; here the embedded cluster's) to watch how the sender uses the Transport
 * contract: connects, `write` calls and the chunks handed over in them (one write per pass, record batches
 * by reference), sockets still open, and a stalled socket (`holdWrites`: writes and their `onWritten` wait
 * until `releaseWrites`), since a batch's pooled memory may be reused only after `onWritten`.
 */
export class RecordingTransport implements Transport {
  connectAttempts = 0
  writeCalls = 0
  chunksWritten = 0
  /** While true, writes are kept back and their `onWritten` waits. */
  holdWrites = false
  private readonly sockets = new Set<RecordingSocket>()

  constructor(private readonly inner: Transport) {}

  async connect(options: TransportConnectOptions): Promise<TransportSocket> {
    this.connectAttempts++
    const socket = new RecordingSocket(this, await this.inner.connect(options))
    this.sockets.add(socket)
    return socket
  }

  /** Lets every held write through, in order, then their `onWritten` run as the inner socket reports. */
  releaseWrites(): void {
    this.holdWrites = false
    for (const socket of this.sockets) socket.flushHeld()
  }

  /** Client sockets not closed by either side. */
  get openSockets(): number {
    let open = 0
    for (const socket of this.sockets) if (!socket.isClosed) open++
    return open
  }
}

class RecordingSocket implements TransportSocket {
  isClosed = false
  private held: { chunks: readonly Uint8Array[]; onWritten: OnWritten }[] = []

  constructor(
    private readonly transport: RecordingTransport,
    private readonly inner: TransportSocket,
  ) {}

  write(chunks: readonly Uint8Array[], onWritten?: (error?: Error) => void): void {
    this.transport.writeCalls++
    this.transport.chunksWritten += chunks.length
    if (this.transport.holdWrites && !this.isClosed) this.held.push({ chunks, onWritten })
    else this.inner.write(chunks, onWritten)
  }

  flushHeld(): void {
    const held = this.held
    this.held = []
    for (const { chunks, onWritten } of held) this.inner.write(chunks, onWritten)
  }

  onData(listener: (chunk: Uint8Array) => void): void {
    this.inner.onData(listener)
  }

  onClose(listener: (error?: Error) => void): void {
    this.inner.onClose((error) => {
      this.closed()
      listener(error)
    })
  }

  close(): void {
    this.closed()
    this.inner.close()
  }

  /** Held writes fail with the socket, as a kernel's queued writes do. */
  private closed(): void {
    this.isClosed = true
    const held = this.held
    this.held = []
    if (held.length === 0) return
    const error = new NetworkError({ message: 'The connection closed before a held write was delivered.' })
    queueMicrotask(() => {
      for (const { onWritten } of held) onWritten?.(error)
    })
  }
}
