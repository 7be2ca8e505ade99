import { createReadStream, readFileSync } from 'node:fs'
import type { Readable } from 'node:stream'
import type { KafkaProducer, RecordMetadata, SendCallback } from '@x/producer'
import type { CliOutput } from '../cli-io.js'
import { DelimitedSplitter } from './delimited-splitter.js'
import { toKeyedMessage } from './keyed-message.js'
import type { ProduceOptions } from './produce-options.js'

/** How many delivery failures are printed one by one before only the count is kept. */
const PRINTED_FAILURES = 10

/**
 * One `x-kafka produce` run: reads messages (delimited stream, or one per file), sends each as a record
 * with the producer's own back-pressure, tees them, and counts what the broker acknowledged or failed.
 */
export class ProduceRun {
  private accepted = 0
  private delivered = 0
  private failed = 0
  private readonly pending: Buffer[] = []
  private readonly splitter: DelimitedSplitter
  private readonly callback: SendCallback

  constructor(
    private readonly producer: KafkaProducer<Uint8Array, Uint8Array>,
    private readonly options: ProduceOptions,
    private readonly stdout: CliOutput,
    private readonly stderr: CliOutput,
    private readonly signal?: AbortSignal,
  ) {
    this.splitter = new DelimitedSplitter(options.delimiter, (message) => this.pending.push(message))
    // one callback for every record: the metadata names the topic and partition of a failed one
    this.callback = (metadata: RecordMetadata, error: Error | undefined) => {
      if (error === undefined) {
        this.delivered++
        return
      }
      if (++this.failed <= PRINTED_FAILURES) {
        this.stderr.write(
          `x-kafka produce: delivery failed for a record to ${metadata.topic} [${metadata.partition}]: ${error.message}\n`,
        )
      }
    }
  }

  /** Records the producer accepted, acknowledged and failed so far. */
  get counts(): { accepted: number; delivered: number; failed: number } {
    return { accepted: this.accepted, delivered: this.delivered, failed: this.failed }
  }

  /**
   * Reads `input` to its end (or `-c` records, or an abort), splitting at the delimiter; empty messages are
   * skipped. After an abort, what was read is still sent.
   */
  async produceStream(input: Readable): Promise<void> {
    const stop = () => input.destroy()
    if (this.signal?.aborted) return
    this.signal?.addEventListener('abort', stop, { once: true })
    try {
      for await (const chunk of input) {
        this.splitter.push(chunk as Buffer)
        if (!(await this.sendPending())) return
      }
    } catch (error) {
      if (!this.signal?.aborted) throw error
    } finally {
      this.signal?.removeEventListener('abort', stop)
    }
    // interrupted: a message cut off by the interruption is not sent (kcat sends only whole ones then too)
    if (this.signal?.aborted) return
    this.splitter.end()
    await this.sendPending()
  }

  /** `-l`: the one file, read as a delimited stream. */
  produceLines(path: string): Promise<void> {
    return this.produceStream(createReadStream(path))
  }

  /** Without `-l`: each file is one record (empty files are skipped, as kcat does). */
  async produceFiles(paths: readonly string[]): Promise<void> {
    for (const path of paths) {
      if (this.signal?.aborted) return
      const content = readFileSync(path)
      if (content.length === 0) continue
      if (!this.send(content, false)) return
      const wait = this.producer.backPressure()
      if (wait !== undefined) await wait
    }
  }

  /** Sends the messages split so far; false once `-c` is reached. */
  private async sendPending(): Promise<boolean> {
    const messages = this.pending
    for (let index = 0; index < messages.length; index++) {
      if (!this.send(messages[index]!, this.options.tee)) {
        messages.length = 0
        return false
      }
      const wait = this.producer.backPressure()
      if (wait !== undefined) await wait
    }
    messages.length = 0
    return true
  }

  /** Hands one message to the producer (throws as `send()` does); false when `-c` records were sent. */
  private send(message: Buffer, tee: boolean): boolean {
    if (message.length === 0) return true
    const { key, value } = toKeyedMessage(message, this.options)
    const { topic, partition, headers } = this.options
    this.producer.send(
      {
        topic,
        key,
        value,
        ...(partition === undefined ? {} : { partition }),
        ...(headers.length === 0 ? {} : { headers }),
      },
      this.callback,
    )
    this.accepted++
    if (tee) {
      this.stdout.write(message)
      this.stdout.write(this.options.delimiter)
    }
    return this.options.count === undefined || this.accepted < this.options.count
  }

  /** Prints the outcome on stderr when records failed; the exit code (0: every record acknowledged). */
  finish(): number {
    if (this.failed === 0 && this.delivered === this.accepted) return 0
    const notDelivered = this.accepted - this.delivered
    this.stderr.write(
      `x-kafka produce: ${notDelivered} of ${this.accepted} records failed${this.failed > PRINTED_FAILURES ? ` (the first ${PRINTED_FAILURES} are shown above)` : ''}.\n`,
    )
    return 1
  }
}
