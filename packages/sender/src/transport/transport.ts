/**
 * The pluggable byte pipe under every broker connection. A transport opens a duplex byte stream to
 * host:port; the connection above it does framing, correlation and timeouts. Implementations: TCP and TLS
 * (this package), an in-memory transport to the embedded cluster (@x/testkit), or anything a user needs
 * (a proxy, a fault-injecting wrapper). This interface is structural on purpose: @x/testkit implements it
 * without importing @x/sender.
 */
export interface TransportConnectOptions {
  host: string
  port: number
  /** TLS options when the listener speaks SSL; absent for PLAINTEXT. */
  tls?: TransportTlsOptions
  /** Give up connecting after this long (Java `socket.connection.setup.timeout.ms`). */
  connectTimeoutMs?: number
}

export interface TransportTlsOptions {
  ca?: string | Uint8Array | Array<string | Uint8Array>
  cert?: string | Uint8Array
  key?: string | Uint8Array
  passphrase?: string
  servername?: string
  rejectUnauthorized?: boolean
}

export interface Transport {
  connect(options: TransportConnectOptions): Promise<TransportSocket>
}

export interface TransportSocket {
  /**
   * Queues `chunks` for writing, in order, as one write (writev or cork/uncork): callers hand over every
   * request of an event-loop turn at once. `onWritten` runs once the bytes left the process or the socket
   * failed, which is when pooled memory behind the chunks may be reused.
   */
  write(chunks: readonly Uint8Array[], onWritten?: (error?: Error) => void): void
  /** Registers the single data listener; bytes arrive in arbitrary chunks (frames are split above). */
  onData(listener: (chunk: Uint8Array) => void): void
  /** Registers the single close listener; called exactly once, with the error if the socket failed. */
  onClose(listener: (error?: Error) => void): void
  /** Destroys the socket at once; pending writes fail and the close listener runs. */
  close(): void
}
