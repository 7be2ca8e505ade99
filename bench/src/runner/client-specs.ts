import type { Workload } from '../workloads.js'

/** How a client's process is started. */
export type ClientRuntime = 'node20' | 'node24' | 'java' | 'kcat'

export interface ClientSpec {
  id: string
  /** Row label in the report. */
  label: string
  /** npm package (or tool) whose version the report shows. */
  library: string
  runtime: ClientRuntime
  /** Node clients: the child script under `src/child/`, bundled by the runner. */
  entry?: string
  /** Records per call of the client's send function. */
  batchRecords: number
  /** Most records outstanding (sent, not acknowledged); 0 leaves back-pressure to the client. */
  window: number
  /** Fraction of the workload's records this client runs (slow modes run fewer, so a run stays short). */
  recordsScale: number
  /** @x/producer options of this variant, on top of the workload's. */
  producerOptions?: Record<string, number | string | boolean>
  /** Why this client cannot run `workload`, or undefined when it can. */
  unsupported(workload: Workload): string | undefined
}

const onlyX = (w: Workload) => (w.kind === 'soak' ? 'the soak checks @x/producer only' : undefined)
const noLz4Zstd = (w: Workload) =>
  w.compression !== 'none' ? 'KafkaJS has no built-in lz4/zstd codec' : onlyX(w)

/**
 * Every client of the suite. @x/producer's modes come first; `x-send` is the baseline of every ratio.
 * Per-record modes of clients without linger get 1,000 sends in flight (what `Promise.all` over a burst
 * gives a user); pre-batched modes get 10 batches of 1,000 in flight.
 */
export const CLIENTS: readonly ClientSpec[] = [
  {
    id: 'x-send',
    label: '@x/producer send() per record',
    library: '@x/producer',
    runtime: 'node20',
    entry: 'x-producer-client.ts',
    batchRecords: 1,
    window: 0,
    recordsScale: 1,
    unsupported: () => undefined,
  },
  {
    id: 'x-send-batch',
    label: '@x/producer sendBatch(1,000)',
    library: '@x/producer',
    runtime: 'node20',
    entry: 'x-producer-client.ts',
    batchRecords: 1000,
    window: 0,
    recordsScale: 1,
    unsupported: onlyX,
  },
  {
    id: 'x-rx',
    label: '@x/producer RxJS operator',
    library: '@x/producer',
    runtime: 'node20',
    entry: 'x-producer-client.ts',
    batchRecords: 1,
    window: 0,
    recordsScale: 1,
    unsupported: onlyX,
  },
  {
    id: 'x-send-256k',
    label: '@x/producer send() per record, batchSize 256 KiB',
    library: '@x/producer',
    runtime: 'node20',
    entry: 'x-producer-client.ts',
    batchRecords: 1,
    window: 0,
    recordsScale: 1,
    producerOptions: { batchSize: 262_144 },
    unsupported: onlyX,
  },
  {
    id: 'x-send-node24',
    label: '@x/producer send() per record, Node 24',
    library: '@x/producer',
    runtime: 'node24',
    entry: 'x-producer-client.ts',
    batchRecords: 1,
    window: 0,
    recordsScale: 1,
    unsupported: onlyX,
  },
  {
    id: 'node-rdkafka',
    label: 'node-rdkafka produce() per record',
    library: 'node-rdkafka',
    runtime: 'node20',
    entry: 'node-rdkafka-client.ts',
    batchRecords: 1,
    window: 0,
    recordsScale: 1,
    unsupported: onlyX,
  },
  {
    id: 'platformatic-batch',
    label: '@platformatic/kafka send(1,000), Node 24',
    library: '@platformatic/kafka',
    runtime: 'node24',
    entry: 'platformatic-client.ts',
    batchRecords: 1000,
    window: 10_000,
    recordsScale: 1,
    unsupported: onlyX,
  },
  {
    id: 'platformatic-record',
    label: '@platformatic/kafka send() per record, Node 24',
    library: '@platformatic/kafka',
    runtime: 'node24',
    entry: 'platformatic-client.ts',
    batchRecords: 1,
    window: 1000,
    recordsScale: 0.1,
    unsupported: onlyX,
  },
  {
    id: 'kafkajs-batch',
    label: 'KafkaJS send(1,000)',
    library: 'kafkajs',
    runtime: 'node20',
    entry: 'kafkajs-client.ts',
    batchRecords: 1000,
    window: 10_000,
    recordsScale: 0.5,
    unsupported: noLz4Zstd,
  },
  {
    id: 'kafkajs-record',
    label: 'KafkaJS send() per record',
    library: 'kafkajs',
    runtime: 'node20',
    entry: 'kafkajs-client.ts',
    batchRecords: 1,
    window: 1000,
    recordsScale: 0.1,
    unsupported: noLz4Zstd,
  },
  {
    id: 'java-perf',
    label: 'Java ProducerPerformance',
    library: 'kafka-tools',
    runtime: 'java',
    batchRecords: 1,
    window: 0,
    recordsScale: 1,
    unsupported: (w) => (w.keyed ? 'ProducerPerformance sends null keys only' : onlyX(w)),
  },
  {
    id: 'kcat',
    label: 'kcat -P (librdkafka C)',
    library: 'kcat',
    runtime: 'kcat',
    batchRecords: 1,
    window: 0,
    recordsScale: 1,
    unsupported: (w) =>
      w.kind === 'latency' ? 'kcat can neither pace its input nor report per-record latency' : onlyX(w),
  },
]

export const BASELINE = 'x-send'

export function clientById(id: string): ClientSpec {
  const spec = CLIENTS.find((c) => c.id === id)
  if (!spec) throw new Error(`--clients: unknown client ${id}; known: ${CLIENTS.map((c) => c.id).join(', ')}`)
  return spec
}
