// Streaming read-back for runs too large to hold every record in memory (the soak): the same two
// independent readers as readBothInto — the Java consumer with the harness's JsonRecordFormatter and kcat
// with CRC checks — but their output is parsed line by line into the checker as it arrives.
import { spawn } from 'node:child_process'
import { type JavaTools, parseFormatterLine } from '@x/kafka-harness'
import type { DeliveryChecker, OracleReadRecord } from '@x/testkit'

/** Runs `command`, handing every complete stdout line to `onLine`; rejects on a non-zero exit. */
function streamLines(command: string, args: string[], onLine: (line: Uint8Array) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let rest: Uint8Array = new Uint8Array(0)
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      const data = rest.length === 0 ? chunk : Buffer.concat([rest, chunk])
      let start = 0
      for (let i = 0; i < data.length; i++) {
        if (data[i] !== 0x0a) continue
        if (i > start) onLine(data.subarray(start, i))
        start = i + 1
      }
      rest = Uint8Array.prototype.slice.call(data, start)
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4_000)
    })
    child.on('error', reject)
    child.on('close', (status) => {
      if (rest.length > 0) onLine(rest)
      if (status === 0) resolve()
      else reject(new Error(`${command} exited with ${status}: ${stderr}`))
    })
  })
}

/** Feeds records to the checker in chunks (one `read` call per chunk, not per record). */
function chunkedSink(checker: DeliveryChecker, reader: string, topic: string) {
  let chunk: OracleReadRecord[] = []
  return {
    push(record: OracleReadRecord) {
      chunk.push(record)
      if (chunk.length === 10_000) this.flush()
    },
    flush() {
      checker.read(reader, chunk, topic)
      chunk = []
    },
  }
}

/** kcat -C with CRC checks, printing `partition offset value` per record (oracle values hold no spaces or newlines). */
export async function streamKcat(
  checker: DeliveryChecker,
  bootstrapServers: string,
  topic: string,
): Promise<void> {
  const sink = chunkedSink(checker, 'kcat', topic)
  await streamLines(
    'kcat',
    [
      '-C',
      '-b',
      bootstrapServers,
      '-t',
      topic,
      '-o',
      'beginning',
      '-e',
      '-q',
      '-X',
      'check.crcs=true',
      '-f',
      '%p %o %s\\n',
    ],
    (line) => {
      const first = line.indexOf(0x20)
      const second = line.indexOf(0x20, first + 1)
      sink.push({
        partition: Number(Buffer.from(line.subarray(0, first)).toString('latin1')),
        offset: Number(Buffer.from(line.subarray(first + 1, second)).toString('latin1')),
        value: line.subarray(second + 1),
      })
    },
  )
  sink.flush()
}

/** The Java ConsoleConsumer (JsonRecordFormatter: base64 bytes and headers), up to `maxRecords`. */
export async function streamJava(
  checker: DeliveryChecker,
  tools: JavaTools,
  bootstrapServers: string,
  topic: string,
  maxRecords: number,
): Promise<void> {
  const sink = chunkedSink(checker, 'java', topic)
  await streamLines(
    'java',
    [
      '-Xmx512m',
      '-Djava.awt.headless=true',
      tools.toolsLogFlag,
      '-cp',
      tools.toolsClasspath,
      'org.apache.kafka.tools.consumer.ConsoleConsumer',
      '--bootstrap-server',
      bootstrapServers,
      '--topic',
      topic,
      '--from-beginning',
      '--formatter',
      'JsonRecordFormatter',
      '--timeout-ms',
      '20000',
      '--max-messages',
      String(maxRecords),
    ],
    (line) => {
      if (line[0] === 0x7b) sink.push(parseFormatterLine(line))
    },
  )
  sink.flush()
}
