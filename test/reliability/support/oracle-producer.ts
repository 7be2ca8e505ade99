// Shared wiring of the reliability suites: producers in the two modes the table compares, sends recorded in
// the delivery oracle's ledger, and one line per scenario for the reliability table.
import { appendFileSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { KafkaProducer, type KafkaProducerOptions } from '@x/producer'
import { type DeliveryLedger, type DeliveryReport, formatDeliveryReport, type OracleRecord } from '@x/testkit'

/** `idempotent`: Kafka 4's defaults (idempotence on, acks=all). `plain`: idempotence off, acks=all — the control. */
export type ProducerMode = 'idempotent' | 'plain'

export type OracleProducer = KafkaProducer<Uint8Array, Uint8Array>

export function oracleProducer(
  mode: ProducerMode,
  options: KafkaProducerOptions<Uint8Array, Uint8Array>,
): OracleProducer {
  return new KafkaProducer<Uint8Array, Uint8Array>({
    acks: 'all',
    ...options,
    enableIdempotence: mode === 'idempotent',
  })
}

/** Sends one oracle record, counting its callback and its promise in the ledger. Never throws. */
export function sendRecorded(producer: OracleProducer, ledger: DeliveryLedger, record: OracleRecord): void {
  try {
    void ledger.track(record.id, producer.send(record, ledger.callback(record.id)))
  } catch (error) {
    ledger.complete(record.id, { ok: false, error, persisted: 'no' })
  }
}

export interface SendManyOptions {
  readonly topic: string
  readonly count: number
  /** Distinct keys, record i on key i % keys. Default 4. */
  readonly keys?: number
  readonly partition?: number
  readonly valueBytes?: number
  readonly keyed?: boolean
  readonly producerId?: string
  /** Yield to the event loop every this many records (default: never, one synchronous burst). */
  readonly yieldEvery?: number
}

/** Sends `count` oracle records; returns their ledger ids. */
export async function sendMany(
  producer: OracleProducer,
  ledger: DeliveryLedger,
  options: SendManyOptions,
): Promise<number[]> {
  const ids: number[] = []
  const keys = options.keys ?? 4
  for (let i = 0; i < options.count; i++) {
    if (options.yieldEvery !== undefined && i > 0 && i % options.yieldEvery === 0) {
      await new Promise((resolve) => setImmediate(resolve))
    }
    const record = ledger.next({
      topic: options.topic,
      key: `k${i % keys}`,
      partition: options.partition,
      valueBytes: options.valueBytes,
      keyed: options.keyed,
      producerId: options.producerId,
    })
    ids.push(record.id)
    sendRecorded(producer, ledger, record)
  }
  return ids
}

const resultsFile = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../.cache/reliability',
  `rows-${process.env.RELIABILITY_RUN ?? new Date().toISOString().slice(0, 10)}.jsonl`,
)

/**
 * Prints one row of the reliability table (scenario, broker, mode, sent/acked/read/lost/duplicated/reordered)
 * and appends it to `.cache/reliability/rows-<date>.jsonl`, from which docs/reliability.md's table is written.
 */
export function tableRow(row: {
  id: string
  scenario: string
  broker: 'embedded' | 'kafka 1 node' | 'kafka 3 nodes'
  mode: ProducerMode
  report: DeliveryReport
  note?: string
}): void {
  const c = row.report.counts
  const line = {
    id: row.id,
    scenario: row.scenario,
    broker: row.broker,
    mode: row.mode,
    sent: c.sent,
    acked: c.acked,
    failed: c.failed,
    read: c.read,
    lost: c.lost,
    duplicated: c.duplicated,
    reordered: c.reordered,
    violations: row.report.violations,
    note: row.note,
  }
  console.log(`reliability-row ${JSON.stringify(line)}\n${formatDeliveryReport(row.report)}`)
  mkdirSync(dirname(resultsFile), { recursive: true })
  appendFileSync(resultsFile, `${JSON.stringify(line)}\n`)
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Resolves when `check` holds, polling every 10 ms; rejects naming `what` after `timeoutMs`. */
export async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(10)
  }
}
