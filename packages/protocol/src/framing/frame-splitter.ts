import { InvalidFrameSizeError } from './invalid-frame-size-error.js'

/** Java brokers refuse requests above `socket.request.max.bytes`, 100 MiB by default; the same guard here. */
export const DEFAULT_MAX_FRAME_SIZE = 104_857_600

export interface FrameSplitterOptions {
  /** Largest frame accepted, in bytes (the size prefix excluded). Default 100 MiB. */
  maxFrameSize?: number
}

const NO_FRAMES: readonly Uint8Array[] = Object.freeze([])

/**
 * Cuts a byte stream into Kafka frames: each frame is a 4-byte big-endian size, then that many bytes.
 * `push` takes socket chunks as they arrive and returns the complete frames (the bytes after the size).
 *
 * No frame is copied twice: a frame inside one chunk comes back as a view of that chunk (so the caller
 * must not reuse the chunk's memory while it holds the frame); a frame spread over chunks is assembled
 * once into a buffer of exactly its size.
 */
export class FrameSplitter {
  readonly maxFrameSize: number
  /** The size prefix when it arrives split over chunks. */
  private readonly sizeBytes = new Uint8Array(4)
  private sizeFilled = 0
  /** The frame being assembled across chunks, if any. */
  private partial: Uint8Array | null = null
  private partialFilled = 0

  constructor(options: FrameSplitterOptions = {}) {
    this.maxFrameSize = options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE
  }

  /** True when bytes of an unfinished frame (or size prefix) are buffered. */
  get hasPartialFrame(): boolean {
    return this.partial !== null || this.sizeFilled > 0
  }

  /** Feeds one chunk; returns the frames it completes, in order. Throws `InvalidFrameSizeError` on a bad size. */
  push(chunk: Uint8Array): readonly Uint8Array[] {
    let frames: Uint8Array[] | undefined
    let offset = 0
    const length = chunk.length
    while (offset < length) {
      const partial = this.partial
      if (partial !== null) {
        const take = Math.min(partial.length - this.partialFilled, length - offset)
        partial.set(chunk.subarray(offset, offset + take), this.partialFilled)
        this.partialFilled += take
        offset += take
        if (this.partialFilled === partial.length) {
          if (frames === undefined) frames = []
          frames.push(partial)
          this.partial = null
        }
        continue
      }
      let size: number
      if (this.sizeFilled === 0 && length - offset >= 4) {
        size =
          (chunk[offset]! << 24) |
          (chunk[offset + 1]! << 16) |
          (chunk[offset + 2]! << 8) |
          chunk[offset + 3]! |
          0
        offset += 4
      } else {
        // The size prefix itself is split across chunks.
        while (this.sizeFilled < 4 && offset < length) this.sizeBytes[this.sizeFilled++] = chunk[offset++]!
        if (this.sizeFilled < 4) break
        const bytes = this.sizeBytes
        size = (bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]! | 0
        this.sizeFilled = 0
      }
      if (size < 0 || size > this.maxFrameSize) throw new InvalidFrameSizeError(size, this.maxFrameSize)
      if (length - offset >= size) {
        if (frames === undefined) frames = []
        frames.push(chunk.subarray(offset, offset + size))
        offset += size
      } else {
        const buffer = new Uint8Array(size)
        buffer.set(chunk.subarray(offset), 0)
        this.partial = buffer
        this.partialFilled = length - offset
        offset = length
      }
    }
    return frames ?? NO_FRAMES
  }
}
