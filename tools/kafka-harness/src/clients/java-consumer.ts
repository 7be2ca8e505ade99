import { KafkaHarnessError } from '../kafka-harness-error.js'
import { tail } from '../run-command.js'
import { splitLines } from './byte-json.js'
import type { ConsumedRecord, TimestampTypeName } from './consumed-record.js'
import { commandPropertyFlag, type JavaTools, runJavaTool } from './java-tools.js'

export interface JavaConsumeOptions {
  bootstrapServers: string
  topic: string
  /** Stop after this many records (`--max-messages`). */
  maxRecords?: number
  /** Stop when no record arrives for this long (`--timeout-ms`); default 15 s. */
  idleTimeoutMs?: number
  isolationLevel?: 'read_committed' | 'read_uncommitted'
  /** Extra consumer configs (`--consumer-property key=value`). */
  consumerProperties?: Record<string, string>
}

interface FormatterLine {
  topic: string
  partition: number
  offset: string
  timestamp: number
  timestampType: TimestampTypeName
  key: string | null
  value: string | null
  headers: { key: string; value: string | null }[]
}

const fromBase64 = (text: string | null) =>
  text === null ? null : new Uint8Array(Buffer.from(text, 'base64'))

/** Converts one line printed by the harness's `JsonRecordFormatter` (base64 bytes) into a `ConsumedRecord`. */
export function parseFormatterLine(line: Uint8Array): ConsumedRecord {
  // the formatter prints only ASCII and valid UTF-8 (bytes are base64), so plain JSON.parse is safe
  const json = JSON.parse(new TextDecoder().decode(line)) as FormatterLine
  return {
    topic: json.topic,
    partition: json.partition,
    offset: BigInt(json.offset),
    key: fromBase64(json.key),
    value: fromBase64(json.value),
    headers: json.headers.map((h) => ({ key: h.key, value: fromBase64(h.value) })),
    timestamp: json.timestamp,
    timestampType: json.timestampType,
  }
}

/**
 * Reads a topic from the beginning, all partitions, with the official Java consumer (ConsoleConsumer from the
 * same Kafka line) and the harness's `JsonRecordFormatter`, so keys, values and headers come back
 * byte-exact. Ends after `maxRecords` or after `idleTimeoutMs` without a record; ConsoleConsumer exits 0 on
 * that timeout, so callers assert on the number of records returned.
 */
export async function consumeWithJava(
  tools: JavaTools,
  options: JavaConsumeOptions,
): Promise<ConsumedRecord[]> {
  const idle = options.idleTimeoutMs ?? 15_000
  const args = [
    '--bootstrap-server',
    options.bootstrapServers,
    '--topic',
    options.topic,
    '--from-beginning',
    '--formatter',
    'JsonRecordFormatter',
    '--timeout-ms',
    String(idle),
  ]
  if (options.maxRecords !== undefined) args.push('--max-messages', String(options.maxRecords))
  if (options.isolationLevel) args.push('--isolation-level', options.isolationLevel)
  for (const [key, value] of Object.entries(options.consumerProperties ?? {})) {
    args.push(commandPropertyFlag(tools, '--consumer-property'), `${key}=${value}`)
  }
  const run = await runJavaTool(tools, 'org.apache.kafka.tools.consumer.ConsoleConsumer', args, {
    timeoutMs: idle + 90_000,
  })
  if (run.status !== 0) {
    throw new KafkaHarnessError(
      'TOOL_FAILED',
      `ConsoleConsumer on ${options.topic} failed (exit ${run.status}):\n${tail(run.stderr)}`,
    )
  }
  return splitLines(run.stdout)
    .filter((line) => line[0] === 0x7b) // '{': only the formatter's lines
    .map(parseFormatterLine)
}
