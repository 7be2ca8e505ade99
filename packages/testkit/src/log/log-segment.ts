/**
 * One growable run of stored batch bytes. Batches are copied in back to back, so a Fetch of consecutive
 * batches is one `subarray` view, as a Kafka broker serves a fetch from one segment file. The buffer starts
 * small and doubles up to `maxBytes`; a full segment is sealed and the log starts a new one.
 */
export class LogSegment {
  buffer: Uint8Array
  size = 0

  constructor(
    initialBytes: number,
    readonly maxBytes: number,
  ) {
    this.buffer = new Uint8Array(initialBytes)
  }

  /** True when `bytes` more fit without passing `maxBytes` (an empty segment takes any batch). */
  hasRoomFor(bytes: number): boolean {
    return this.size === 0 || this.size + bytes <= this.maxBytes
  }

  /** Copies `bytes` to the end; returns their position. */
  append(bytes: Uint8Array): number {
    const position = this.size
    const needed = position + bytes.length
    if (needed > this.buffer.length) {
      let capacity = this.buffer.length * 2
      while (capacity < needed) capacity *= 2
      const grown = new Uint8Array(Math.max(needed, Math.min(capacity, Math.max(this.maxBytes, needed))))
      grown.set(this.buffer.subarray(0, position))
      this.buffer = grown
    }
    this.buffer.set(bytes, position)
    this.size = needed
    return position
  }

  view(start: number, end: number): Uint8Array {
    return this.buffer.subarray(start, end)
  }
}
