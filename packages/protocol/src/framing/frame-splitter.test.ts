// Frames are Kafka's size-delimited messages: a 4-byte big-endian int32 size, then that many bytes (the
// protocol guide's "Common Request and Response Structure").
import { describe, expect, it } from 'vitest'
import { FrameSplitter } from './frame-splitter.js'
import { InvalidFrameSizeError } from './invalid-frame-size-error.js'

function frame(body: number[]): number[] {
  const size = body.length
  return [(size >>> 24) & 0xff, (size >>> 16) & 0xff, (size >>> 8) & 0xff, size & 0xff, ...body]
}

const bodies = [[1, 2, 3, 4, 5], [], [9], Array.from({ length: 300 }, (_, index) => index & 0xff)]
const stream = new Uint8Array(bodies.flatMap(frame))

function collect(splitter: FrameSplitter, chunks: Uint8Array[]): number[][] {
  const frames: number[][] = []
  for (const chunk of chunks) for (const found of splitter.push(chunk)) frames.push([...found])
  return frames
}

describe('FrameSplitter', () => {
  it('returns every frame of a stream delivered in one chunk, as views of that chunk', () => {
    const splitter = new FrameSplitter()
    const frames = splitter.push(stream)
    expect(frames.map((found) => [...found])).toEqual(bodies)
    for (const found of frames) expect(found.buffer).toBe(stream.buffer)
    expect(splitter.hasPartialFrame).toBe(false)
  })

  it('reassembles the stream split into two chunks at every byte position', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const splitter = new FrameSplitter()
      expect(collect(splitter, [stream.subarray(0, cut), stream.subarray(cut)])).toEqual(bodies)
      expect(splitter.hasPartialFrame).toBe(false)
    }
  })

  it('reassembles the stream delivered one byte at a time', () => {
    const splitter = new FrameSplitter()
    const chunks = Array.from(stream, (byte) => new Uint8Array([byte]))
    expect(collect(splitter, chunks)).toEqual(bodies)
  })

  it('assembles a frame spread over chunks once, into a buffer of exactly its size', () => {
    const splitter = new FrameSplitter()
    const whole = new Uint8Array(frame(bodies[3]!))
    expect(splitter.push(whole.subarray(0, 10))).toHaveLength(0)
    expect(splitter.hasPartialFrame).toBe(true)
    const [assembled] = splitter.push(whole.subarray(10))
    expect(assembled!.byteLength).toBe(300)
    expect(assembled!.buffer.byteLength).toBe(300)
    expect(assembled!.buffer).not.toBe(whole.buffer)
  })

  it('rejects a negative size with InvalidFrameSizeError', () => {
    const splitter = new FrameSplitter()
    expect(() => splitter.push(new Uint8Array([0xff, 0xff, 0xff, 0xfe]))).toThrow(InvalidFrameSizeError)
  })

  it('rejects a size above maxFrameSize, also when the prefix arrives split', () => {
    const splitter = new FrameSplitter({ maxFrameSize: 1000 })
    expect(splitter.push(new Uint8Array([0, 0]))).toHaveLength(0)
    expect(() => splitter.push(new Uint8Array([0x03, 0xe9]))).toThrow(/exceeds maxFrameSize 1000/)
    // a TLS handshake record read as a size: 0x16030100 bytes
    expect(() => new FrameSplitter().push(new Uint8Array([0x16, 0x03, 0x01, 0x00]))).toThrow(
      InvalidFrameSizeError,
    )
  })

  it('accepts a frame of exactly maxFrameSize', () => {
    const splitter = new FrameSplitter({ maxFrameSize: 3 })
    expect(collect(splitter, [new Uint8Array(frame([7, 8, 9]))])).toEqual([[7, 8, 9]])
  })

  it('carries the error details: size and limit', () => {
    try {
      new FrameSplitter({ maxFrameSize: 10 }).push(new Uint8Array([0, 0, 0, 11]))
      expect.unreachable()
    } catch (error) {
      expect(InvalidFrameSizeError.isInstance(error)).toBe(true)
      expect(error).toMatchObject({
        size: 11,
        maxFrameSize: 10,
        code: 'INVALID_FRAME_SIZE',
        retriable: false,
      })
    }
  })
})
