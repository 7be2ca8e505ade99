import { createServer, type Server, type Socket } from 'node:net'
import type { BrokerListener, BrokerNode } from '../cluster/broker-node.js'
import type { ClusterModel } from '../cluster/cluster-model.js'
import { TestkitError } from '../testkit-error.js'
import { BrokerConnection } from './broker-connection.js'

/**
 * A broker's TCP listener on loopback. `close` stops accepting (connects are refused) and `listen` reopens
 * on the same port, so a broker can go down and come back at the address clients know.
 */
export class TcpListener implements BrokerListener {
  private server: Server | undefined
  private readonly sockets = new Set<Socket>()

  constructor(
    private readonly model: ClusterModel,
    private readonly broker: BrokerNode,
  ) {}

  /** Listens on the broker's port (0 picks a free one and records it on the broker). */
  listen(): Promise<void> {
    const server = createServer({ noDelay: true }, (socket) => this.accept(socket))
    this.server = server
    return new Promise((resolve, reject) => {
      server.once('error', (error) =>
        reject(
          new TestkitError(
            'CONNECTION_REFUSED',
            `Broker ${this.broker.id} cannot listen on ${this.broker.host}:${this.broker.port}: ${error.message}`,
            {
              cause: error,
            },
          ),
        ),
      )
      server.listen({ host: this.broker.host, port: this.broker.port, exclusive: true }, () => {
        const address = server.address()
        if (address !== null && typeof address === 'object') this.broker.port = address.port
        resolve()
      })
    })
  }

  close(): Promise<void> {
    const server = this.server
    this.server = undefined
    for (const socket of this.sockets) socket.destroy()
    this.sockets.clear()
    if (server === undefined) return Promise.resolve()
    return new Promise((resolve) => server.close(() => resolve()))
  }

  private accept(socket: Socket): void {
    if (!this.broker.isUp) {
      socket.destroy()
      return
    }
    socket.setNoDelay(true)
    this.sockets.add(socket)
    const connection = new BrokerConnection(this.model, this.broker, {
      write(chunks) {
        if (socket.destroyed) return
        socket.cork()
        for (const chunk of chunks) socket.write(chunk)
        socket.uncork()
      },
      close() {
        socket.destroy()
      },
    })
    socket.on('data', (chunk: Buffer) => connection.receive(chunk))
    socket.on('error', () => {
      // the 'close' event follows and ends the connection; a reset by the client is no broker error
    })
    socket.on('close', () => {
      this.sockets.delete(socket)
      connection.peerClosed()
    })
  }
}
