// A Transport that wraps the embedded cluster's and turns the n-th Produce response into a hostile frame
// (checklist F17, franz-go's hostile_broker_test in spirit): a wrong correlation id, a frame cut short by a
// closed connection, an undecodable body, a size prefix beyond any limit, or a well-formed response about a
// partition the request never named. The broker applied the request each time; only the answer is bad.
import { decodeResponseHeader, encodeResponse, FrameSplitter } from '@x/protocol'
import { apiCodecs, type Transport, type TransportConnectOptions, type TransportSocket } from '@x/testkit'

export type HostileFrame =
  | 'wrong-correlation-id'
  | 'truncated-frame'
  | 'garbage-body'
  | 'oversized-frame'
  | 'unknown-partition'

const PRODUCE = 0

function sizePrefixed(frame: Uint8Array): Uint8Array {
  const out = new Uint8Array(frame.length + 4)
  new DataView(out.buffer).setInt32(0, frame.length)
  out.set(frame, 4)
  return out
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0))
  let at = 0
  for (const chunk of chunks) {
    out.set(chunk, at)
    at += chunk.length
  }
  return out
}

export class HostileTransport implements Transport {
  private produceResponses = 0
  /** Hostile frames delivered so far. */
  injected = 0

  /** `frame` replaces the Produce responses numbered `at` (1-based, across connections). */
  constructor(
    private readonly inner: Transport,
    private readonly frame: HostileFrame,
    private readonly at: readonly number[],
  ) {}

  async connect(options: TransportConnectOptions): Promise<TransportSocket> {
    const socket = await this.inner.connect(options)
    const requests = new Map<number, { apiKey: number; apiVersion: number }>()
    const outgoing = new FrameSplitter()
    const incoming = new FrameSplitter()
    let listener: (chunk: Uint8Array) => void = () => undefined
    let closed = false
    socket.onData((chunk) => {
      if (closed) return
      for (const frame of incoming.push(chunk)) {
        const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength)
        const correlationId = view.getInt32(0)
        const request = requests.get(correlationId)
        requests.delete(correlationId)
        if (request?.apiKey === PRODUCE && this.at.includes(++this.produceResponses)) {
          this.injected++
          const hostile = this.corrupt(frame, correlationId, request.apiVersion)
          if (hostile === 'close') {
            listener(sizePrefixed(frame).subarray(0, 4 + (frame.length >> 1)))
            closed = true
            socket.close()
            return
          }
          listener(hostile)
          if (this.frame === 'oversized-frame') return // nothing after it can be framed anyway
          continue
        }
        listener(sizePrefixed(frame))
      }
    })
    return {
      write: (chunks, onWritten) => {
        for (const frame of outgoing.push(concat(chunks))) {
          const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength)
          requests.set(view.getInt32(4), { apiKey: view.getInt16(0), apiVersion: view.getInt16(2) })
        }
        socket.write(chunks, onWritten)
      },
      onData: (next) => {
        listener = next
      },
      onClose: (next) => socket.onClose(next),
      close: () => {
        closed = true
        socket.close()
      },
    }
  }

  private corrupt(frame: Uint8Array, correlationId: number, apiVersion: number): Uint8Array | 'close' {
    switch (this.frame) {
      case 'wrong-correlation-id': {
        const copy = sizePrefixed(frame)
        new DataView(copy.buffer).setInt32(4, correlationId + 7_777)
        return copy
      }
      case 'truncated-frame':
        return 'close'
      case 'garbage-body': {
        const copy = sizePrefixed(frame)
        copy.fill(0xff, 8 + 1) // keep size and correlation id (and a flexible header's tag count)
        return copy
      }
      case 'oversized-frame':
        return new Uint8Array([0x7f, 0xff, 0xff, 0xff])
      case 'unknown-partition': {
        const codec = apiCodecs.Produce
        const { reader } = decodeResponseHeader(frame, codec.api.apiKey, apiVersion)
        const body = codec.readResponse(reader, apiVersion)
        for (const topic of body.responses)
          for (const partition of topic.partitionResponses) partition.index += 1_000
        return concat(
          encodeResponse({ api: codec.api, apiVersion, correlationId, body, writeBody: codec.writeResponse }),
        )
      }
    }
  }
}
