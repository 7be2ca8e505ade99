// The in-memory transport's socket contract (the @x/sender Transport, implemented structurally): bytes in
// order and never delivered inside the caller's own write, `onWritten` after the broker took them, one
// close notification whichever side closes, and failed writes after a close.
import {
  encodeRequest,
  FrameSplitter,
  metadataApi,
  peekCorrelationId,
  writeMetadataRequest,
} from '@x/protocol'
import { describe, expect, it } from 'vitest'
import { useCluster } from '../testing/cluster-fixture.js'

function metadataFrame(correlationId: number): Uint8Array[] {
  return encodeRequest({
    api: metadataApi,
    apiVersion: 12,
    correlationId,
    clientId: 'test',
    body: { topics: null },
    writeBody: writeMetadataRequest,
  })
}

describe('InMemoryTransport', () => {
  const { cluster } = useCluster({ listen: false })

  async function open() {
    const broker = cluster().brokers[0]!
    return cluster().transport.connect({ host: broker.host, port: broker.port })
  }

  it('delivers responses in request order, after the write returned, in chunks a frame splitter reassembles', async () => {
    const socket = await open()
    const splitter = new FrameSplitter()
    const correlationIds: number[] = []
    let inWrite = false
    socket.onData((chunk) => {
      expect(inWrite).toBe(false)
      for (const frame of splitter.push(chunk)) correlationIds.push(peekCorrelationId(frame))
    })
    const written: (Error | undefined)[] = []
    inWrite = true
    for (let id = 1; id <= 5; id++) socket.write(metadataFrame(id), (error) => written.push(error))
    inWrite = false
    expect(written).toEqual([])
    await new Promise((resolve) => setImmediate(resolve))
    expect(written).toEqual([undefined, undefined, undefined, undefined, undefined])
    expect(correlationIds).toEqual([1, 2, 3, 4, 5])
    socket.close()
  })

  it('notifies close once when the client closes, and fails later writes', async () => {
    const socket = await open()
    const closes: (Error | undefined)[] = []
    socket.onClose((error) => closes.push(error))
    socket.close()
    socket.close()
    const failed = await new Promise<Error | undefined>((resolve) => socket.write(metadataFrame(1), resolve))
    expect(failed).toMatchObject({ code: 'CONNECTION_CLOSED' })
    await new Promise((resolve) => setImmediate(resolve))
    expect(closes).toEqual([undefined])
    expect(cluster().requestLog.entries()).toEqual([])
  })

  it('notifies close with an error when the broker drops the connection', async () => {
    const socket = await open()
    const closed = new Promise<Error | undefined>((resolve) => socket.onClose(resolve))
    socket.onData(() => {})
    await cluster().faults.brokerDown(1)
    await expect(closed).resolves.toMatchObject({ code: 'CONNECTION_CLOSED', retriable: true })
  })
})
