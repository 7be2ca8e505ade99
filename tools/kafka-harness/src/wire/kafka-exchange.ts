import { connect } from 'node:net'
import { KafkaHarnessError } from '../kafka-harness-error.js'

export interface BrokerAddress {
  host: string
  port: number
}

/** Parses `host:port` (the first of a comma-separated bootstrap list when given one). */
export function parseAddress(bootstrap: string): BrokerAddress {
  const first = bootstrap.split(',')[0]!.trim()
  const colon = first.lastIndexOf(':')
  const port = Number(first.slice(colon + 1))
  if (colon <= 0 || !Number.isInteger(port)) {
    throw new KafkaHarnessError('INVALID_OPTION', `"${bootstrap}" is not host:port (bootstrap servers)`)
  }
  return { host: first.slice(0, colon), port }
}

/**
 * Sends one size-prefixed request frame on a fresh connection and resolves with the response frame that
 * follows (without its 4-byte size prefix), then closes the socket. One request per connection keeps the
 * harness's probes independent of the client being built in this repository.
 */
export function exchange(
  address: BrokerAddress,
  frame: Uint8Array | Uint8Array[],
  timeoutMs = 5_000,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address.host, port: address.port })
    const chunks: Buffer[] = []
    let received = 0
    const fail = (error: Error) => {
      socket.destroy()
      reject(error)
    }
    socket.setTimeout(timeoutMs, () =>
      fail(
        new KafkaHarnessError(
          'TIMEOUT',
          `no response from ${address.host}:${address.port} within ${timeoutMs} ms (is the broker up, or stopped with SIGSTOP?)`,
        ),
      ),
    )
    socket.on('error', (error) =>
      fail(
        new KafkaHarnessError(
          'PROTOCOL_ERROR',
          `connection to ${address.host}:${address.port} failed: ${error.message}`,
          error,
        ),
      ),
    )
    socket.on('connect', () => {
      for (const part of Array.isArray(frame) ? frame : [frame]) socket.write(part)
    })
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk)
      received += chunk.length
      if (received < 4) return
      const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)
      const size = all.readInt32BE(0)
      if (received >= 4 + size) {
        socket.destroy()
        resolve(all.subarray(4, 4 + size))
      }
    })
    socket.on('end', () =>
      fail(
        new KafkaHarnessError(
          'PROTOCOL_ERROR',
          `${address.host}:${address.port} closed the connection before answering`,
        ),
      ),
    )
  })
}
