import { existsSync, readFileSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { CliUsageError } from '../cli-usage-error.js'

const A = 65
const encoder = new TextEncoder()

/**
 * The records' values, as ProducerPerformance makes them: `--record-size` random A–Z bytes (new bytes for
 * every record, so batches compress as Java's do), `--payload-file` values picked at random, or
 * `--payload-monotonic` the record's number in decimal. Deterministic: the same seed gives the same run.
 *
 * Java draws from `SplittableRandom(0)`; this draws from a 32-bit xorshift with a fixed seed, which gives
 * the same distribution (uniform letters) but other bytes.
 */
export class PayloadSource {
  private state = 0x9e3779b9
  private buffer: Uint8Array | undefined

  private constructor(
    private readonly recordSize: number | undefined,
    private readonly payloads: readonly Uint8Array[],
    private readonly monotonic: boolean,
  ) {}

  static randomLetters(recordSize: number): PayloadSource {
    return new PayloadSource(recordSize, [], false)
  }

  static fromPayloads(payloads: readonly Uint8Array[]): PayloadSource {
    return new PayloadSource(undefined, payloads, false)
  }

  static monotonic(): PayloadSource {
    return new PayloadSource(undefined, [], true)
  }

  /**
   * The value of record `index`. With `--record-size` the same buffer is refilled while `reuse` is true —
   * pass false when the producer may still hold the previous one (a send waiting for metadata or memory).
   */
  next(index: number, reuse: boolean): Uint8Array {
    if (this.payloads.length > 0) return this.payloads[this.nextInt(this.payloads.length)]!
    if (this.monotonic) return encoder.encode(String(index))
    const size = this.recordSize!
    const buffer = reuse && this.buffer !== undefined ? this.buffer : new Uint8Array(size)
    this.buffer = buffer
    let state = this.state
    for (let at = 0; at < size; at++) {
      state ^= state << 13
      state ^= state >>> 17
      state ^= state << 5
      buffer[at] = A + ((((state >>> 0) * 26) / 0x1_0000_0000) | 0)
    }
    this.state = state
    return buffer
  }

  private nextInt(bound: number): number {
    let state = this.state
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    this.state = state
    return Math.floor(((state >>> 0) * bound) / 0x1_0000_0000)
  }
}

/**
 * Reads `--payload-file` as ProducerPerformance does (a `Scanner` over UTF-8 text with the delimiter as a
 * regular expression): one leading delimiter is skipped, values are what lies between delimiters (empty
 * ones included), and nothing after a final delimiter. Prints the tool's two lines about it.
 *
 * @throws CliUsageError when the file is missing or empty.
 */
export function readPayloadFile(
  path: string,
  delimiter: string,
  print: (line: string) => void,
): Uint8Array[] {
  const absolute = resolve(path)
  print(`Reading payloads from: ${absolute}`)
  if (!existsSync(absolute) || statSync(absolute).size === 0) {
    throw new CliUsageError({
      command: 'perf',
      message: `File does not exist or empty file provided: --payload-file ${path}.`,
    })
  }
  const pattern = `(?:${delimiter})`
  const text = readFileSync(absolute, 'utf8').replace(new RegExp(`^${pattern}`), '')
  const values = text.split(new RegExp(pattern))
  if (values.at(-1) === '') values.pop()
  print(`Number of messages read: ${values.length}`)
  if (values.length === 0) {
    throw new CliUsageError({
      command: 'perf',
      message: `--payload-file ${path} holds no payload between its delimiters ('${delimiter}').`,
    })
  }
  return values.map((value) => encoder.encode(value))
}
