import { connect, type Socket } from 'node:net'
import { createServer, type TLSSocket } from 'node:tls'

/**
 * A TLS listener on 127.0.0.1 that forwards each connection in plain TCP to `target` (test-only): TLS in
 * front of an @x/testkit broker, which serves PLAINTEXT only, so the TLS transport can be tested end to end.
 */
export async function serveTlsInFront(
  target: { host: string; port: number },
  tls: { key: string; cert: string },
): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket | TLSSocket>()
  const server = createServer(tls, (secure) => {
    const plain = connect(target.port, target.host)
    for (const socket of [secure, plain]) {
      sockets.add(socket)
      socket.on('error', () => {}) // the other side's close ends both
      socket.on('close', () => {
        sockets.delete(socket)
        secure.destroy()
        plain.destroy()
      })
    }
    secure.pipe(plain)
    plain.pipe(secure)
  })
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
