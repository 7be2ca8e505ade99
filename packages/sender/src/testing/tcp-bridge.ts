import { createServer, type Server, type Socket } from 'node:net'
import { createServer as createTlsServer } from 'node:tls'
import type { FakeCluster } from './fake-cluster.js'

let nextBridgeSocketId = 100_000

/**
 * Serves one fake broker over a real TCP (or TLS) listener on 127.0.0.1 (test-only), so the real transports
 * can be tested against it. Returns the port and a close function.
 */
export async function serveOverTcp(
  cluster: FakeCluster,
  nodeId: number,
  tls?: { key: string; cert: string },
): Promise<{ port: number; close(): Promise<void> }> {
  const listener = cluster.listeners.get(nodeId)
  if (listener === undefined) throw new Error(`fake cluster has no broker ${nodeId}`)
  const sockets = new Set<Socket>()
  const onConnection = (socket: Socket) => {
    sockets.add(socket)
    let closed = false
    const handlers = listener.accept({
      id: nextBridgeSocketId++,
      send: (bytes: Uint8Array) => {
        if (!closed) socket.write(bytes)
      },
      close: () => socket.destroy(),
      get closed() {
        return closed
      },
    })
    socket.on('data', (chunk) => handlers.onData(new Uint8Array(chunk)))
    socket.on('error', () => {})
    socket.on('close', () => {
      closed = true
      sockets.delete(socket)
      handlers.onClose()
    })
  }
  const server: Server = tls === undefined ? createServer(onConnection) : createTlsServer(tls, onConnection)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
