import { randomBytes } from 'node:crypto'
import { KafkaHarnessError } from '../kafka-harness-error.js'
import { requireKcat } from '../required-tools.js'
import { runCommand, tail } from '../run-command.js'
import {
  type ByteJsonObject,
  type ByteJsonValue,
  JsonNumber,
  parseByteJson,
  splitLines,
} from './byte-json.js'
import type { ConsumedRecord, TimestampTypeName } from './consumed-record.js'

export interface KcatConsumeOptions {
  bootstrapServers: string
  topic: string
  /** Only this partition; default all. */
  partition?: number
  /** Stop after this many records (`-c`); kcat also stops at the end of every partition (`-e`). */
  maxRecords?: number
  isolationLevel?: 'read_committed' | 'read_uncommitted'
  /** Extra librdkafka properties (`-X key=value`). */
  config?: Record<string, string>
  timeoutMs?: number
}

const decoder = new TextDecoder()
const timestampTypes: Record<string, TimestampTypeName> = {
  create: 'CreateTime',
  logappend: 'LogAppendTime',
  none: 'NoTimestampType',
}

function bytesOrNull(value: ByteJsonValue | undefined, field: string): Uint8Array | null {
  if (value === null || value === undefined) return null
  if (value instanceof Uint8Array) return value
  throw new KafkaHarnessError('PROTOCOL_ERROR', `kcat -J printed a non-string ${field}`)
}

function numberText(value: ByteJsonValue | undefined, field: string): string {
  if (value instanceof JsonNumber) return value.text
  throw new KafkaHarnessError('PROTOCOL_ERROR', `kcat -J printed no number for ${field}`)
}

/** Converts one line of `kcat -C -J` output (parsed byte-wise) into a `ConsumedRecord`. */
export function parseKcatJsonLine(line: Uint8Array): ConsumedRecord {
  const json = parseByteJson(line) as ByteJsonObject
  const headerList = (json.headers ?? []) as ByteJsonValue[]
  const headers: ConsumedRecord['headers'] = []
  for (let i = 0; i + 1 < headerList.length; i += 2) {
    headers.push({
      key: decoder.decode(bytesOrNull(headerList[i], 'header name') ?? new Uint8Array()),
      value: bytesOrNull(headerList[i + 1], 'header value'),
    })
  }
  return {
    topic: decoder.decode(bytesOrNull(json.topic, 'topic') ?? new Uint8Array()),
    partition: Number(numberText(json.partition, 'partition')),
    offset: BigInt(numberText(json.offset, 'offset')),
    key: bytesOrNull(json.key, 'key'),
    value: bytesOrNull(json.payload, 'payload'),
    headers,
    timestamp: Number(numberText(json.ts, 'ts')),
    timestampType:
      timestampTypes[decoder.decode(bytesOrNull(json.tstype, 'tstype') ?? new Uint8Array())] ??
      'NoTimestampType',
  }
}

/**
 * Reads a topic from the beginning with kcat (librdkafka) and CRC checking on (`-X check.crcs=true`), so a
 * batch with a bad CRC32C fails the read instead of passing silently. Output is kcat's JSON envelope,
 * parsed byte-wise so binary keys, values and headers come back exact.
 */
export async function consumeWithKcat(options: KcatConsumeOptions): Promise<ConsumedRecord[]> {
  requireKcat()
  const args = [
    '-C',
    '-b',
    options.bootstrapServers,
    '-t',
    options.topic,
    '-o',
    'beginning',
    '-e',
    '-J',
    '-q',
  ]
  args.push('-X', 'check.crcs=true')
  if (options.partition !== undefined) args.push('-p', String(options.partition))
  if (options.maxRecords !== undefined) args.push('-c', String(options.maxRecords))
  if (options.isolationLevel) args.push('-X', `isolation.level=${options.isolationLevel}`)
  for (const [key, value] of Object.entries(options.config ?? {})) args.push('-X', `${key}=${value}`)
  const run = await runCommand('kcat', args, { timeoutMs: options.timeoutMs ?? 60_000 })
  if (run.status !== 0) {
    throw new KafkaHarnessError(
      'TOOL_FAILED',
      `kcat -C on ${options.topic} failed (exit ${run.status}):\n${tail(run.stderr)}`,
    )
  }
  return splitLines(run.stdout).map(parseKcatJsonLine)
}

