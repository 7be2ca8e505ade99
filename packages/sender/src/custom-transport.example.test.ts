// The README's example, run as a test: a custom Transport wrapping TcpTransport, under the full stack (buffer
// pool, accumulator, sender) producing to @x/testkit's embedded broker on a real 127.0.0.1 listener. Keep the
// code between the markers identical to README.md (only the bootstrap address differs).
import { RecordAccumulator, recordBatchBuilderFactory } from '@x/accumulator'
import { BufferPool } from '@x/buffer-pool'
import { EmbeddedKafkaCluster } from '@x/testkit'
import { describe, expect, it } from 'vitest'
import {
  createSender,
  TcpTransport,
  type Transport,
  type TransportConnectOptions,
  type TransportSocket,
} from './index.js'

describe('README example', () => {
  it('produces a record through a custom transport that meters bytes', async () => {
    const kafka = await EmbeddedKafkaCluster.start({ topics: [{ name: 'orders', partitions: 3 }] })
    const bootstrapServers = kafka.bootstrapServers
    try {
      // --- README example start ---
      /** Counts the bytes sent to and received from brokers, over the default TCP transport. */
      class MeteredTransport implements Transport {
        bytesOut = 0
        bytesIn = 0
        constructor(private readonly inner: Transport = new TcpTransport()) {}

        async connect(options: TransportConnectOptions): Promise<TransportSocket> {
          const socket = await this.inner.connect(options)
          return {
            write: (chunks, onWritten) => {
              for (const chunk of chunks) this.bytesOut += chunk.byteLength
              socket.write(chunks, onWritten)
            },
            onData: (listener) =>
              socket.onData((chunk) => {
                this.bytesIn += chunk.byteLength
                listener(chunk)
              }),
            onClose: (listener) => socket.onClose(listener),
            close: () => socket.close(),
          }
        }
      }

      const transport = new MeteredTransport()
      const accumulator = new RecordAccumulator({
        batchSize: 16_384,
        lingerMs: 5,
        bufferPool: new BufferPool({ totalMemory: 32 * 1024 * 1024, poolableSize: 16_384 }),
        recordsBuilderFactory: recordBatchBuilderFactory(),
      })
      const { sender, metadata } = createSender({ bootstrapServers, accumulator, transport, acks: 'all' })
      sender.start()

      const cluster = await metadata.waitOnMetadata('orders', undefined, 60_000, Date.now())
      const offset = await new Promise<bigint>((resolve, reject) => {
        const completion = {
          onCompletion: (batch: { baseOffset: bigint }, index: number, error: Error | undefined) =>
            error ? reject(error) : resolve(batch.baseOffset + BigInt(index)),
        }
        const value = new TextEncoder().encode('hello')
        accumulator.append(
          'orders',
          0,
          Date.now(),
          null,
          value,
          null,
          completion,
          60_000,
          false,
          Date.now(),
          cluster,
        )
      })
      console.log(`offset ${offset}, ${transport.bytesOut} bytes out, ${transport.bytesIn} bytes in`)
      await sender.close()
      // --- README example end ---

      expect(offset).toBe(0n)
      expect(transport.bytesOut).toBeGreaterThan(0)
      expect(transport.bytesIn).toBeGreaterThan(0)
      expect(kafka.records('orders', 0).map((r) => new TextDecoder().decode(r.value!))).toEqual(['hello'])
    } finally {
      await kafka.stop()
    }
  })
})
