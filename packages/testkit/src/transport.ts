/**
 * The byte-pipe contract of @x/sender's `Transport`, restated here so @x/testkit depends on @x/protocol
 * only: TypeScript matches the two structurally, so `cluster.transport` plugs into the sender as is.
 */
export interface TransportConnectOptions {
  host: string
  port: number
  /** TLS is not served by the embedded cluster; the field exists for structural compatibility. */
  tls?: unknown
  connectTimeoutMs?: number
}

export interface Transport {
  connect(options: TransportConnectOptions): Promise<TransportSocket>
}

export interface TransportSocket {
  /** Queues `chunks` as one write; `onWritten` runs once they left (or the connection failed). */
  write(chunks: readonly Uint8Array[], onWritten?: (error?: Error) => void): void
  /** The single data listener; bytes arrive in arbitrary chunks. */
  onData(listener: (chunk: Uint8Array) => void): void
  /** The single close listener, called exactly once (with the error if the connection failed). */
  onClose(listener: (error?: Error) => void): void
  /** Destroys the connection at once. */
  close(): void
}
