import { connect as netConnect, type Socket } from 'node:net'
import { NetworkError } from '../errors/network-error.js'
import { TimeoutError } from '../errors/timeout-error.js'
import { NodeTransportSocket } from './node-transport-socket.js'
import type { Transport, TransportConnectOptions, TransportSocket } from './transport.js'

/** Socket options shared by the TCP and TLS transports (Java `send.buffer.bytes`, `receive.buffer.bytes`). */
export interface SocketOptions {
  /** TCP_NODELAY, as Java sets it. Default true: requests are already batched per event-loop turn. */
  noDelay?: boolean
  /** TCP keep-alive. Default true. */
  keepAlive?: boolean
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000

/**
 * The default transport: plain TCP (`node:net`), the PLAINTEXT and SASL_PLAINTEXT listeners. Opens the
 * connection within `connectTimeoutMs` (Java `socket.connection.setup.timeout.ms`).
 */
export class TcpTransport implements Transport {
  constructor(private readonly socketOptions: SocketOptions = {}) {}

  connect(options: TransportConnectOptions): Promise<TransportSocket> {
    if (options.tls !== undefined) {
      return Promise.reject(
        new NetworkError({
          retriable: false,
          message: `TLS options were given for ${options.host}:${options.port} but the transport is TcpTransport: use TlsTransport for SSL listeners.`,
        }),
      )
    }
    return openSocket(
      options,
      'connect',
      () => netConnect({ host: options.host, port: options.port }),
      this.socketOptions,
    )
  }
}

/** Connects with `create`, waits for `readyEvent`, applies the socket options, enforces the setup timeout. */
export function openSocket(
  options: TransportConnectOptions,
  readyEvent: 'connect' | 'secureConnect',
  create: () => Socket,
  socketOptions: SocketOptions,
): Promise<TransportSocket> {
  const description = `${options.host}:${options.port}`
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS
  return new Promise<TransportSocket>((resolve, reject) => {
    const socket = create()
    socket.setNoDelay(socketOptions.noDelay ?? true)
    socket.setKeepAlive(socketOptions.keepAlive ?? true)
    const timer = setTimeout(() => {
      socket.destroy()
      reject(
        new TimeoutError({
          timeout: 'socket.connection.setup.timeout.ms',
          timeoutMs,
          message: `Connecting to ${description} did not complete within socket.connection.setup.timeout.ms (${timeoutMs} ms).`,
        }),
      )
    }, timeoutMs)
    const onError = (error: Error) => {
      clearTimeout(timer)
      socket.destroy()
      reject(
        new NetworkError({ message: `Connection to ${description} failed: ${error.message}`, cause: error }),
      )
    }
    socket.once('error', onError)
    socket.once(readyEvent, () => {
      clearTimeout(timer)
      socket.off('error', onError)
      resolve(new NodeTransportSocket(socket, description))
    })
  })
}
