/**
 * Cuts a byte stream into messages at a delimiter of any length (kcat's `-D`), chunk by chunk. A message
 * inside one chunk is a view of it (no copy); one spread over chunks is joined once, when it completes. The
 * delimiter is not part of any message. Views are never written to afterwards, so a producer may hold them.
 */
export class DelimitedSplitter {
  private readonly delimiter: Buffer
  private pending: Buffer[] = []
  private pendingLength = 0

  constructor(
    delimiter: Uint8Array,
    private readonly onMessage: (message: Buffer) => void,
  ) {
    this.delimiter = Buffer.from(delimiter)
  }

  /** Feeds the next chunk of input; calls `onMessage` for every message it completes, in order. */
  push(chunk: Uint8Array): void {
    let data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    const size = this.delimiter.length
    if (this.pendingLength > 0) {
      const straddle = this.straddlingDelimiter(data)
      if (straddle !== undefined) {
        const joined = Buffer.concat(this.pending, this.pendingLength)
        this.clear()
        this.onMessage(joined.subarray(0, straddle.messageLength))
        data = data.subarray(straddle.resumeAt)
      } else {
        const end = data.indexOf(this.delimiter)
        if (end === -1) {
          this.keep(data)
          return
        }
        const joined = Buffer.concat([...this.pending, data.subarray(0, end)], this.pendingLength + end)
        this.clear()
        this.onMessage(joined)
        data = data.subarray(end + size)
      }
    }
    let start = 0
    for (let end = data.indexOf(this.delimiter); end !== -1; end = data.indexOf(this.delimiter, start)) {
      this.onMessage(data.subarray(start, end))
      start = end + size
    }
    if (start < data.length) this.keep(data.subarray(start))
  }

  /** The input ended: whatever follows the last delimiter is the last message (if any). */
  end(): void {
    if (this.pendingLength === 0) return
    const last = Buffer.concat(this.pending, this.pendingLength)
    this.clear()
    this.onMessage(last)
  }

  /**
   * A delimiter that begins in the pending bytes and ends in `data`: the length of the message before it and
   * where `data` resumes after it. Undefined when there is none (always for a one-byte delimiter).
   */
  private straddlingDelimiter(data: Buffer): { messageLength: number; resumeAt: number } | undefined {
    const size = this.delimiter.length
    if (size === 1) return undefined
    const tail = this.pendingTail(Math.min(size - 1, this.pendingLength))
    const at = Buffer.concat([tail, data.subarray(0, size - 1)]).indexOf(this.delimiter)
    if (at === -1 || at >= tail.length) return undefined
    return { messageLength: this.pendingLength - tail.length + at, resumeAt: size - tail.length + at }
  }

  /** The last `length` pending bytes, gathered from the end of the pending chunks. */
  private pendingTail(length: number): Buffer {
    const parts: Buffer[] = []
    let needed = length
    for (let index = this.pending.length - 1; index >= 0 && needed > 0; index--) {
      const part = this.pending[index]!
      parts.unshift(part.subarray(Math.max(0, part.length - needed)))
      needed -= Math.min(needed, part.length)
    }
    return Buffer.concat(parts, length)
  }

  private keep(data: Buffer): void {
    this.pending.push(data)
    this.pendingLength += data.length
  }

  private clear(): void {
    this.pending = []
    this.pendingLength = 0
  }
}