export interface KcatRecord {
  key?: Uint8Array | string | null
  value: Uint8Array | string | null
}

export interface KcatProduceOptions {
  bootstrapServers: string
  topic: string
  records: KcatRecord[]
  /** Headers added to every record of this call (kcat's `-H` applies to all); a null value is a null header. */
  headers?: { key: string; value: string | null }[]
  /** Target partition; default: librdkafka's partitioner. */
  partition?: number
  compression?: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd'
  /** Extra librdkafka properties (`-X key=value`), e.g. `acks`. */
  config?: Record<string, string>
  timeoutMs?: number
}

const encoder = new TextEncoder()
const asBytes = (data: Uint8Array | string) => (typeof data === 'string' ? encoder.encode(data) : data)

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).includes(Buffer.from(needle))
}

/**
 * Produces records with kcat (librdkafka) and waits for their acknowledgement. Keys and values may be any
 * bytes: records are separated by random delimiters that occur in none of them. kcat sends NULL for an
 * empty key or value only with `-Z`, so one call can carry null keys/values or empty ones, not both.
 */
export async function produceWithKcat(options: KcatProduceOptions): Promise<void> {
  requireKcat()
  const records = options.records.map((r) => ({
    key: r.key === undefined || r.key === null ? null : asBytes(r.key),
    value: r.value === null ? null : asBytes(r.value),
  }))
  const hasNull = records.some((r) => r.key === null || r.value === null)
  const hasEmpty = records.some((r) => r.key?.length === 0 || r.value?.length === 0)
  if (hasNull && hasEmpty) {
    throw new KafkaHarnessError(
      'INVALID_OPTION',
      'produceWithKcat: records mix null and empty keys/values; kcat cannot send both in one call, so split them into two calls',
    )
  }
  let messageDelimiter: Uint8Array
  let keyDelimiter: Uint8Array
  do {
    const token = randomBytes(6).toString('hex')
    messageDelimiter = encoder.encode(`#M${token}#`)
    keyDelimiter = encoder.encode(`#K${token}#`)
  } while (
    records.some((r) =>
      [r.key, r.value].some(
        (part) => part && (contains(part, messageDelimiter) || contains(part, keyDelimiter)),
      ),
    )
  )
  const input: Uint8Array[] = []
  for (const r of records)
    input.push(r.key ?? new Uint8Array(), keyDelimiter, r.value ?? new Uint8Array(), messageDelimiter)
  const args = ['-P', '-b', options.bootstrapServers, '-t', options.topic]
  args.push('-D', decoder.decode(messageDelimiter), '-K', decoder.decode(keyDelimiter))
  if (hasNull) args.push('-Z')
  if (options.partition !== undefined) args.push('-p', String(options.partition))
  if (options.compression && options.compression !== 'none') args.push('-z', options.compression)
  for (const header of options.headers ?? []) {
    if (header.key.includes('='))
      throw new KafkaHarnessError('INVALID_OPTION', `kcat header names cannot contain "=": ${header.key}`)
    args.push('-H', header.value === null ? header.key : `${header.key}=${header.value}`)
  }
  for (const [key, value] of Object.entries(options.config ?? {})) args.push('-X', `${key}=${value}`)
  const run = await runCommand('kcat', args, {
    input: Buffer.concat(input),
    timeoutMs: options.timeoutMs ?? 60_000,
  })
  if (run.status !== 0 || /% ERROR|Failed to produce/.test(run.stderr)) {
    throw new KafkaHarnessError(
      'TOOL_FAILED',
      `kcat -P to ${options.topic} failed (exit ${run.status}):\n${tail(run.stderr)}`,
    )
  }
}
