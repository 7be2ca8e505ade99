/**
 * The workloads of the side-by-side suite. A workload fixes what every client produces (record size, keys,
 * acks, partitions, compression) and how (as fast as possible, at a fixed rate, or a long soak), so every
 * client is measured on the same topic layout; each run gets a fresh topic.
 */
export type WorkloadKind = 'throughput' | 'latency' | 'soak'
export type Compression = 'none' | 'lz4' | 'zstd'
export type AcksSetting = '1' | 'all'

export interface Workload {
  /** e.g. `throughput-100B-acks1-p6-none-unkeyed`. */
  id: string
  kind: WorkloadKind
  /** Value size in bytes (keys, when keyed, add 8 bytes). */
  recordSize: number
  keyed: boolean
  acks: AcksSetting
  partitions: number
  compression: Compression
  /** linger.ms for every client that has one. */
  lingerMs: number
  /** Records per run for a client that keeps up; slow modes run a fraction (see `ClientSpec.recordsScale`). */
  records: number
  /** Records per second for `latency`; undefined means unthrottled. */
  rate?: number
}

export type Profile = 'quick' | 'full'

export const TARGET_LINGER_MS = 5
export const LATENCY_RATE = 50_000
export const SOAK_RECORDS = 10_000_000

/** Records per throughput run: about 200 MB of values either way. */
export function recordsFor(recordSize: number): number {
  return recordSize <= 100 ? 2_000_000 : 200_000
}

export function workloadId(w: Omit<Workload, 'id' | 'records' | 'lingerMs' | 'rate'>): string {
  return [
    w.kind,
    `${w.recordSize}B`,
    `acks${w.acks}`,
    `p${w.partitions}`,
    w.compression,
    w.keyed ? 'keyed' : 'unkeyed',
  ].join('-')
}

function make(
  kind: WorkloadKind,
  recordSize: number,
  acks: AcksSetting,
  partitions: number,
  compression: Compression,
  keyed: boolean,
): Workload {
  const base = { kind, recordSize, acks, partitions, compression, keyed }
  const records =
    kind === 'soak' ? SOAK_RECORDS : kind === 'latency' ? LATENCY_RATE * 10 : recordsFor(recordSize)
  return {
    id: workloadId(base),
    ...base,
    lingerMs: TARGET_LINGER_MS,
    records,
    ...(kind === 'latency' ? { rate: LATENCY_RATE } : {}),
  }
}

/** The targets' workload: 100 B values, acks=1, linger 5 ms, 6 partitions, no compression, no keys. */
export const TARGET = {
  recordSize: 100,
  acks: '1',
  partitions: 6,
  compression: 'none',
  keyed: false,
} as const

/**
 * `quick`: the targets' workload for every client, unthrottled and at 50,000 records/s, plus the
 * 10-million-record soak of @x/producer. `full`: every combination of 100 B / 1 KiB, acks 1 / all,
 * 1 / 12 partitions, none / lz4 / zstd and unkeyed / keyed, unthrottled, the fixed-rate runs over sizes,
 * acks and partitions, then the quick profile's three workloads.
 */
export function profileWorkloads(profile: Profile): Workload[] {
  const t = TARGET
  const quick = [
    make('throughput', t.recordSize, t.acks, t.partitions, t.compression, t.keyed),
    make('latency', t.recordSize, t.acks, t.partitions, t.compression, t.keyed),
    make('soak', t.recordSize, t.acks, t.partitions, t.compression, t.keyed),
  ]
  if (profile === 'quick') return quick
  const full: Workload[] = []
  for (const size of [100, 1024])
    for (const acks of ['1', 'all'] as const)
      for (const partitions of [1, 12])
        for (const compression of ['none', 'lz4', 'zstd'] as const)
          for (const keyed of [false, true])
            full.push(make('throughput', size, acks, partitions, compression, keyed))
  for (const size of [100, 1024])
    for (const acks of ['1', 'all'] as const)
      for (const partitions of [1, 12]) full.push(make('latency', size, acks, partitions, 'none', false))
  return [...full, ...quick]
}

/** `--where key=v1,v2`: keeps workloads whose field matches one of the values. */
export type WorkloadFilter = Record<string, string[]>

const FILTER_KEYS: Record<string, (w: Workload) => string> = {
  kind: (w) => w.kind,
  size: (w) => String(w.recordSize),
  acks: (w) => w.acks,
  partitions: (w) => String(w.partitions),
  compression: (w) => w.compression,
  keyed: (w) => String(w.keyed),
  id: (w) => w.id,
}

export function parseWorkloadFilter(clauses: readonly string[]): WorkloadFilter {
  const filter: WorkloadFilter = {}
  for (const clause of clauses) {
    const match = /^([a-z]+)=(.+)$/.exec(clause)
    if (!match || !(match[1]! in FILTER_KEYS)) {
      throw new Error(
        `--where ${clause}: expected key=value[,value] with key one of ${Object.keys(FILTER_KEYS).join(', ')}`,
      )
    }
    filter[match[1]!] = [...(filter[match[1]!] ?? []), ...match[2]!.split(',')]
  }
  return filter
}

export function matchesFilter(workload: Workload, filter: WorkloadFilter): boolean {
  return Object.entries(filter).every(([key, values]) => values.includes(FILTER_KEYS[key]!(workload)))
}
