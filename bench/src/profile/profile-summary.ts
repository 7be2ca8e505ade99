import { existsSync, readFileSync } from 'node:fs'
import { SourceMap } from 'node:module'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The fields of a V8 call frame the summaries read (CPU and heap profiles share them). */
export interface CallFrame {
  functionName: string
  url: string
  lineNumber: number
  columnNumber: number
}

interface CpuNode {
  id: number
  callFrame: CallFrame
}

export interface CpuProfile {
  nodes: CpuNode[]
  samples: number[]
  timeDeltas: number[]
}

export interface HeapNode {
  callFrame: CallFrame
  selfSize: number
  children: HeapNode[]
}

export interface HeapProfile {
  head: HeapNode
}

/** One function's share: self CPU time (µs) or bytes allocated. */
export interface FunctionCost {
  name: string
  /** Original source and line, e.g. `packages/accumulator/src/producer-batch.ts:88`. */
  location: string
  /** `@x/accumulator`, `kafkajs`, `node internals`, `(garbage collector)`… */
  area: string
  amount: number
}

/** Maps positions in the bundled child back to the TypeScript sources through its source map. */
export class SourceLocator {
  private readonly maps = new Map<string, SourceMap | null>()

  constructor(private readonly root: string) {}

  private mapFor(url: string): SourceMap | null {
    let map = this.maps.get(url)
    if (map === undefined) {
      const file = url.startsWith('file://') ? fileURLToPath(url) : url
      map = existsSync(`${file}.map`) ? new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8'))) : null
      this.maps.set(url, map)
    }
    return map
  }

  /** `{ location, area }` of a call frame, in repository terms. */
  locate(frame: CallFrame): { location: string; area: string } {
    if (frame.url === '')
      return {
        location: '',
        area: frame.functionName.startsWith('(') ? frame.functionName : 'native (V8 builtins, Node bindings)',
      }
    if (frame.url.startsWith('node:')) return { location: frame.url, area: 'node internals' }
    const entry = this.mapFor(frame.url)?.findEntry(frame.lineNumber, frame.columnNumber)
    const bundle = frame.url.startsWith('file://') ? fileURLToPath(frame.url) : frame.url
    // source map paths are relative to the bundle's folder
    const source =
      entry && 'originalSource' in entry && entry.originalSource
        ? `${this.relative(resolve(dirname(bundle), entry.originalSource))}:${entry.originalLine + 1}`
        : `${this.relative(bundle)}:${frame.lineNumber + 1}`
    return { location: source, area: areaOf(source) }
  }

  private relative(file: string): string {
    const path = file.startsWith('file://') ? fileURLToPath(file) : file
    const root = this.root.replace(/\/+$/, '')
    const relative = path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path
    // sources bundled from HEAD's snapshot (see bundle-children.ts) are named as in the repository
    return relative.replace(/^bench\/\.build\/head\//, '')
  }
}

/** The package a source location belongs to. */
export function areaOf(location: string): string {
  const workspace = /^(?:packages|tools)\/([^/]+)\//.exec(location)
  if (workspace) return `@x/${workspace[1]}`
  if (location.startsWith('bench/')) return 'bench driver'
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(location)
  if (dependency) return dependency[1]!
  return 'other'
}

function addCost(
  costs: Map<string, FunctionCost>,
  name: string,
  where: { location: string; area: string },
  amount: number,
) {
  const key = `${name}\u0000${where.location}`
  const cost = costs.get(key)
  if (cost) cost.amount += amount
  else costs.set(key, { name, location: where.location, area: where.area, amount })
}

/** Self time (µs) per function of a CPU profile, idle time left out, largest first. */
export function cpuSelfTimes(profile: CpuProfile, locator: SourceLocator): FunctionCost[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const selfMicros = new Map<number, number>()
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0))
  }
  const costs = new Map<string, FunctionCost>()
  for (const [id, micros] of selfMicros) {
    const frame = byId.get(id)!.callFrame
    if (frame.functionName === '(idle)') continue
    addCost(costs, frame.functionName || '(anonymous)', locator.locate(frame), micros)
  }
  return [...costs.values()].sort((a, b) => b.amount - a.amount)
}

/** Bytes allocated per function of a sampling heap profile (samples of collected objects included). */
export function heapSelfSizes(profile: HeapProfile, locator: SourceLocator): FunctionCost[] {
  const costs = new Map<string, FunctionCost>()
  const visit = (node: HeapNode) => {
    if (node.selfSize > 0)
      addCost(
        costs,
        node.callFrame.functionName || '(anonymous)',
        locator.locate(node.callFrame),
        node.selfSize,
      )
    for (const child of node.children) visit(child)
  }
  visit(profile.head)
  return [...costs.values()].sort((a, b) => b.amount - a.amount)
}

/** Sums costs per area (package), largest first. */
export function byArea(costs: readonly FunctionCost[]): { area: string; amount: number }[] {
  const areas = new Map<string, number>()
  for (const cost of costs) areas.set(cost.area, (areas.get(cost.area) ?? 0) + cost.amount)
  return [...areas.entries()].map(([area, amount]) => ({ area, amount })).sort((a, b) => b.amount - a.amount)
}
