// Live heap held per waiting allocation: n callers wait on an exhausted pool with Node's timers (60 s
// deadlines), with no signal and with one AbortSignal shared by all of them. Counts what the pool keeps per
// waiter plus the promise it returns; the caller's array of promises is allocated before the baseline.
//
//   node --expose-gc --import tsx packages/buffer-pool/bench/waiter-heap.ts [--waiters N]
import { setMaxListeners } from 'node:events'
import { BufferPool } from '../src/index.js'

const gc = (globalThis as { gc?: () => void }).gc
if (gc === undefined) throw new Error('run with node --expose-gc')

const flag = process.argv.indexOf('--waiters')
const n = flag >= 0 ? Number(process.argv[flag + 1]) : 10_000

function heapUsed(): number {
  gc!()
  gc!()
  return process.memoryUsage().heapUsed
}

async function measure(label: string, signal: AbortSignal | undefined): Promise<void> {
  const pool = new BufferPool({ totalMemory: 1024, poolableSize: 1024 })
  pool.allocate(1024, 0)
  const waiters = new Array<Promise<Uint8Array>>(n)
  waiters.fill(Promise.resolve(new Uint8Array(0)))
  const before = heapUsed()
  for (let i = 0; i < n; i++) waiters[i] = pool.allocate(1024, 60_000, signal) as Promise<Uint8Array>
  const after = heapUsed()
  console.log(`${label}: ${((after - before) / n).toFixed(0)} B of live heap per waiter (${n} waiters)`)
  const settled = Promise.allSettled(waiters)
  pool.close()
  await settled
}

await measure('no signal', undefined)
const shared = new AbortController().signal
setMaxListeners(0, shared) // one listener per waiter is expected here, not a leak
await measure('shared AbortSignal', shared)
