// Example (README "A custom transport"): a Transport that wraps another one and counts the bytes each broker
// connection writes — the same seam a proxy, a socket with special options or a fault injector plugs into.
// Wraps @x/testkit's in-memory transport here; wrap `new TcpTransport()` from @x/sender for real brokers.
import { KafkaProducer } from '@x/producer'
import type { Transport, TransportConnectOptions, TransportSocket } from '@x/sender'
import { EmbeddedKafkaCluster } from '@x/testkit'
import { expect, it } from 'vitest'

class CountingTransport implements Transport {
  readonly bytesWritten = new Map<string, number>()

  constructor(private readonly inner: Transport) {}

  async connect(options: TransportConnectOptions): Promise<TransportSocket> {
    const socket = await this.inner.connect(options)
    const address = `${options.host}:${options.port}`
    return {
      write: (chunks, onWritten) => {
        let bytes = 0
        for (const chunk of chunks) bytes += chunk.byteLength
        this.bytesWritten.set(address, (this.bytesWritten.get(address) ?? 0) + bytes)
        socket.write(chunks, onWritten)
      },
      onData: (listener) => socket.onData(listener),
      onClose: (listener) => socket.onClose(listener),
      close: () => socket.close(),
    }
  }
}

it('sends through a custom transport', async () => {
  const cluster = await EmbeddedKafkaCluster.start({ listen: false, topics: ['metrics'] })
  const transport = new CountingTransport(cluster.transport)
  const producer = new KafkaProducer({
    bootstrapServers: cluster.bootstrapServers,
    transport,
    enableIdempotence: false,
  })
  await producer.send({ topic: 'metrics', value: 'cpu=0.42' })
  await producer.close()
  const total = [...transport.bytesWritten.values()].reduce((sum, bytes) => sum + bytes, 0)
  expect(total).toBeGreaterThan(0)
  expect(cluster.records('metrics', 0)).toHaveLength(1)
  await cluster.stop()
})
