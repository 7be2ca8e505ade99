import { connect, type Socket } from 'node:net'
import { TestkitError } from '../testkit-error.js'
import type { Transport, TransportConnectOptions, TransportSocket } from '../transport.js'

class TcpSocket implements TransportSocket {
  private closeListener: ((error?: Error) => void) | undefined
  private closed: { error?: Error } | undefined
  private reported = false

  constructor(private readonly socket: Socket) {
    socket.on('error', (error) => {
      this.closed ??= { error }
    })
    socket.on('close', () => {
      this.closed ??= {}
      this.report()
    })
  }

  write(chunks: readonly Uint8Array[], onWritten?: (error?: Error) => void): void {
    if (this.socket.destroyed) {
      queueMicrotask(() =>
        onWritten?.(new TestkitError('CONNECTION_CLOSED', 'Write on a closed TCP connection')),
      )
      return
    }
    this.socket.cork()
    for (let index = 0; index < chunks.length; index++) {
      const last = index === chunks.length - 1
      this.socket.write(
        chunks[index]!,
        last && onWritten !== undefined ? (error) => onWritten(error ?? undefined) : undefined,
      )
    }
    this.socket.uncork()
  }

  onData(listener: (chunk: Uint8Array) => void): void {
    this.socket.on('data', listener)
  }

  onClose(listener: (error?: Error) => void): void {
    this.closeListener = listener
    if (this.closed !== undefined && this.socket.destroyed) this.report()
  }

  close(): void {
    this.socket.destroy()
  }

  private report(): void {
    if (this.reported || this.closeListener === undefined) return
    this.reported = true
    this.closeListener(this.closed?.error)
  }
}

/** A plain TCP `Transport` (no TLS), for the wire client and benchmarks over loopback. */
export const tcpTransport: Transport = {
  connect(options: TransportConnectOptions): Promise<TransportSocket> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: options.host, port: options.port, noDelay: true })
      let timer: NodeJS.Timeout | undefined
      if (options.connectTimeoutMs !== undefined) {
        timer = setTimeout(() => {
          socket.destroy()
          reject(
            new TestkitError(
              'TIMEOUT',
              `Connecting to ${options.host}:${options.port} took longer than ${options.connectTimeoutMs} ms`,
              { retriable: true },
            ),
          )
        }, options.connectTimeoutMs)
      }
      const onError = (error: Error) => {
        clearTimeout(timer)
        reject(
          new TestkitError(
            'CONNECTION_REFUSED',
            `Cannot connect to ${options.host}:${options.port}: ${error.message}`,
            { retriable: true, cause: error },
          ),
        )
      }
      socket.once('error', onError)
      socket.once('connect', () => {
        clearTimeout(timer)
        socket.off('error', onError)
        resolve(new TcpSocket(socket))
      })
    })
  },
}
